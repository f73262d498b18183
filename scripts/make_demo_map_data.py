#!/usr/bin/env python3
"""Regenerates the demo's map data in assets/demo/ from ../shared/data/la: the building footprints of
the two demo block groups (venice_buildings.geojson) and the outlines around them
(demo_outlines.geojson: census block groups touching the demo area and the LA city neighbourhoods
containing it, with names), coordinates rounded to 1e-7 degree. Deterministic; run by hand, output
committed. Leaves out everything the tiler does (clipping, simplification per zoom)."""
import json, os, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
# The reference data beside the checkout (DOORSTEP_REFERENCE_DATA when the checkout is elsewhere).
src = pathlib.Path(os.environ.get("DOORSTEP_REFERENCE_DATA", root.parent / "shared" / "data")) / "la"
out = root / "assets" / "demo"
GROUPS = {"060372731002", "060372731003"}
MARGIN = 0.004  # degrees (~400 m) around the demo footprints: which outlines count as "around"


def rings_of(geom):
    return [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]


def bbox(geoms):
    xs = [c[0] for g in geoms for poly in rings_of(g) for r in poly for c in r]
    ys = [c[1] for g in geoms for poly in rings_of(g) for r in poly for c in r]
    return min(xs), min(ys), max(xs), max(ys)


def rounded(geom):
    def rr(r):
        return [[round(c[0], 7), round(c[1], 7)] for c in r]
    if geom["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [rr(r) for r in geom["coordinates"]]}
    return {"type": "MultiPolygon", "coordinates": [[rr(r) for r in p] for p in geom["coordinates"]]}


def overlaps(a, b):
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


buildings = [f for f in json.load(open(src / "venice_buildings.geojson"))["features"]
             if f["properties"].get("block_group") in GROUPS]
keep = {"block_group", "addr:housenumber", "addr:street", "addr:postcode", "height"}
buildings = [{"type": "Feature", "properties": {k: v for k, v in f["properties"].items() if k in keep},
              "geometry": rounded(f["geometry"])} for f in buildings]
with open(out / "venice_buildings.geojson", "w") as f:
    json.dump({"type": "FeatureCollection", "features": buildings}, f, separators=(",", ":"))
    f.write("\n")

x0, y0, x1, y1 = bbox([b["geometry"] for b in buildings])
area = (x0 - MARGIN, y0 - MARGIN, x1 + MARGIN, y1 + MARGIN)
outlines = []
for f in json.load(open(src / "westside_block_groups.geojson"))["features"]:
    if overlaps(bbox([f["geometry"]]), area):
        p = f["properties"]
        outlines.append({"type": "Feature", "properties": {
            "kind": "block_group", "name": "Tract %s.%s, block group %s" % (p["TRACTCE"][:4], p["TRACTCE"][4:], p["BLKGRPCE"]),
            "geoid": p["GEOID"]}, "geometry": rounded(f["geometry"])})
for f in json.load(open(src / "la_city_neighborhoods.geojson"))["features"]:
    if overlaps(bbox([f["geometry"]]), (x0, y0, x1, y1)):
        outlines.append({"type": "Feature", "properties": {"kind": "neighbourhood", "name": f["properties"]["name"]},
                         "geometry": rounded(f["geometry"])})
with open(out / "demo_outlines.geojson", "w") as f:
    json.dump({"type": "FeatureCollection", "features": outlines}, f, separators=(",", ":"))
    f.write("\n")
print(len(buildings), "footprints,", len(outlines), "outlines")
