// Map facade driven from C++ (wasm/js_map.cpp through embind): Leaflet objects stay here, keyed by
// small integer ids; C++ holds ids only. Doors are drawn on one canvas layer (thousands of DOM
// markers would lag on phones). Taps on doors go back to C++ through Module.doorstepDoorTapped.
// The base map comes from web/basemap.js (vector tiles or raster XYZ); the turf's footprints come
// from the package. "Where am I" is a map button whose position stays in
// this page (DoorstepPage.watchPosition): it never reaches C++ or the server.
'use strict';
(function () {

  const maps = new Map();
  let nextId = 1;
  // Status colours, indexed by the status number C++ sends (see wasm/js_map.h).
  const FILL = ['#ffffff', '#9aa5b1', '#2e9e44', '#c0392b', '#7f8c8d', '#7f8c8d', '#34495e', '#8e44ad', '#e0a800', '#1f77b4'];

  // hollow: a door on the other side of the street from the one being walked (see setRoute).
  function doorStyle(status, selected, hollow) {
    return {
      radius: selected ? 11 : 8, weight: selected ? 4 : 2, color: selected ? '#ff6a00' : '#1d4e89',
      fillColor: FILL[status] || '#ffffff', fillOpacity: hollow && !selected ? 0.15 : 0.95,
    };
  }
  // A door marker's style, set only when it differs from the one it has (see setRoute).
  function restyle(mk, style) {
    const key = style.radius + '|' + style.weight + '|' + style.color + '|' + style.fillColor + '|' + style.fillOpacity;
    if (mk.doorstepStyle === key) return;
    mk.doorstepStyle = key;
    mk.setStyle(style);
  }
  const styleOf = (m, i) => doorStyle(m.status[i], i === m.selected, m.walked !== null && m.sides[i] !== undefined && m.sides[i] !== m.walked);

  const api = {
    create(elementId) {
      const el = document.getElementById(elementId);
      const map = L.map(el, { preferCanvas: true, zoomControl: true, attributionControl: true, tap: false });
      const renderer = L.canvas({ padding: 0.3, tolerance: 8 });  // tolerance: finger-sized hit area
      const id = nextId++;
      maps.set(id, { map, renderer, doors: [], selected: -1, route: null, turf: null, me: null, tiles: null,
        buildings: null, unitLabels: null, next: null, locate: null, sides: [], walked: null });
      map.setView([34.0, -118.45], 15);
      return id;
    },
    // A raster XYZ template (an online source with its attribution) or vector tiles (web/basemap.js).
    setTiles(id, url, attribution) {
      const m = maps.get(id);
      if (m.tiles) { m.tiles.remove(); m.tiles = null; }
      if (!url) return;
      m.tiles = DoorstepBasemap.layer(url, attribution);
      m.tiles.addTo(m.map);
      m.tiles.bringToBack();
    },
    // The turf's buildings from the package: GeoJSON FeatureCollection whose features carry
    // properties.units; a building of several units shows its count. The counts are small
    // non-interactive markers of a fixed size, not permanent tooltips: a tooltip measures itself
    // as it opens (a forced layout each), which made this the start-up's longest task at 4x CPU.
    setBuildings(id, geojsonText) {
      const m = maps.get(id);
      if (m.buildings) m.buildings.remove();
      if (m.unitLabels) m.unitLabels.remove();
      m.buildings = null;
      m.unitLabels = null;
      if (!geojsonText) return;
      let index = 0;
      const labels = [];
      m.buildings = L.geoJSON(JSON.parse(geojsonText), {
        renderer: m.renderer, bubblingMouseEvents: false,
        style: { color: '#8c6d52', weight: 1, fillColor: '#d8c3ad', fillOpacity: 0.85 },
        onEachFeature: (f, layer) => {
          const n = f.properties && f.properties.units;
          if (n > 1) {
            const text = String(n);
            const icon = L.divIcon({ className: 'units-label', html: text, iconSize: [12 + 8 * text.length, 18] });
            labels.push(L.marker(layer.getBounds().getCenter(), { icon, interactive: false, keyboard: false }));
          }
          // A tap on a building opens its units in walk order (C++ picks the first one to knock).
          const i = index++;
          layer.on('click', () => { if (window.Module && Module.doorstepBuildingTapped) Module.doorstepBuildingTapped(i); });
        },
      }).addTo(m.map);
      m.unitLabels = L.layerGroup(labels).addTo(m.map);
      if (m.route) m.route.bringToFront();
      m.doors.forEach((d) => d.bringToFront());
    },
    // Tests: how many buildings show a unit count, and the count shown on building `index`'s label.
    unitLabelCount(id) { const m = maps.get(id); return m && m.unitLabels ? m.unitLabels.getLayers().length : 0; },
    buildingCount(id) { const m = maps.get(id); return m && m.buildings ? m.buildings.getLayers().length : 0; },
    // Tests: the units of building `index` (properties.units) and whether door `door` lies within
    // 30 m of it.
    buildingUnits(id, index) { const l = maps.get(id).buildings.getLayers()[index]; return l ? l.feature.properties.units : 0; },
    doorNearBuilding(id, door, index) {
      const m = maps.get(id);
      const l = m.buildings.getLayers()[index], d = m.doors[door];
      if (!l || !d) return false;
      const b = l.getBounds(), p = d.getLatLng();
      return L.latLngBounds(L.latLng(b.getSouth() - 0.0003, b.getWest() - 0.0004), L.latLng(b.getNorth() + 0.0003, b.getEast() + 0.0004)).contains(p);
    },
    // Page coordinates of a building's centre (tests).
    buildingPoint(id, index) {
      const m = maps.get(id);
      const layer = m && m.buildings && m.buildings.getLayers()[index];
      if (!layer) return null;
      const p = m.map.latLngToContainerPoint(layer.getBounds().getCenter());
      const r = m.map.getContainer().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
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
      if (mk) restyle(mk, styleOf(m, index));
    },
    selectDoor(id, index, pan) {
      const m = maps.get(id);
      const prev = m.doors[m.selected];
      const was = m.selected;
      m.selected = index;
      if (prev) restyle(prev, styleOf(m, was));
      const mk = m.doors[index];
      if (!mk) return;
      restyle(mk, styleOf(m, index));
      mk.bringToFront();
      if (pan && !m.map.getBounds().pad(-0.15).contains(mk.getLatLng())) m.map.panTo(mk.getLatLng());
    },
    // The walk order as a line (redrawn by C++ whenever the order changes); the next door to
    // visit gets a ring, so the line's head is plain to see.
    // sides[i]: a key of the door's street side ("street|parity"); the side of the next door is
    // the one being walked: its doors solid, the other side's hollow.
    setDoorSides(id, sides) { const m = maps.get(id); m.sides = Array.from(sides); },
    doorHollow(id, index) { const m = maps.get(id); return styleOf(m, index).fillOpacity < 0.5; },
    // Each record moves the ring to the next door: the line is rebuilt only when the order itself
    // changed, the ring is moved rather than made again, and only doors whose look changed are
    // restyled (each restyle asks the canvas for a redraw).
    setRoute(id, latlon, next) {
      const m = maps.get(id);
      m.walked = next >= 0 && m.sides[next] ? m.sides[next] : null;
      m.doors.forEach((mk, i) => restyle(mk, styleOf(m, i)));
      const key = Array.prototype.join.call(latlon, ',');
      let made = false;
      if (!m.route || m.routeKey !== key) {
        if (m.route) m.route.remove();
        const pts = [];
        for (let i = 0; i + 1 < latlon.length; i += 2) pts.push([latlon[i], latlon[i + 1]]);
        m.route = L.polyline(pts, { renderer: m.renderer, color: '#1d4e89', weight: 3, opacity: 0.55, interactive: false }).addTo(m.map);
        m.routeKey = key;
        made = true;
      }
      const d = next >= 0 ? m.doors[next] : null;
      if (!d) {
        if (m.next) { m.next.remove(); m.next = null; }
      } else if (m.next && !made) {
        m.next.setLatLng(d.getLatLng());
      } else {
        if (m.next) m.next.remove();
        m.next = L.circleMarker(d.getLatLng(), { renderer: m.renderer, radius: 15, weight: 3, color: '#ff6a00', fill: false, interactive: false }).addTo(m.map);
        made = true;
      }
      if (made) m.doors.forEach((mk) => mk.bringToFront());
    },
    nextDoor(id) { const m = maps.get(id); return m && m.next ? m.doors.findIndex((d) => d.getLatLng().equals(m.next.getLatLng())) : -1; },
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
      // No animation: the base map then loads the turf's tiles only (the offline cache holds those).
      if (layers.length) m.map.fitBounds(L.featureGroup(layers).getBounds(), { padding: [16, 16], maxZoom: 18, animate: false });
    },
    showPosition(id, lat, lon, accuracy) {
      const m = maps.get(id);
      if (m.me) m.me.remove();
      m.me = L.featureGroup([
        L.circle([lat, lon], { renderer: m.renderer, radius: Math.max(accuracy, 5), color: '#2a7de1', weight: 1, fillOpacity: 0.15, interactive: false }),
        L.circleMarker([lat, lon], { renderer: m.renderer, radius: 6, color: '#ffffff', weight: 2, fillColor: '#2a7de1', fillOpacity: 1, interactive: false }),
      ]).addTo(m.map);
    },
    clearPosition(id) { const m = maps.get(id); if (m.me) { m.me.remove(); m.me = null; } },
    // The "where am I" button (a real DOM button: reachable by touch and screen readers). One tap
    // follows the phone's position while the page is visible, for at most ten minutes; a second tap
    // stops. Positions stay in the page.
    addLocateButton(id, label) {
      const m = maps.get(id);
      if (m.locate) return;
      const Control = L.Control.extend({
        onAdd() {
          const b = L.DomUtil.create('button', 'locate-button');
          b.type = 'button';
          b.textContent = '\u25CE';
          b.setAttribute('aria-label', label || 'Where am I');
          b.setAttribute('aria-pressed', 'false');
          L.DomEvent.disableClickPropagation(b);
          let stop = null, first = true;
          const end = () => { if (stop) stop(); stop = null; b.setAttribute('aria-pressed', 'false'); };
          b.addEventListener('click', () => {
            if (stop) { end(); api.clearPosition(id); return; }
            b.setAttribute('aria-pressed', 'true');
            stop = DoorstepPage.watchPosition((lat, lon, acc) => {
              api.showPosition(id, lat, lon, acc);
              if (first) { first = false; m.map.setView([lat, lon], Math.max(m.map.getZoom(), 17)); }
            }, () => { end(); });
          });
          return b;
        },
      });
      m.locate = new Control({ position: 'topright' }).addTo(m.map);
    },
    positionShown(id) {
      const m = maps.get(id);
      if (!m || !m.me) return null;
      const layers = m.me.getLayers();
      const c = layers[0].getLatLng();
      return { lat: c.lat, lon: c.lng, accuracy: layers[0].getRadius() };
    },
    invalidate(id) { maps.get(id).map.invalidateSize(); },
    // The wipe: every layer that shows the turf (doors and their labels, route, outline, position).
    clear(id) {
      const m = maps.get(id);
      m.doors.forEach((d) => d.remove());
      m.doors = [];
      m.status = [];
      m.selected = -1;
      for (const k of ['route', 'turf', 'me', 'buildings', 'next', 'walked', 'position']) { if (m[k] && m[k].remove) { m[k].remove(); m[k] = null; } }
      m.sides = [];
    },
    // Layers on the map, for the wipe's end-to-end check (tiles excluded).
    layerCount(id) {
      const m = maps.get(id);
      let n = 0;
      m.map.eachLayer((l) => { if (l !== m.tiles) ++n; });
      return n;
    },
    panBy(id, dx, dy) { maps.get(id).map.panBy([dx, dy], { animate: false }); },
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
    // A door's position, in the order the app gave the doors (walk order; the preview's e2e test).
    doorLatLng(id, index) {
      const m = maps.get(id);
      const mk = m && m.doors[index];
      if (!mk) return null;
      const p = mk.getLatLng();
      return { lat: p.lat, lon: p.lng };
    },
  };
  window.DoorstepMap = api;
})();
