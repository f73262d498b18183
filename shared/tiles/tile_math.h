// Web Mercator tile arithmetic shared by the tiler, the archives and the tile-list of a turf:
// lon/lat to world coordinates at a zoom, tile ranges of a box, and the PMTiles v3 tile id
// (Hilbert order within a zoom). Leaves out everything beyond zoom 26 (the id would overflow).
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

namespace doorstep::tiles {

struct TileId {
  int z = 0;
  uint32_t x = 0, y = 0;
  bool operator==(const TileId& o) const { return z == o.z && x == o.x && y == o.y; }
  bool operator<(const TileId& o) const {
    return z != o.z ? z < o.z : x != o.x ? x < o.x : y < o.y;
  }
};

constexpr int kMaxZoom = 26;
constexpr double kMaxLat = 85.0511287798066;

// World coordinates in [0, 1) x [0, 1), y growing south (tile order).
struct WorldXY {
  double x = 0, y = 0;
};
WorldXY world_of(double lon, double lat);
double lon_of_world(double x);
double lat_of_world(double y);

// The tile holding a point at zoom z (clamped to the world).
TileId tile_of(double lon, double lat, int z);

// Tiles at zoom z covering a lon/lat box, grown by `margin` tiles on each side (clamped).
std::vector<TileId> tiles_covering(double min_lon, double min_lat, double max_lon, double max_lat, int z,
                                   int margin = 0);

// PMTiles v3 tile id: tiles of lower zooms first, then Hilbert order within the zoom.
uint64_t pmtiles_id(TileId t);
std::optional<TileId> pmtiles_tile(uint64_t id);  // nullopt past zoom 26

}  // namespace doorstep::tiles
