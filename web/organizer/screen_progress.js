// Progress screen: live totals by cursor (polled by the shell every 5 s while visible), per-turf
// figures in the turfs table, and the export downloads. Leaves out the dashboard's per-canvasser
// rows, roster and charts (organizer part 3).
'use strict';
(function () {
  const { $, el, api, state } = Console;
  let cursor = '';

  async function poll() {
    if (!state.campaign) return;
    const p = await api('GET', '/campaigns/' + state.campaign + '/progress' + (cursor ? '?cursor=' + encodeURIComponent(cursor) : ''));
    cursor = p.cursor;
    const t = p.totals || {};
    const bands = p.distance_bands || {};
    $('totals').textContent = `${t.attempts || 0} attempts · ${t.doors_knocked || 0} doors · ${t.contacts || 0} contacts` +
      ` (${Math.round(100 * (t.contact_rate || 0))}%) · GPS: ${bands.green || 0} near, ${bands.orange || 0} 100-300 m, ${bands.red || 0} far`;
    for (const tp of p.turfs || []) {
      const row = document.querySelector(`tr[data-turf="${CSS.escape(tp.id)}"]`);
      if (!row) continue;
      row.querySelector('.knocked').textContent = tp.knocked;
      row.querySelector('.contacts').textContent = tp.contacts;
    }
  }

  async function load(campaign) {
    cursor = '';
    $('exports').innerHTML = '';
    $('totals').textContent = '';
    if (!campaign) return;
    // Exports carry names: organizers and owners only (the server answers a viewer 403).
    if (Console.may('organizer')) for (const kind of ['van', 'attempts', 'signups', 'turfs']) {
      $('exports').append(el('a', { href: '/api/v1/campaigns/' + campaign + '/export/' + kind, download: '' }, kind), ' ');
    }
    else $('exports').textContent = 'Exports hold names: organizers and owners of the campaign download them.';
    await poll();
  }

  Console.screen({ name: 'progress', onCampaign: load, onPoll: poll });
})();
