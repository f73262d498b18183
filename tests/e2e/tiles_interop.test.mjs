// The demo base map built by `doorstep tiles build` read by other people's code: the PMTiles
// reference reader (npm pmtiles, as protomaps-leaflet uses it) finds tiles by z/x/y, and Mapbox's
// vector-tile decoder reads the project's MVT: layers of the Protomaps schema, footprints as
// polygons, house numbers from z17 only. Needs only the native build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PMTiles } from 'pmtiles';
import { VectorTile } from '@mapbox/vector-tile';
import Pbf from 'pbf';
import { root, doorstep } from './harness.mjs';

const demo = path.join(root, 'assets/demo');

function fileSource(file) {
  const fd = openSync(file, 'r');
  return {
    getKey: () => file,
    getBytes: async (offset, length) => {
      const buf = Buffer.alloc(length);
      const n = readSync(fd, buf, 0, length, offset);
      return { data: buf.buffer.slice(buf.byteOffset, buf.byteOffset + n) };
    },
  };
}

// Slippy-map tile of a point (the standard formula, independent of the C++ one).
function tileOf(lon, lat, z) {
  const n = 2 ** z, r = (lat * Math.PI) / 180;
  return [z, Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.asinh(Math.tan(r)) / Math.PI) / 2) * n)];
}

test('the demo archive reads back through the PMTiles reference reader and the Mapbox MVT decoder', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'doorstep-tiles-'));
  try {
    const out = path.join(dir, 'demo.pmtiles');
    const rep = JSON.parse(execFileSync(doorstep, ['tiles', 'build', '--out', out, '--json',
      '--buildings', path.join(demo, 'venice_buildings.geojson'), '--addresses', path.join(demo, 'venice_points.csv'),
      '--outlines', path.join(demo, 'demo_outlines.geojson')], { encoding: 'utf8' }));
    assert.equal(rep.buildings, 1310);
    const p = new PMTiles(fileSource(out));
    const h = await p.getHeader();
    assert.equal(h.specVersion, 3);
    assert.equal(h.minZoom, 12);
    assert.equal(h.maxZoom, 18);
    assert.equal(h.numAddressedTiles, rep.tiles);
    const meta = await p.getMetadata();
    assert.ok(meta.vector_layers.some((l) => l.id === 'buildings'));

    const decode = async (lon, lat, z) => {
      const [tz, x, y] = tileOf(lon, lat, z);
      const t = await p.getZxy(tz, x, y);
      assert.ok(t, `tile ${tz}/${x}/${y} present`);
      return new VectorTile(new Pbf(new Uint8Array(t.data)));
    };
    // 1165 Palms Blvd, a demo address.
    const t17 = await decode(-118.4565360, 34.0013965, 17);
    for (const name of ['earth', 'buildings', 'roads']) assert.ok(t17.layers[name], `layer ${name} at z17`);
    const b = t17.layers.buildings;
    const kinds = { building: 0, address: 0 };
    for (let i = 0; i < b.length; i++) {
      const f = b.feature(i);
      kinds[f.properties.kind]++;
      if (f.properties.kind === 'building') assert.equal(f.type, 3);  // polygon
      if (f.properties.kind === 'address') assert.match(String(f.properties.addr_housenumber), /^\d+/);
    }
    assert.ok(kinds.building > 10, `footprints at z17: ${kinds.building}`);
    assert.ok(kinds.address > 10, `house numbers at z17: ${kinds.address}`);
    const ring = b.feature(0).loadGeometry()[0];
    for (const pt of ring) assert.ok(pt.x >= -64 && pt.x <= 4160 && pt.y >= -64 && pt.y <= 4160);
    const road = t17.layers.roads.feature(0).properties;
    assert.equal(road.doorstep_label_only, true);
    assert.ok(road.name.length > 0);

    const t16 = await decode(-118.4565360, 34.0013965, 16);
    for (let i = 0; i < t16.layers.buildings.length; i++)
      assert.notEqual(t16.layers.buildings.feature(i).properties.kind, 'address', 'no house numbers below z17');
    assert.ok(t16.layers.boundaries || t16.layers.places, 'outlines or their names at z16');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
