// Data screen: upload a voter or address file into the campaign's universe and show the import
// report. Leaves out column mapping, reference points and progress (organizer part 1).
'use strict';
(function () {
  const { $, api, fail, ok, state } = Console;

  $('upload-form').onsubmit = async (e) => {
    e.preventDefault();
    const f = $('file').files[0];
    if (!f || !state.campaign) return;
    try {
      const rep = await api('POST', '/campaigns/' + state.campaign + '/universe', undefined, await f.text());
      $('report').textContent = `${rep.rows} rows · ${rep.people} people · ${rep.doors} doors · ${rep.geocoded} placed\n` +
        (rep.errors || []).slice(0, 50).map((x) => `row ${x.row}: ${x.message}`).join('\n');
      ok();
      await Console.selectCampaign(state.campaign);
    } catch (err) { fail(err); }
  };

  Console.screen({ name: 'data', onCampaign: () => { $('report').textContent = ''; } });
})();
