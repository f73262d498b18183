// Map facade driven from C++ (wasm/js_map.cpp through embind): Leaflet objects stay here, keyed by
// small integer ids; C++ holds ids only. Doors are drawn on one canvas layer (thousands of DOM
// markers would lag on phones). Taps on doors go back to C++ through Module.doorstepDoorTapped.
'use strict';
(function () {
  const maps = new Map();
  let nextId = 1;
  // Status colours, indexed by the status number C++ sends (see wasm/js_map.h).
  const FILL = ['#ffffff', '#9aa5b1', '#2e9e44', '#c0392b', '#7f8c8d', '#7f8c8d', '#34495e', '#8e44ad', '#e0a800', '#1f77b4'];

  function doorStyle(status, selected) {
    return {
      radius: selected ? 11 : 8, weight: selected ? 4 : 2, color: selected ? '#ff6a00' : '#1d4e89',
      fillColor: FILL[status] || '#ffffff', fillOpacity: 0.95,
    };
  }

  const api = {
    create(elementId) {
      const el = document.getElementById(elementId);
      const map = L.map(el, { preferCanvas: true, zoomControl: true, attributionControl: true, tap: false });
      const renderer = L.canvas({ padding: 0.3, tolerance: 8 });  // tolerance: finger-sized hit area
      const id = nextId++;
      maps.set(id, { map, renderer, doors: [], selected: -1, route: null, turf: null, me: null, tiles: null });
      map.setView([34.0, -118.45], 15);
      return id;
    },
    setTiles(id, url, attribution) {
      const m = maps.get(id);
      if (m.tiles) { m.tiles.remove(); m.tiles = null; }
      if (url) m.tiles = L.tileLayer(url, { maxZoom: 19, attribution, crossOrigin: true }).addTo(m.map);
    },
    // latlon: Float64Array [lat0, lon0, lat1, lon1, ...]; status: Uint8Array; labels: one per door.
    setDoors(id, latlon, status, labels) {
      const m = maps.get(id);
      m.doors.forEach((d) => d.remove());
      m.doors = [];
      m.status = Array.from(status);
      m.selected = -1;
      for (let i = 0; i < status.length; ++i) {
        const mk = L.circleMarker([latlon[2 * i], latlon[2 * i + 1]],
          Object.assign({ renderer: m.renderer, bubblingMouseEvents: false }, doorStyle(status[i], false)));
        mk.on('click', () => { if (window.Module && Module.doorstepDoorTapped) Module.doorstepDoorTapped(i); });
        if (labels && labels[i]) mk.bindTooltip(labels[i], { direction: 'top', offset: [0, -6] });
        mk.addTo(m.map);
        m.doors.push(mk);
      }
    },
    setDoorStatus(id, index, status) {
      const m = maps.get(id);
      const mk = m.doors[index];
      m.status[index] = status;
      if (mk) mk.setStyle(doorStyle(status, index === m.selected));
    },
    selectDoor(id, index, pan) {
      const m = maps.get(id);
      const prev = m.doors[m.selected];
      if (prev) prev.setStyle(doorStyle(m.status[m.selected], false));
      m.selected = index;
      const mk = m.doors[index];
      if (!mk) return;
      mk.setStyle(doorStyle(m.status[index], true));
      mk.bringToFront();
      if (pan && !m.map.getBounds().pad(-0.15).contains(mk.getLatLng())) m.map.panTo(mk.getLatLng());
    },
    setRoute(id, latlon) {
      const m = maps.get(id);
      if (m.route) m.route.remove();
      const pts = [];
      for (let i = 0; i + 1 < latlon.length; i += 2) pts.push([latlon[i], latlon[i + 1]]);
      m.route = L.polyline(pts, { renderer: m.renderer, color: '#1d4e89', weight: 3, opacity: 0.45, interactive: false }).addTo(m.map);
      m.route.bringToBack();
    },
    setTurf(id, geojsonText) {
      const m = maps.get(id);
      if (m.turf) m.turf.remove();
      m.turf = null;
      if (!geojsonText) return;
      m.turf = L.geoJSON(JSON.parse(geojsonText), {
        renderer: m.renderer, interactive: false, style: { color: '#1d4e89', weight: 2, fill: false, dashArray: '6 4' },
      }).addTo(m.map);
    },
    fit(id) {
      const m = maps.get(id);
      const layers = m.doors.slice();
      if (m.turf) layers.push(m.turf);
      if (layers.length) m.map.fitBounds(L.featureGroup(layers).getBounds(), { padding: [16, 16], maxZoom: 18 });
    },
    showPosition(id, lat, lon, accuracy) {
      const m = maps.get(id);
      if (m.me) m.me.remove();
      m.me = L.circle([lat, lon], { renderer: m.renderer, radius: Math.max(accuracy, 5), color: '#ff6a00', weight: 2, fillOpacity: 0.15, interactive: false }).addTo(m.map);
    },
    invalidate(id) { maps.get(id).map.invalidateSize(); },
    // The wipe: every layer that shows the turf (doors and their labels, route, outline, position).
    clear(id) {
      const m = maps.get(id);
      m.doors.forEach((d) => d.remove());
      m.doors = [];
      m.status = [];
      m.selected = -1;
      for (const k of ['route', 'turf', 'me']) { if (m[k]) { m[k].remove(); m[k] = null; } }
    },
    // Layers on the map, for the wipe's end-to-end check (tiles excluded).
    layerCount(id) {
      const m = maps.get(id);
      let n = 0;
      m.map.eachLayer((l) => { if (l !== m.tiles) ++n; });
      return n;
    },
    // Page coordinates of a door's centre (used by the end-to-end tests and by accessibility tools).
    doorPoint(id, index) {
      const m = maps.get(id);
      const mk = m && m.doors[index];
      if (!mk) return null;
      const p = m.map.latLngToContainerPoint(mk.getLatLng());
      const r = m.map.getContainer().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    },
    doorCount(id) { const m = maps.get(id); return m ? m.doors.length : 0; },
  };
  window.DoorstepMap = api;
})();
