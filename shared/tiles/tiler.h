// The project's tiler: source layers of lon/lat features cut into Mapbox vector tiles for a zoom
// range (project, clip with a buffer, simplify, round, encode), ready for write_pmtiles or
// write_mbtiles. Sized for a campaign's area (everything in memory); leaves out label collision,
// feature merging across tiles and anything a renderer decides (styles).
#pragma once
#include <string>
#include <vector>

#include "shared/base/result.h"
#include "shared/tiles/archive.h"
#include "shared/tiles/mvt.h"

namespace doorstep::tiles {

struct LonLat {
  double lon = 0, lat = 0;
};

struct SourceFeature {
  mvt::GeomType type = mvt::GeomType::polygon;
  std::vector<std::vector<LonLat>> parts;  // as in mvt::Feature: points, lines or rings
  std::vector<bool> is_hole;               // polygons: which rings are holes
  std::vector<std::pair<std::string, mvt::AttrValue>> attrs;
  int min_zoom = 0, max_zoom = 99;  // drawn at these zooms only (clamped to the build's range)
  uint64_t id = 0;
};

struct SourceLayer {
  std::string name;  // Protomaps basemap schema: earth, buildings, places, boundaries, roads, ...
  std::vector<SourceFeature> features;
};

struct TilerOptions {
  int min_zoom = 12, max_zoom = 18;
  uint32_t extent = 4096;
  uint32_t buffer = 64;        // tile units kept beyond each edge, so strokes meet across tiles
  double tolerance = 1.0;      // Douglas-Peucker tolerance in tile units (4096 per tile)
  std::string name, attribution;  // into the archive's metadata
};

struct TileSet {
  std::vector<Tile> tiles;
  ArchiveInfo info;  // zooms, bounds, centre, vector_layers metadata filled in
};

// Cuts every layer into tiles; a feature with no geometry, or outside the world's lat range,
// is an invalid_argument naming its layer.
Result<TileSet> build_tiles(const std::vector<SourceLayer>& layers, const TilerOptions& opts);

}  // namespace doorstep::tiles
