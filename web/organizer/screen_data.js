// Data screen: the campaign's reference address points and its voter or address file. A picked
// file's first rows are read in the browser by the same C++ CSV reader and presets the server uses
// (organizer/console.js, a wasm module): the detected layout and column mapping are shown and can
// be changed before the upload; the upload shows bytes sent and rows imported; the report is shown
// and downloadable, and every door left unplaced is listed. Leaves out turf cutting (turfs screen).
'use strict';
(function () {
  const { $, el, api, fail, ok, state } = Console;
  const HEAD_BYTES = 256 * 1024;  // enough for the header and the preview rows of any layout
  // Fields shown first in the mapping editor; the rest sit under "More fields".
  const MAIN = ['source_id', 'first_name', 'last_name', 'house_number', 'street_name', 'street_type', 'street',
    'address_line', 'unit', 'city', 'zip', 'language', 'party', 'phone', 'email', 'birth_date', 'lat', 'lon'];
  let picked = null, sniffed = null, overrides = {}, basePreset = '';

  const consoleModule = Console.wasm;

  function mappingSpec() {
    const spec = {};
    if (basePreset) spec.preset = basePreset;
    if (Object.keys(overrides).length) spec.columns = overrides;
    return Object.keys(spec).length ? spec : null;
  }

  async function inspect() {
    if (!picked) return;
    const m = await consoleModule();
    const head = new Uint8Array(await picked.slice(0, HEAD_BYTES).arrayBuffer());
    const spec = mappingSpec();
    sniffed = JSON.parse(m.inspect(head, spec ? JSON.stringify(spec) : '', picked.size <= HEAD_BYTES));
    showLayout();
  }

  function showLayout() {
    const s = sniffed, box = $('layout');
    box.replaceChildren();
    if (!s.header) { box.append(el('p', { class: 'problem' }, s.error)); $('universe-go').disabled = true; return; }
    box.append(el('p', { id: 'layout-summary' },
      `Layout: ${s.mapping ? s.mapping.preset : 'not recognised'}` + (s.detected ? ` (detected ${s.detected})` : '') +
      ` · ${s.delimiter}-separated · ${s.encoding} · ${s.header.length} columns`));
    if (s.error) box.append(el('p', { class: 'problem', role: 'alert' }, s.error));
    // The starting preset, then one column per field.
    const presetSel = el('select', { id: 'map-preset' });
    presetSel.add(new Option('detect from the header', ''));
    for (const p of s.presets) presetSel.add(new Option(p, p));
    presetSel.value = basePreset;
    presetSel.onchange = () => { basePreset = presetSel.value; overrides = {}; inspect().catch(fail); };
    box.append(el('label', {}, 'Layout ', presetSel));
    const mapped = (s.mapping && s.mapping.columns) || {};
    const row = (field) => {
      const sel = el('select', { id: 'map-' + field, 'aria-label': 'Column for ' + field.replace(/_/g, ' ') });
      sel.add(new Option('(none)', ''));
      for (const h of s.header) sel.add(new Option(h, h));
      sel.value = mapped[field] || '';
      sel.onchange = () => { overrides[field] = sel.value; inspect().catch(fail); };
      const tr = el('tr', {}, el('th', { scope: 'row' }, field.replace(/_/g, ' ')), el('td', {}, sel));
      return tr;
    };
    const main = el('table', { class: 'mapping' }, el('caption', {}, 'Column mapping'));
    const more = el('table', { class: 'mapping' });
    for (const f of s.fields) (MAIN.includes(f) || mapped[f] ? main : more).append(row(f));
    box.append(main, el('details', {}, el('summary', {}, 'More fields'), more));
    if (s.rows && s.rows.length) {
      const t = el('table', { id: 'preview' }, el('caption', {}, 'First rows as they will be read'),
        el('tr', {}, ...['Row', 'Name', 'Address', 'Language'].map((h) => el('th', { scope: 'col' }, h))));
      for (const r of s.rows) {
        const m = r.mapped || {};
        t.append(el('tr', {}, el('td', {}, String(r.row)), el('td', {}, [m.first_name, m.last_name].filter(Boolean).join(' ')),
          el('td', {}, r.address), el('td', {}, r.language)));
      }
      box.append(t);
    }
    for (const is of s.issues || []) box.append(el('p', { class: 'problem' }, `row ${is.row}: ${is.message}`));
    $('universe-go').disabled = !s.mapping || !!s.error;
  }

  // POST the file itself (the browser streams it from disk) with upload progress; meanwhile the
  // server's row count comes from imports/current.
  function upload(path, file, onBytes) {
    return new Promise((resolve, reject) => {
      const x = new XMLHttpRequest();
      x.open('POST', '/api/v1' + path);
      x.setRequestHeader('X-CSRF-Token', state.csrf);
      x.setRequestHeader('Content-Type', /\.tsv$/i.test(file.name) ? 'text/tab-separated-values' : 'text/csv');
      x.setRequestHeader('Accept', 'application/json');
      x.upload.onprogress = (e) => onBytes(e.loaded, e.total);
      x.onload = () => {
        let body = null;
        try { body = JSON.parse(x.responseText); } catch { /* not JSON */ }
        if (x.status >= 200 && x.status < 300) resolve(body);
        else reject(new Error((body && body.message) || 'HTTP ' + x.status));
      };
      x.onerror = () => reject(new Error('the upload was cut off'));
      x.send(file);
    });
  }

  const mb = (n) => (n / 1048576).toFixed(1) + ' MB';

  async function watch(campaign, done) {
    while (!done.value) {
      try {
        const p = await api('GET', '/campaigns/' + campaign + '/imports/current');
        if (p.bytes_total && !done.value) $('universe-rows').textContent = `${p.rows} rows imported`;
      } catch { /* the report will say */ }
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  function showReport(rep) {
    const box = $('report');
    box.replaceChildren();
    const g = rep.geocode || {};
    box.append(el('p', { id: 'report-summary' }, `${rep.rows} rows · ${rep.people} people · ${rep.doors} doors · ` +
      `${rep.geocoded} placed (${g.from_source || 0} from the file, ${g.exact || 0} exact, ${g.approximate || 0} approximate) · ` +
      `${(g.unmatched || 0) + (g.ambiguous || 0)} not placed · ${rep.errors_total} problems`));
    const blob = new Blob([JSON.stringify(rep, null, 2)], { type: 'application/json' });
    box.append(el('a', { href: URL.createObjectURL(blob), download: 'import-report.json', id: 'report-download' }, 'Download the report'));
    const unplaced = (rep.errors || []).filter((e) => /^geocode_|^no_address|^bad_coordinates/.test(e.code));
    if (unplaced.length) {
      const list = el('ul', { id: 'unplaced' });
      for (const e of unplaced.slice(0, 500)) list.append(el('li', {}, `row ${e.row}: ${e.message}`));
      box.append(el('h4', {}, `Doors not placed (${unplaced.length}${rep.errors_total > (rep.errors || []).length ? '+' : ''})`), list);
    }
    const other = (rep.errors || []).filter((e) => !unplaced.includes(e));
    if (other.length) {
      const list = el('ul', { id: 'problems' });
      for (const e of other.slice(0, 200)) list.append(el('li', {}, `row ${e.row}: ${e.message}`));
      box.append(el('h4', {}, 'Other problems'), list);
    }
  }

  async function importUniverse(e) {
    e.preventDefault();
    if (!picked || !state.campaign) return;
    const campaign = state.campaign;
    const q = new URLSearchParams({ file_name: picked.name.slice(0, 200) });
    const spec = mappingSpec();
    if (spec) q.set('mapping', JSON.stringify(spec));
    if ($('replace').checked) q.set('replace', 'true');
    const bar = $('universe-progress');
    bar.hidden = false; bar.value = 0; bar.max = picked.size || 1;
    $('universe-go').disabled = true;
    const done = { value: false };
    watch(campaign, done);
    try {
      const rep = await upload('/campaigns/' + campaign + '/universe?' + q, picked, (sent, total) => {
        bar.value = sent; $('universe-bytes').textContent = `${mb(sent)} of ${mb(total)} sent`;
      });
      done.value = true;
      bar.value = bar.max;
      $('universe-rows').textContent = `${rep.rows} rows imported`;
      showReport(rep);
      ok();
      await Console.selectCampaign(campaign);
    } catch (err) { done.value = true; fail(err); } finally { $('universe-go').disabled = false; }
  }

  async function importPoints(e) {
    e.preventDefault();
    const f = $('points-file').files[0];
    if (!f || !state.campaign) return;
    const campaign = state.campaign;
    $('points-status').textContent = 'Uploading…';
    try {
      const rep = await upload('/campaigns/' + campaign + '/address-points', f, (sent, total) => {
        $('points-status').textContent = `${mb(sent)} of ${mb(total)} sent`;
      });
      $('points-status').textContent = `${rep.points} reference points stored (${rep.skipped} rows skipped) · ` +
        `${rep.doors_placed} waiting doors placed, ${rep.doors_unplaced} still unplaced`;
      ok();
      await Console.selectCampaign(campaign);
    } catch (err) { $('points-status').textContent = ''; fail(err); }
  }

  $('points-form').onsubmit = importPoints;
  $('upload-form').onsubmit = importUniverse;
  $('file').onchange = () => {
    picked = $('file').files[0] || null;
    overrides = {}; basePreset = '';
    $('report').replaceChildren();
    inspect().catch(fail);
  };

  // Another campaign picked: its predecessor's report and status go. The same campaign refreshed
  // (an upload's own refresh of counts and screens) keeps them.
  let shownFor = null;
  Console.screen({ name: 'data', needs: 'organizer', onCampaign: (id) => {
    if (id === shownFor) return;
    shownFor = id;
    $('report').replaceChildren(); $('points-status').textContent = '';
  } });
})();
