// The canvassers' Help, edited on the Settings screen: the organizer's name and phone, the meeting
// place, the shift's end, and the script's frequent questions per campaign language (the turf
// package's campaign.help; the phones fetch it again between doors). Leaves out the phone's own
// Help screen (wasm/) and the checks (the server's help_field: sizes, 16 languages, 40 questions).
'use strict';
(function () {
  const { el, api, ok } = Console;
  const MAX_Q = 40;
  const LIMITS = { organizer_name: 100, organizer_phone: 40, meeting_place: 500, shift_end: 100 };
  const LABELS = { organizer_name: 'Organizer\'s name', organizer_phone: 'Organizer\'s phone (canvassers tap to call)',
    meeting_place: 'Meeting place', shift_end: 'Shift ends (as canvassers should read it, e.g. "Saturday 1:00 pm")' };

  // One question of a language's list: question, answer, remove.
  function questionRow(lang, i, entry) {
    const q = el('input', { class: 'faq-q', maxLength: 500, value: entry.q || '', 'aria-label': `Question ${i + 1} (${lang})` });
    const a = el('textarea', { class: 'faq-a', maxLength: 2000, rows: 2, 'aria-label': `Answer ${i + 1} (${lang})` });
    a.value = entry.a || '';
    const remove = el('button', { type: 'button', class: 'faq-remove', 'aria-label': `Remove question ${i + 1} (${lang})` }, 'Remove');
    const row = el('li', { class: 'faq-item' }, q, a, remove);
    remove.onclick = () => row.remove();
    return row;
  }

  // A form for campaign `c` (from GET /campaigns: its languages and current help). `saved(help)` is
  // called once the server kept it.
  function helpForm(c, saved) {
    const help = c.help || {};
    const fields = {};
    const lines = Object.keys(LIMITS).map((k) => {
      const input = el(k === 'meeting_place' ? 'textarea' : 'input', { id: 'help-' + k.replace('_', '-'), maxLength: LIMITS[k] });
      if (k === 'organizer_phone') { input.type = 'tel'; input.autocomplete = 'off'; }
      input.value = help[k] || '';
      fields[k] = input;
      return el('label', { class: 'help-field' }, LABELS[k] + ' ', input);
    });
    const langs = (c.languages && c.languages.length ? c.languages : ['en']).slice(0, 16);
    const lists = {};
    const faqs = langs.map((lang) => {
      const list = el('ol', { class: 'faq-list', 'data-lang': lang });
      ((help.faq || {})[lang] || []).forEach((e, i) => list.append(questionRow(lang, i, e)));
      lists[lang] = list;
      const add = el('button', { type: 'button', class: 'faq-add', 'data-lang': lang }, `Add a question (${lang})`);
      add.onclick = () => {
        if (list.children.length >= MAX_Q) { out.textContent = `At most ${MAX_Q} questions per language.`; return; }
        const row = questionRow(lang, list.children.length, {});
        list.append(row);
        row.querySelector('.faq-q').focus();
      };
      return el('fieldset', { class: 'faq-lang' }, el('legend', {}, `Frequent questions in ${lang}`), list, add);
    });
    const out = el('p', { id: 'help-error', class: 'problem', role: 'alert' });
    const done = el('p', { id: 'help-saved', role: 'status' });
    const form = el('form', { id: 'help-form' }, ...lines, ...faqs, el('button', { type: 'submit' }, 'Save Help'), done, out,
      el('p', { class: 'hint' }, 'Canvassers see this on their Help screen, one tap from every screen; open phones pick it up between doors.'));
    form.onsubmit = (e) => {
      e.preventDefault();
      out.textContent = '';
      done.textContent = '';
      const body = {};
      for (const k of Object.keys(fields)) body[k] = fields[k].value.trim();
      body.faq = {};
      for (const lang of langs) {
        const entries = [...lists[lang].querySelectorAll('.faq-item')]
          .map((li) => ({ q: li.querySelector('.faq-q').value.trim(), a: li.querySelector('.faq-a').value.trim() }))
          .filter((x) => x.q || x.a);
        const half = entries.find((x) => !x.q || !x.a);
        if (half) { out.textContent = `A question in ${lang} needs both the question and its answer.`; return; }
        if (entries.length) body.faq[lang] = entries;
      }
      api('POST', '/campaigns/' + c.id + '/settings', { help: body })
        .then(() => { c.help = body; done.textContent = 'Saved: phones show it from their next check.'; ok(); if (saved) saved(body); })
        .catch((err) => { out.textContent = String(err.message || err); });
    };
    return form;
  }

  Console.helpForm = helpForm;
})();
