// Turfs screen: the campaign's turfs in a table and on the map; drawing and reshaping a turf with
// Leaflet-Geoman while the console's wasm module (turf_cut.h's live index) counts its doors,
// people and estimated walking minutes at every drag step; automatic cutting (by doors or
// minutes, over a drawn area or every door in no turf) with the turfs that missed the target;
// split along a drawn line, merge, delete; the route view; a preview of the phone's page in an
// iframe; the nearest turf nobody holds; a canvasser link per turf (shown once). Leaves out crew
// links (links screen) and the walk order itself (the server's, shown once a turf is saved).
'use strict';
(function () {
  const { $, el, api, fail, ok, state } = Console;
  const STYLE = { color: '#1d4e89', weight: 2, fillOpacity: 0.08 };
  let turfLayer = null, routeLayer = null, areaLayer = null, nextLayer = null, editing = null;
  let turfs = [], live = null, liveCampaign = null, mode = '';

  // ---- live counts: the campaign's doors in the wasm live index, loaded once per campaign ----
  async function liveIndex() {
    if (live && liveCampaign === state.campaign) return live;
    const campaign = state.campaign;
    const [m, d, c] = await Promise.all([Console.wasm(), api('GET', '/campaigns/' + campaign + '/doors/map'),
      api('GET', '/campaigns/' + campaign)]);
    const lat = new Float64Array(d.lat), lon = new Float64Array(d.lon);
    const people = new Int32Array(d.people || new Array(d.count).fill(1));
    m.liveLoad(new Uint8Array(lat.buffer), new Uint8Array(lon.buffer), new Uint8Array(people.buffer),
      c.campaign.walk_m_per_s || 1.2, c.campaign.minutes_per_door == null ? 2 : c.campaign.minutes_per_door);
    live = m; liveCampaign = campaign;
    return m;
  }
  // Counts of a Leaflet polygon (or its ring being drawn), written to the status line.
  function showCounts(latlngs) {
    if (!live || latlngs.length < 3) return;
    const ring = latlngs.map((p) => [p.lng, p.lat]);
    ring.push(ring[0]);
    const t0 = performance.now();
    const r = JSON.parse(live.liveCount(JSON.stringify({ type: 'Polygon', coordinates: [ring] })));
    const ms = performance.now() - t0;
    if (r.error) { $('live-counts').textContent = r.error; return; }
    $('live-counts').textContent = `${r.doors} doors · ${r.people} people · about ${Math.round(r.minutes)} min`;
    const s = Console.liveStats || (Console.liveStats = { updates: 0, ms: [] });
    s.updates++; s.last = r; s.ms.push(ms);
  }
  const ringOf = (layer) => { const ll = layer.getLatLngs(); return Array.isArray(ll[0]) ? ll[0] : ll; };

  // ---- the table and the map ----
  async function load(campaign) {
    // The table and the layer are replaced only once the answers are in: a reload (after a cut or
    // an edit) never leaves the list empty for the time of a request.
    const clear = () => {
      $('turfs').tBodies[0].innerHTML = '';
      $('link-out').innerHTML = '';
      clearRoute();
      if (turfLayer) { turfLayer.remove(); turfLayer = null; }
    };
    if (!campaign) { clear(); $('counts').textContent = ''; return; }
    const c = await api('GET', '/campaigns/' + campaign);
    const n = c.counts || {};
    const list = await api('GET', '/campaigns/' + campaign + '/turfs');
    if (state.campaign !== campaign) return;
    clear();
    const body = $('turfs').tBodies[0];
    turfs = list.turfs;
    const edit = Console.may('organizer');
    for (const n of [$('cut-form'), document.querySelector('#screen-turfs .turf-tools'), $('turf-name').closest('label')]) n.hidden = !edit;
    $('counts').textContent = `${n.people || 0} people · ${n.doors || 0} doors · ${turfs.length} turfs`;
    turfLayer = L.featureGroup().addTo(state.map);
    for (const t of turfs) {
      const tr = body.insertRow();
      tr.dataset.turf = t.id;
      // The first button stays "New link" (older screens and tests reach it as the row's button).
      const pick = el('input', { type: 'checkbox', class: 'turf-pick', 'aria-label': 'Select ' + t.name });
      const nameCell = tr.insertCell();
      nameCell.append(pick, ' ', el('span', { class: 'turf-name' }, t.name));
      tr.insertCell().textContent = t.doors;
      tr.insertCell().className = 'knocked';
      tr.insertCell().className = 'contacts';
      const mins = tr.insertCell();
      mins.className = 'minutes';
      mins.textContent = Math.round(t.minutes || 0);
      const actions = tr.insertCell();
      const btn = (label, what, fn) => el('button', { type: 'button', 'data-action': what, 'aria-label': label + ' ' + t.name,
        onclick: () => fn(t).catch(fail) }, label);
      // A viewer sees the route only: links, edits and the preview (names) are for organizers.
      if (!edit) actions.append(btn('Route', 'route', showRoute));
      else actions.append(btn('New link', 'link', makeLink), ' ', btn('Route', 'route', showRoute), ' ', btn('Edit', 'edit', editShape),
        ' ', btn('Split', 'split', startSplit), ' ', btn('Rename', 'rename', rename), ' ', btn('Preview', 'preview', preview),
        ' ', btn('Delete', 'delete', remove));
      if (t.polygon) {
        // A tooltip's string is HTML to Leaflet: pass a text node so a turf name is never markup.
        const g = L.geoJSON(t.polygon, { style: STYLE, pmIgnore: true }).bindTooltip(document.createTextNode(t.name));
        g.turfId = t.id;
        g.addTo(turfLayer);
      }
    }
    showWarnings(list.warnings);
    if (turfs.length && !Console.keepView) state.map.fitBounds(turfLayer.getBounds(), { padding: [20, 20] });
    $('turfs').dataset.drawn = String(Number($('turfs').dataset.drawn || 0) + 1);  // for tests: a list drawn
  }

  function showWarnings(w) {
    const box = $('turf-warnings');
    box.innerHTML = '';
    if (!w) return;
    const name = (id) => (turfs.find((t) => t.id === id) || { name: id.slice(0, 8) }).name;
    const lines = [];
    for (const o of w.overlaps) lines.push(`${o.doors} doors are in both ${name(o.turf_ids[0])} and ${name(o.turf_ids[1])}`);
    if (w.doors_in_no_turf) lines.push(`${w.doors_in_no_turf} doors are in no turf`);
    if (w.unplaced_doors) lines.push(`${w.unplaced_doors} doors have no place on the map`);
    for (const id of w.empty_turfs) lines.push(`${name(id)} has no doors`);
    for (const l of lines) box.append(el('li', {}, l));
  }

  function report(r) {
    const box = $('cut-report');
    box.innerHTML = '';
    if (!r) return;
    box.append(el('p', {}, `${r.turfs.length} turfs cut by ${r.by} (target ${r.target})`));
    const why = { building: 'one building over the target, kept whole', remainder: 'what was left of the area',
      walk: 'the walk order came out off the estimate', size: 'off the target' };
    for (const t of r.off_target)
      box.append(el('p', { class: 'off-target' }, `${t.name}: ${r.by === 'minutes' ? Math.round(t.minutes) + ' min' : t.doors + ' doors'} (${why[t.reason] || t.reason})`));
  }

  // ---- drawing and editing ----
  function stopModes() {
    state.map.pm.disableDraw();
    if (editing) { editing.pm.disable(); editing.remove(); editing = null; }
    mode = '';
    $('finish-line').hidden = true;
  }

  async function startDraw() {
    stopModes();
    await liveIndex();
    mode = 'turf';
    $('live-counts').textContent = 'Click the map to place corners; click the first corner to finish.';
    state.map.pm.enableDraw('Polygon', { allowSelfIntersection: false, snappable: false });
  }

  async function startArea() {
    stopModes();
    mode = 'area';
    state.map.pm.enableDraw('Polygon', { allowSelfIntersection: false, snappable: false });
  }

  async function editShape(t) {
    stopModes();
    if (!t.polygon) throw new Error(t.name + ' has no outline to edit');
    await liveIndex();
    const g = L.geoJSON(t.polygon);
    const layer = g.getLayers()[0];
    layer.setStyle({ color: '#c0392b', weight: 3 });
    layer.addTo(state.map);
    editing = layer;
    layer.pm.enable({ allowSelfIntersection: false, snappable: false });
    showCounts(ringOf(layer));
    // Every step of a drag recounts; the drop saves the new outline (the server re-orders it).
    layer.on('pm:markerdrag', () => showCounts(ringOf(layer)));
    layer.on('pm:markerdragend', () => showCounts(ringOf(layer)));
    layer.on('pm:edit', () => {
      api('POST', '/turfs/' + t.id, { polygon: layer.toGeoJSON().geometry }).then((r) => {
        $('live-counts').textContent = `${r.turf.name}: ${r.turf.doors} doors · ${r.turf.people} people · ${Math.round(r.turf.minutes)} min walking`;
        Console.keepView = true;
        return reloadKeepingEdit(t.id);
      }).catch(fail);
    });
    $('live-counts').dataset.turf = t.id;
  }
  async function reloadKeepingEdit(id) {
    await load(state.campaign);
    if (editing) editing.bringToFront();
    const t = turfs.find((x) => x.id === id);
    if (t) Console.lastSaved = t;
  }

  async function startSplit(t) {
    stopModes();
    mode = 'split:' + t.id;
    $('live-counts').textContent = `Draw a line across ${t.name}, from outside to outside; then Finish line.`;
    $('finish-line').hidden = false;
    state.map.pm.enableDraw('Line', { snappable: false });
  }

  state.mapReady = (map) => {
    map.on('pm:drawstart', ({ workingLayer }) => {
      if (mode !== 'turf') return;
      workingLayer.on('pm:vertexadded', () => showCounts(workingLayer.getLatLngs()));
    });
    map.on('pm:create', ({ layer }) => {
      const m = mode;
      const geometry = layer.toGeoJSON().geometry;
      layer.remove();
      stopModes();
      if (m === 'turf') {
        const name = $('turf-name').value.trim() || 'Turf ' + String(turfs.length + 1).padStart(2, '0');
        api('POST', '/campaigns/' + state.campaign + '/turfs', { name, polygon: geometry }).then((r) => {
          $('live-counts').textContent = `${r.turf.name}: ${r.turf.doors} doors · ${r.turf.people} people · ${Math.round(r.turf.minutes)} min walking`;
          ok();
          return load(state.campaign);
        }).catch(fail);
      } else if (m === 'area') {
        if (areaLayer) areaLayer.remove();
        areaLayer = L.geoJSON(geometry, { style: { color: '#8e44ad', dashArray: '6 4', fillOpacity: 0.03 }, pmIgnore: true }).addTo(state.map);
        areaLayer.geometry = geometry;
        $('cut-area').checked = true;
      } else if (m.startsWith('split:')) {
        const id = m.slice(6);
        api('POST', '/turfs/' + id + '/split', { line: geometry }).then((r) => {
          $('live-counts').textContent = `Split into ${r.turfs.map((x) => `${x.name} (${x.doors} doors)`).join(' and ')}`;
          ok();
          return load(state.campaign);
        }).catch(fail);
      }
    });
    map.on('click', (e) => {
      if (mode !== 'next') return;
      mode = '';
      nextAt(e.latlng).catch(fail);
    });
  };

  // ---- edits ----
  async function rename(t) {
    const input = $('turf-name');
    const name = input.value.trim();
    if (!name) { input.focus(); throw new Error('Type the new name in "Name for a new or renamed turf" first'); }
    await api('POST', '/turfs/' + t.id, { name });
    ok();
    await load(state.campaign);
  }

  async function remove(t) {
    const r = await api('POST', '/turfs/' + t.id + '/delete', {});
    $('live-counts').textContent = r.retired.archived ? `${t.name} archived (it has records); ${r.retired.links_ended} links ended`
      : `${t.name} deleted; ${r.retired.links_ended} links ended`;
    ok();
    await load(state.campaign);
  }

  async function merge() {
    const ids = [...document.querySelectorAll('#turfs tbody tr')].filter((tr) => tr.querySelector('.turf-pick').checked)
      .map((tr) => tr.dataset.turf);
    if (ids.length < 2) throw new Error('Tick two or more turfs to merge');
    const name = $('turf-name').value.trim();
    const r = await api('POST', '/campaigns/' + state.campaign + '/turfs/merge', name ? { turf_ids: ids, name } : { turf_ids: ids });
    $('live-counts').textContent = `Merged into ${r.turf.name} (${r.turf.doors} doors)`;
    ok();
    await load(state.campaign);
  }

  // ---- route, preview, next unassigned ----
  function clearRoute() { if (routeLayer) { routeLayer.remove(); routeLayer = null; } $('route-out').textContent = ''; }

  async function showRoute(t) {
    clearRoute();
    const r = await api('GET', '/turfs/' + t.id + '/route');
    routeLayer = L.featureGroup().addTo(state.map);
    if (r.line.length > 1) L.polyline(r.line, { color: '#e67e22', weight: 3 }).addTo(routeLayer);
    for (const d of r.doors) {
      L.circleMarker([d.lat, d.lon], { radius: 6, color: '#e67e22', fillOpacity: 0.9, pmIgnore: true })
        .bindTooltip(document.createTextNode(String(d.order)), { permanent: r.doors.length <= 60, direction: 'center', className: 'route-order' })
        .addTo(routeLayer);
    }
    const km = (r.length_m / 1000).toFixed(2);
    $('route-out').textContent = `${r.turf.name}: ${r.doors.length} doors in walk order, ${km} km, ${Math.round(r.minutes)} min ` +
      `(${r.walk_m_per_s} m/s and ${r.minutes_per_door} min a door)`;
    Console.lastRoute = r;
    if (r.doors.length) state.map.fitBounds(routeLayer.getBounds(), { padding: [30, 30] });
  }

  async function preview(t) {
    // The canvasser page in sandbox mode: it fetches the package with this session, keeps it in
    // memory and sends nothing. 360x740, a phone's size.
    const box = $('turf-preview');
    box.hidden = false;
    $('turf-preview-title').textContent = 'Preview: ' + t.name;
    const frame = $('turf-preview-frame');
    frame.src = 'about:blank';
    frame.src = 'index.html#preview=' + t.id;
    Console.previewTurf = t.id;
  }

  async function nextAt(latlng) {
    if (nextLayer) { nextLayer.remove(); nextLayer = null; }
    try {
      const r = await api('GET', `/campaigns/${state.campaign}/turfs/next?lat=${latlng.lat.toFixed(7)}&lon=${latlng.lng.toFixed(7)}`);
      nextLayer = L.featureGroup().addTo(state.map);
      L.circleMarker(latlng, { radius: 5, color: '#000' }).addTo(nextLayer);
      if (r.turf.polygon) L.geoJSON(r.turf.polygon, { style: { color: '#27ae60', weight: 4, fillOpacity: 0.15 }, pmIgnore: true }).addTo(nextLayer);
      $('next-out').textContent = `Next unassigned: ${r.turf.name} (${r.turf.doors} doors, ${Math.round(r.distance_m)} m away). Make its link on the Links screen.`;
      $('next-out').dataset.turf = r.turf.id;
    } catch (e) {
      if (e.status === 404) $('next-out').textContent = 'Every turf with doors has a live link.';
      else throw e;
    }
  }

  async function makeLink(t) {
    const r = await api('POST', '/turfs/' + t.id + '/links', { expires_in_days: 30, label: t.name });
    const box = $('link-out');
    box.innerHTML = '';
    const input = el('input', { id: 'new-link', readOnly: true, 'aria-label': 'Link for ' + t.name });
    input.value = r.url;
    box.append(el('p', {}, `Link for ${t.name} (shown once; expires ${new Date(r.link.expires_at).toLocaleDateString()}):`), input);
    input.select();
    ok();
  }

  // ---- the panel's controls ----
  $('cut-form').onsubmit = (e) => {
    e.preventDefault();
    const n = Number($('target').value);
    const body = $('cut-by').value === 'minutes' ? { target_minutes: n } : { target_doors: n };
    if ($('cut-area').checked) {
      if (!areaLayer) { fail(new Error('Draw the area first (Draw area), or untick "Only inside the drawn area"')); return; }
      body.area = areaLayer.geometry;
    }
    api('POST', '/campaigns/' + state.campaign + '/turfs/auto', body).then((r) => {
      report(r);
      ok();
      return load(state.campaign);
    }, fail);
  };
  $('cut-by').onchange = () => {
    const minutes = $('cut-by').value === 'minutes';
    $('target').min = minutes ? 10 : 5;
    $('target').max = minutes ? 600 : 2000;
    $('target').value = minutes ? 120 : 40;
  };
  $('draw-area').onclick = () => startArea().catch(fail);
  $('draw-turf').onclick = () => startDraw().catch(fail);
  $('merge-turfs').onclick = () => merge().catch(fail);
  $('next-turf').onclick = () => { stopModes(); mode = 'next'; $('next-out').textContent = 'Click the map where the canvassers are.'; };
  $('finish-line').onclick = () => { const d = state.map.pm.Draw.Line; if (d && d._finishShape) d._finishShape(); };
  $('stop-edit').onclick = () => { stopModes(); load(state.campaign).catch(fail); };
  $('turf-preview-close').onclick = () => { $('turf-preview').hidden = true; $('turf-preview-frame').src = 'about:blank'; };

  Console.screen({ name: 'turfs', onCampaign: (id) => { live = null; if (areaLayer) { areaLayer.remove(); areaLayer = null; } report(null); return load(id); } });
  Console.reloadTurfs = () => load(state.campaign);
})();
