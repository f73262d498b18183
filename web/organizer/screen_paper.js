// Paper tallies: results written on a printed handout, typed in against its turf's walk list and
// saved through POST /turfs/{id}/paper, where they count like phone records (marked as entered
// from paper). Leaves out answers other than the support scale and sign-ups (typed in elsewhere).
'use strict';
(function () {
  const { el, api, fail, ok, state } = Console;
  const RESULTS = ['', 'not_home', 'talked', 'refused', 'come_back', 'moved', 'inaccessible', 'wrong_address', 'lit_drop'];
  let panel = null, turfs = [], support = null;

  async function open(turfId) {
    const box = panel.querySelector('#paper-list');
    box.innerHTML = '';
    if (!turfId) return;
    const [w, sv] = await Promise.all([api('GET', '/turfs/' + turfId + '/walklist'), api('GET', '/campaigns/' + state.campaign + '/survey')]);
    support = (sv.survey || []).find((q) => q.kind === 'scale_1_5');
    const body = el('tbody');
    for (const d of w.doors) {
      const res = el('select', { 'aria-label': 'Result at ' + d.address, 'data-door': d.id });
      for (const r of RESULTS) res.add(new Option(r ? r.replace('_', ' ') : '—', r));
      const sup = el('select', { 'aria-label': 'Support at ' + d.address, 'data-support': d.id, disabled: !support });
      for (const v of ['', '1', '2', '3', '4', '5']) sup.add(new Option(v || '—', v));
      body.append(el('tr', {}, el('td', {}, String(d.order)), el('td', {}, d.address),
        el('td', {}, res), el('td', {}, sup)));
    }
    const who = el('input', { id: 'paper-canvasser', 'aria-label': 'Canvasser who wrote the sheet', size: 14 });
    const form = el('form', { id: 'paper-form' }, el('label', {}, 'Written by ', who),
      el('table', {}, el('thead', {}, el('tr', {}, ...['#', 'Address', 'Result', 'Support'].map((h) => el('th', {}, h)))), body),
      el('button', {}, 'Save paper results'), el('p', { id: 'paper-out', role: 'status' }));
    form.onsubmit = (e) => {
      e.preventDefault();
      const entries = [];
      for (const s of form.querySelectorAll('select[data-door]')) {
        if (!s.value) continue;
        const e1 = { door_id: s.dataset.door, result: s.value };
        const sup = form.querySelector(`select[data-support="${CSS.escape(s.dataset.door)}"]`).value;
        if (support && sup) e1.answers = { [support.id]: Number(sup) };
        entries.push(e1);
      }
      api('POST', '/turfs/' + turfId + '/paper', { canvasser: who.value, entries })
        .then((r) => { form.querySelector('#paper-out').textContent = `${r.recorded} doors recorded from paper`; ok(); })
        .catch(fail);
    };
    box.append(form);
  }

  async function load() {
    panel.innerHTML = '';
    if (!state.campaign) return;
    turfs = (await api('GET', '/campaigns/' + state.campaign + '/turfs')).turfs;
    const pick = el('select', { id: 'paper-turf', 'aria-label': 'Turf of the sheet' });
    pick.add(new Option('Pick the turf…', ''));
    for (const t of turfs) pick.add(new Option(t.name, t.id));
    pick.onchange = () => open(pick.value).catch(fail);
    panel.append(el('h2', {}, 'Paper tallies'), el('label', {}, 'Turf ', pick), el('div', { id: 'paper-list' }));
  }

  const s = Console.screen({ name: 'paper', label: 'Paper', needs: 'organizer', onShow: () => load() });
  panel = s.panel;
})();
