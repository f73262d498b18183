// The base map's style for the Protomaps basemap schema, so that the demo archive and a regional
// extract look alike: paint and label rules for protomaps-leaflet (`P`), used by the worker that
// paints tiles (web/basemap_worker.js) and by the page where workers cannot paint. Leaves out data.
'use strict';
self.doorstepBasemapStyle = function (P) {
  const kind = (k) => (z, f) => f.props.kind === k;
  const paintRules = [
    { dataLayer: 'earth', symbolizer: new P.PolygonSymbolizer({ fill: '#f4f1ea' }) },
    { dataLayer: 'water', symbolizer: new P.PolygonSymbolizer({ fill: '#a9cde8' }) },
    { dataLayer: 'landuse', symbolizer: new P.PolygonSymbolizer({ fill: '#e3ecd6', opacity: 0.7 }) },
    // Real street geometry when the archive has it; the demo's label-only lines are not drawn.
    { dataLayer: 'roads', filter: (z, f) => !f.props.doorstep_label_only,
      symbolizer: new P.LineSymbolizer({ color: '#ffffff', width: (z) => (z >= 17 ? 9 : z >= 15 ? 5 : 2) }) },
    { dataLayer: 'boundaries', filter: kind('block_group'), minzoom: 14,
      symbolizer: new P.LineSymbolizer({ color: '#9c8fb5', width: 1, dash: [3, 3] }) },
    { dataLayer: 'boundaries', filter: (z, f) => f.props.kind !== 'block_group',
      symbolizer: new P.LineSymbolizer({ color: '#7a5c99', width: 2.5, dash: [8, 4], opacity: 0.8 }) },
    { dataLayer: 'buildings', filter: (z, f) => f.props.kind !== 'address',
      symbolizer: new P.PolygonSymbolizer({ fill: '#ddd6cf', stroke: '#b9ada2', width: 0.6 }) },
  ];
  const labelRules = [
    { dataLayer: 'buildings', minzoom: 17, filter: kind('address'),
      symbolizer: new P.CenteredTextSymbolizer({ labelProps: ['addr_housenumber'], fill: '#5a4e44', stroke: '#f4f1ea', width: 2, font: '500 10px sans-serif' }) },
    { dataLayer: 'roads', minzoom: 15,
      symbolizer: new P.LineLabelSymbolizer({ labelProps: ['name'], fill: '#333333', stroke: '#ffffff', width: 3, font: '600 13px sans-serif' }) },
    { dataLayer: 'places', filter: (z, f) => f.props.kind !== 'block_group',
      symbolizer: new P.CenteredTextSymbolizer({ labelProps: ['name'], fill: '#5b3f7a', stroke: '#ffffff', width: 2, font: '600 15px sans-serif' }) },
    { dataLayer: 'places', minzoom: 16, filter: kind('block_group'),
      symbolizer: new P.CenteredTextSymbolizer({ labelProps: ['name'], fill: '#7d7191', stroke: '#ffffff', width: 2, font: '11px sans-serif' }) },
  ];
  return { paintRules, labelRules, backgroundColor: '#eeeae2' };
};

