// Script and survey editor: a column per campaign language, questions of every kind with their
// choices, branches and export mapping, saved through POST /campaigns/{id}/survey (each save is a
// new survey version). Leaves out previewing the phone's screen and translating text.
'use strict';
(function () {
  const { el, api, fail, ok, state } = Console;
  const KINDS = [['yes_no', 'Yes / no'], ['single_choice', 'One choice'], ['multiple_choice', 'Several choices'],
    ['scale_1_5', 'Support 1-5'], ['free_text', 'Free text']];
  const NAMES = { en: 'English', es: 'Español', ko: '한국어', zh: '中文', hy: 'Հայերեն', tl: 'Tagalog' };
  // {survey_version, languages, sections: [{ids: {lang: id}, branch, text: {lang: {title, text}}}], survey}.
  // A section is a row across languages, matched by position; each language's text keeps its own id.
  let doc = null;
  let panel = null;

  // Ids are global in the store: a random UUID never names another campaign's question.
  const newId = () => crypto.randomUUID();
  const langs = () => doc.languages;

  // The route's {script: {lang: [...]}} -> rows of sections with one cell per language, by position.
  function toDoc(r, languages) {
    const sections = [];
    for (const lang of Object.keys(r.script || {})) {
      r.script[lang].forEach((s, i) => {
        const row = sections[i] = sections[i] || { ids: {}, branch: null, text: {} };
        row.ids[lang] = s.id;
        row.text[lang] = { title: s.title || '', text: s.text || '' };
        if (s.branch && !row.branch) row.branch = s.branch;
      });
    }
    const survey = (r.survey || []).map((q) => Object.assign({ labels: {}, choices: [], export: {} }, q));
    const all = languages.slice();
    for (const l of Object.keys(r.script || {})) if (!all.includes(l)) all.push(l);
    return { survey_version: r.survey_version || 0, languages: all, sections, survey };
  }

  function fromDoc() {
    const script = {};
    for (const lang of langs()) {
      const list = [];
      for (const s of doc.sections) {
        const t = s.text[lang];
        if (!t || (!t.title && !t.text)) continue;
        const out = { id: s.ids[lang] || '', title: t.title, text: t.text };
        if (s.branch && s.branch.question) out.branch = s.branch;
        list.push(out);
      }
      if (list.length) script[lang] = list;
    }
    const survey = doc.survey.map((q) => {
      const out = { id: q.id, kind: q.kind, labels: q.labels, choices: q.choices };
      const ex = q.export || {};
      if (ex.column || ex.van_question_id || Object.keys(ex.van_responses || {}).length) out.export = ex;
      return out;
    });
    return { base_version: doc.survey_version, script, survey };
  }

  // An input bound to obj[key]; typing edits the document in place (saved on "Save").
  function bound(obj, key, props, multi) {
    const n = el(multi ? 'textarea' : 'input', Object.assign({ rows: multi ? 3 : undefined }, props));
    n.value = obj[key] == null ? '' : obj[key];
    n.oninput = () => { obj[key] = n.value; };
    return n;
  }

  function choicesFor(q) {
    if (q.kind === 'scale_1_5') return ['1', '2', '3', '4', '5'].map((id) => q.choices.find((c) => c.id === id) || { id, labels: {} });
    if (q.kind === 'yes_no') return [{ id: 'yes', labels: {} }, { id: 'no', labels: {} }];
    return q.choices;
  }

  function questionCard(q, i) {
    const head = el('tr', {}, el('th', {}, ''), ...langs().map((l) => el('th', { lang: l }, NAMES[l] || l)));
    const labels = el('tr', {}, el('th', { scope: 'row' }, 'Question'),
      ...langs().map((l) => el('td', {}, bound(q.labels, l, { 'aria-label': `Question ${i + 1} (${l})`, 'data-q': i, 'data-lang': l, lang: l }))));
    const table = el('table', { class: 'grid' }, el('thead', {}, head), el('tbody', {}, labels));
    const editable = q.kind === 'single_choice' || q.kind === 'multiple_choice';
    if (q.kind === 'scale_1_5') q.choices = choicesFor(q);
    for (const [k, c] of q.choices.entries()) {
      table.tBodies[0].append(el('tr', {},
        el('th', { scope: 'row' }, editable ? bound(c, 'id', { 'aria-label': `Question ${i + 1} choice ${k + 1} id`, size: 6 }) : c.id),
        ...langs().map((l) => el('td', {}, bound(c.labels, l, { 'aria-label': `Question ${i + 1} choice ${k + 1} (${l})`, lang: l })))));
    }
    const kind = el('select', { 'aria-label': `Question ${i + 1} kind`, 'data-q-kind': i });
    for (const [v, t] of KINDS) kind.add(new Option(t, v));
    kind.value = q.kind;
    kind.onchange = () => {
      q.kind = kind.value;
      if (!(q.kind === 'single_choice' || q.kind === 'multiple_choice')) q.choices = [];
      render();
    };
    const ex = q.export = q.export || {};
    ex.van_responses = ex.van_responses || {};
    const mapping = el('div', { class: 'export-map' }, 'Export: ',
      el('label', {}, 'column ', bound(ex, 'column', { size: 14, 'aria-label': `Question ${i + 1} export column` })), ' ',
      el('label', {}, 'VAN question id ', bound(ex, 'van_question_id', { size: 8, 'aria-label': `Question ${i + 1} VAN question id` })));
    for (const c of choicesFor(q)) {
      mapping.append(' ', el('label', {}, `${c.id} → `, bound(ex.van_responses, c.id, { size: 6, 'aria-label': `Question ${i + 1} VAN response for ${c.id}` })));
    }
    const buttons = el('div', {},
      editable ? el('button', { type: 'button', onclick: () => { q.choices.push({ id: 'c' + (q.choices.length + 1), labels: {} }); render(); } }, 'Add choice') : '',
      ' ', el('button', { type: 'button', title: 'Give this question a new id: use when its meaning changes, so old answers are not mixed with new ones',
        onclick: () => { q.id = newId(); render(); } }, 'Meaning changed: new id'),
      ' ', el('button', { type: 'button', onclick: () => { doc.survey.splice(i, 1); render(); } }, 'Remove'));
    return el('fieldset', { class: 'question', 'data-question': q.id },
      el('legend', {}, `Question ${i + 1} `, kind), table, mapping, buttons);
  }

  function sectionCard(s, i) {
    const row = el('tr', {}, ...langs().map((l) => {
      const t = s.text[l] = s.text[l] || { title: '', text: '' };
      return el('td', { lang: l },
        bound(t, 'title', { placeholder: 'Title', 'aria-label': `Section ${i + 1} title (${l})`, 'data-s': i, 'data-lang': l }),
        bound(t, 'text', { placeholder: 'What to say: {canvasser}, {resident}, {campaign} are filled in', 'aria-label': `Section ${i + 1} text (${l})` }, true));
    }));
    const table = el('table', { class: 'grid' },
      el('thead', {}, el('tr', {}, ...langs().map((l) => el('th', { lang: l }, NAMES[l] || l)))), el('tbody', {}, row));
    const q = el('select', { 'aria-label': `Section ${i + 1} shown after question`, 'data-s-branch': i });
    q.add(new Option('always shown', ''));
    doc.survey.forEach((x, k) => q.add(new Option('only after ' + qName(x, k), x.id)));
    const ans = el('input', { size: 6, 'aria-label': `Section ${i + 1} shown after answer`, 'data-s-answer': i });
    q.value = (s.branch && s.branch.question) || '';
    ans.value = (s.branch && s.branch.answer) || '';
    const upd = () => { s.branch = q.value ? { question: q.value, answer: ans.value } : null; ans.disabled = !q.value; };
    q.onchange = upd; ans.oninput = upd; ans.disabled = !q.value;
    return el('fieldset', { class: 'section' }, el('legend', {}, `Section ${i + 1}`), table,
      el('div', {}, 'Branch: ', q, ' answer ', ans, ' ',
        el('button', { type: 'button', onclick: () => { doc.sections.splice(i, 1); render(); } }, 'Remove')));
  }
  const qName = (q, i) => `${i + 1}. ` + (q.labels.en || Object.values(q.labels)[0] || q.kind);

  function render() {
    panel.innerHTML = '';
    panel.append(el('h2', {}, 'Script and survey'));
    if (!doc) return;
    const status = el('p', { id: 'survey-status', role: 'status' }, `Version ${doc.survey_version}` +
      (doc.survey_version ? ' (phones pick up a new version between doors)' : ' (not saved yet)'));
    const langPick = el('select', { 'aria-label': 'Add a language column' });
    langPick.add(new Option('Add language…', ''));
    for (const l of Object.keys(NAMES)) if (!langs().includes(l)) langPick.add(new Option(NAMES[l], l));
    langPick.onchange = () => { if (langPick.value) { doc.languages.push(langPick.value); render(); } };
    panel.append(status, el('div', { class: 'toolbar' },
      el('button', { type: 'button', id: 'survey-save', onclick: () => save().catch(fail) }, 'Save (new version)'), ' ', langPick));
    panel.append(el('h3', {}, 'Script'));
    doc.sections.forEach((s, i) => panel.append(sectionCard(s, i)));
    panel.append(el('button', { type: 'button', id: 'add-section',
      onclick: () => { doc.sections.push({ ids: {}, branch: null, text: {} }); render(); } }, 'Add section'));
    panel.append(el('h3', {}, 'Survey'));
    doc.survey.forEach((q, i) => panel.append(questionCard(q, i)));
    const kind = el('select', { id: 'new-question-kind', 'aria-label': 'Kind of the new question' });
    for (const [v, t] of KINDS) kind.add(new Option(t, v));
    panel.append(el('div', {}, kind, ' ', el('button', { type: 'button', id: 'add-question',
      onclick: () => { doc.survey.push({ id: newId(), kind: kind.value, labels: {}, choices: [], export: {} }); render(); } }, 'Add question')));
  }

  async function save() {
    const r = await api('POST', '/campaigns/' + state.campaign + '/survey', fromDoc());
    const c = state.campaigns.find((x) => x.id === state.campaign) || {};
    doc = toDoc(r, doc.languages.length ? doc.languages : (c.languages || ['en']));  // new sections got their ids
    render();
    ok();
  }

  async function load(campaign) {
    doc = null;
    if (panel) render();
    if (!campaign) return;
    const c = state.campaigns.find((x) => x.id === campaign) || {};
    const r = await api('GET', '/campaigns/' + campaign + '/survey');
    doc = toDoc(r, c.languages && c.languages.length ? c.languages : ['en', 'es']);
    render();
  }

  const s = Console.screen({ name: 'survey', label: 'Script & survey', needs: 'organizer', onCampaign: (id) => load(id).catch(fail) });
  panel = s.panel;
  panel.classList.add('wide');
})();
