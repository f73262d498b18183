// Tile benchmark: build time and archive size of the demo area's base map (1,310 footprints,
// 991 address points, 30 outlines; z12-z18) as PMTiles and MBTiles, and what one 40-door turf of
// the demo needs offline (z15-z18 plus a one-tile margin: tile count and bytes read from the
// archive). The browser side (service worker fetch and cache) is bench/tile_cache.mjs.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/bench_clock.h"
#include "server/tile_build.h"
#include "shared/route/doors_csv.h"
#include "shared/tiles/archive.h"
#include "shared/tiles/tile_math.h"

using namespace doorstep;

int main() {
  const std::string assets = std::string(DOORSTEP_SOURCE_DIR) + "/assets/demo/";
  server::BasemapFiles files;
  files.buildings = {assets + "venice_buildings.geojson"};
  files.addresses = assets + "venice_points.csv";
  files.outlines = {assets + "demo_outlines.geojson"};
  const std::string dir = std::string(DOORSTEP_SOURCE_DIR) + "/build/";
  std::printf("Base map of the demo area (z12-z18), median of 5 builds\n\n");
  std::printf("%-10s %8s %12s %10s %10s %10s\n", "format", "tiles", "bytes", "wall ms", "cpu ms", "peak MB");
  for (const char* ext : {"pmtiles", "mbtiles"}) {
    std::vector<double> wall, cpu;
    server::BasemapReport rep;
    for (int i = 0; i < 5; ++i) {
      const double w0 = bench_clock::now_s(), c0 = bench_clock::thread_cpu_s();
      auto r = server::build_basemap(files, dir + "bench-demo." + ext, tiles::TilerOptions{});
      if (!r.ok()) {
        std::fprintf(stderr, "bench_tiles: %s\n", r.error().message.c_str());
        return 1;
      }
      wall.push_back((bench_clock::now_s() - w0) * 1e3);
      cpu.push_back((bench_clock::thread_cpu_s() - c0) * 1e3);
      rep = *r;
    }
    std::sort(wall.begin(), wall.end());
    std::sort(cpu.begin(), cpu.end());
    std::printf("%-10s %8zu %12llu %10.1f %10.1f %10.1f\n", ext, rep.tiles, static_cast<unsigned long long>(rep.bytes),
                wall[2], cpu[2], bench_clock::peak_rss_kb() / 1024.0);
  }

  // One turf: the first 40 demo address points in file order lie along one street (Palms Blvd and
  // its neighbours): its box, z15-z18, one tile of margin, as the phone asks for them.
  auto t = doors_csv::load(assets + "venice_points.csv");
  if (!t.ok()) return 1;
  double min_lon = 180, min_lat = 90, max_lon = -180, max_lat = -90;
  for (size_t i = 0; i < 40 && i < t->rows.size(); ++i) {
    const double lon = geo::from_fix(t->rows[i].at.lon), lat = geo::from_fix(t->rows[i].at.lat);
    min_lon = std::min(min_lon, lon), max_lon = std::max(max_lon, lon);
    min_lat = std::min(min_lat, lat), max_lat = std::max(max_lat, lat);
  }
  auto a = tiles::open_archive(dir + "bench-demo.pmtiles");
  if (!a.ok()) return 1;
  std::printf("\nOne 40-door turf offline (z15-z18 + 1-tile margin), tiles read from the archive\n\n");
  std::printf("%-6s %8s %8s %12s %10s\n", "zoom", "asked", "present", "bytes", "read us");
  size_t asked = 0, present = 0;
  uint64_t bytes = 0;
  double us = 0;
  for (int z = 15; z <= 18; ++z) {
    auto list = tiles::tiles_covering(min_lon, min_lat, max_lon, max_lat, z, 1);
    size_t p = 0;
    uint64_t b = 0;
    const double w0 = bench_clock::now_s();
    for (auto id : list) {
      auto tile = (*a)->tile(id);
      if (tile.ok() && tile->has_value()) ++p, b += (*tile)->size();
    }
    const double dt = (bench_clock::now_s() - w0) * 1e6;
    std::printf("%-6d %8zu %8zu %12llu %10.0f\n", z, list.size(), p, static_cast<unsigned long long>(b), dt);
    asked += list.size(), present += p, bytes += b, us += dt;
  }
  std::printf("%-6s %8zu %8zu %12llu %10.0f\n", "all", asked, present, static_cast<unsigned long long>(bytes), us);
  return 0;
}
