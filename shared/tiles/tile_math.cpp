// Web Mercator and PMTiles ids (see tile_math.h). The Hilbert walk follows the PMTiles v3 spec
// (and its reference reader) step for step, so ids agree with archives made by other tools.
#include "shared/tiles/tile_math.h"

#include <algorithm>
#include <cmath>

namespace doorstep::tiles {

namespace {
constexpr double kPi = 3.14159265358979323846;

void rotate(uint64_t n, uint64_t& x, uint64_t& y, uint64_t rx, uint64_t ry) {
  if (ry == 0) {
    if (rx == 1) {
      x = n - 1 - x;
      y = n - 1 - y;
    }
    std::swap(x, y);
  }
}

uint64_t tiles_before(int z) {  // sum of 4^k for k < z
  uint64_t acc = 0;
  for (int k = 0; k < z; ++k) acc += uint64_t(1) << (2 * k);
  return acc;
}
}  // namespace

WorldXY world_of(double lon, double lat) {
  lat = std::clamp(lat, -kMaxLat, kMaxLat);
  const double s = std::sin(lat * kPi / 180.0);
  WorldXY w;
  w.x = (lon + 180.0) / 360.0;
  w.y = 0.5 - std::log((1 + s) / (1 - s)) / (4 * kPi);
  return w;
}

double lon_of_world(double x) { return x * 360.0 - 180.0; }
double lat_of_world(double y) {
  const double n = kPi * (1 - 2 * y);
  return std::atan(std::sinh(n)) * 180.0 / kPi;
}

TileId tile_of(double lon, double lat, int z) {
  const WorldXY w = world_of(lon, lat);
  const double n = std::ldexp(1.0, z);
  const auto clampi = [&](double v) {
    return static_cast<uint32_t>(std::clamp(std::floor(v * n), 0.0, n - 1));
  };
  return TileId{z, clampi(w.x), clampi(w.y)};
}

std::vector<TileId> tiles_covering(double min_lon, double min_lat, double max_lon, double max_lat, int z,
                                   int margin) {
  const TileId a = tile_of(min_lon, max_lat, z), b = tile_of(max_lon, min_lat, z);
  const int64_t last = (int64_t(1) << z) - 1;
  const int64_t x0 = std::max<int64_t>(0, int64_t(a.x) - margin), x1 = std::min<int64_t>(last, int64_t(b.x) + margin);
  const int64_t y0 = std::max<int64_t>(0, int64_t(a.y) - margin), y1 = std::min<int64_t>(last, int64_t(b.y) + margin);
  std::vector<TileId> out;
  for (int64_t x = x0; x <= x1; ++x)
    for (int64_t y = y0; y <= y1; ++y) out.push_back(TileId{z, uint32_t(x), uint32_t(y)});
  return out;
}

uint64_t pmtiles_id(TileId t) {
  const uint64_t n = uint64_t(1) << t.z;
  uint64_t x = t.x, y = t.y, d = 0;
  for (uint64_t s = n / 2; s > 0; s /= 2) {
    const uint64_t rx = (x & s) > 0 ? 1 : 0;
    const uint64_t ry = (y & s) > 0 ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    rotate(s, x, y, rx, ry);
  }
  return tiles_before(t.z) + d;
}

std::optional<TileId> pmtiles_tile(uint64_t id) {
  uint64_t acc = 0;
  for (int z = 0; z <= kMaxZoom; ++z) {
    const uint64_t count = uint64_t(1) << (2 * z);
    if (acc + count > id) {
      uint64_t t = id - acc, x = 0, y = 0;
      const uint64_t n = uint64_t(1) << z;
      for (uint64_t s = 1; s < n; s *= 2) {
        const uint64_t rx = 1 & (t / 2);
        const uint64_t ry = 1 & (t ^ rx);
        rotate(s, x, y, rx, ry);
        x += s * rx;
        y += s * ry;
        t /= 4;
      }
      return TileId{z, uint32_t(x), uint32_t(y)};
    }
    acc += count;
  }
  return std::nullopt;
}

}  // namespace doorstep::tiles
