// Turfs screen: the campaign's turfs in a table and on the map, automatic cutting of the doors
// not yet in a live turf, and a new canvasser link per turf (shown once). Leaves out drawing and
// editing turfs and crew links (later screens).
'use strict';
(function () {
  const { $, el, api, fail, ok, state } = Console;
  let turfLayer = null;

  async function load(campaign) {
    const body = $('turfs').tBodies[0];
    body.innerHTML = '';
    $('link-out').innerHTML = '';
    if (turfLayer) { turfLayer.remove(); turfLayer = null; }
    if (!campaign) { $('counts').textContent = ''; return; }
    const c = await api('GET', '/campaigns/' + campaign);
    const n = c.counts || {};
    const { turfs } = await api('GET', '/campaigns/' + campaign + '/turfs');
    $('counts').textContent = `${n.people || 0} people · ${n.doors || 0} doors · ${turfs.length} turfs`;
    turfLayer = L.featureGroup().addTo(state.map);
    for (const t of turfs) {
      const tr = body.insertRow();
      tr.dataset.turf = t.id;
      tr.insertCell().textContent = t.name;
      tr.insertCell().textContent = t.doors;
      tr.insertCell().className = 'knocked';
      tr.insertCell().className = 'contacts';
      tr.insertCell().append(el('button', { type: 'button', 'aria-label': 'New link for ' + t.name,
        onclick: () => makeLink(t).catch(fail) }, 'New link'));
      if (t.polygon) {
        // A tooltip's string is HTML to Leaflet: pass a text node so a turf name is never markup.
        L.geoJSON(t.polygon, { style: { color: '#1d4e89', weight: 2, fillOpacity: 0.08 } })
          .bindTooltip(document.createTextNode(t.name)).addTo(turfLayer);
      }
    }
    if (turfs.length) state.map.fitBounds(turfLayer.getBounds(), { padding: [20, 20] });
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

  $('cut-form').onsubmit = (e) => {
    e.preventDefault();
    api('POST', '/campaigns/' + state.campaign + '/turfs/auto', { target_doors: Number($('target').value) })
      .then(() => load(state.campaign), fail);
  };

  Console.screen({ name: 'turfs', onCampaign: load });
  Console.reloadTurfs = () => load(state.campaign);
})();
