// `doorstep tiles`: `build` cuts a base map (footprints, address points, outlines) into a PMTiles
// or MBTiles archive with the project's own tiler; `info` prints an archive's header. Leaves
// serving to `doorstep serve` (any archive in DATA/tiles/).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "server/commands.h"
#include "server/options.h"
#include "server/tile_build.h"

namespace doorstep::cli {

namespace {
std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, ',');)
    if (!part.empty()) out.push_back(part);
  return out;
}

int usage(const std::string& err) {
  std::fprintf(stderr,
               "%s%susage: doorstep tiles build --out FILE.pmtiles|FILE.mbtiles [--buildings A.geojson[,B...]]\n"
               "                            [--addresses POINTS.csv] [--outlines O.geojson[,...]]\n"
               "                            [--min-zoom 12] [--max-zoom 18] [--name TEXT] [--attribution TEXT] [--json]\n"
               "       doorstep tiles info FILE [--json]\n",
               err.c_str(), err.empty() ? "" : "\n");
  return 2;
}

int build(int argc, char** argv) {
  Options o(argc, argv, {"out", "buildings", "addresses", "outlines", "min-zoom", "max-zoom", "name", "attribution"}, {"json", "help"});
  if (!o.ok() || o.flag("help") || !o.get("out")) return o.flag("help") ? (usage(""), 0) : usage(o.error());
  server::BasemapFiles files;
  files.buildings = split_list(o.get_or("buildings", ""));
  files.addresses = o.get_or("addresses", "");
  files.outlines = split_list(o.get_or("outlines", ""));
  if (files.buildings.empty() && files.addresses.empty() && files.outlines.empty())
    return usage("doorstep tiles build: nothing to draw: give --buildings, --addresses or --outlines");
  tiles::TilerOptions t;
  t.min_zoom = std::atoi(o.get_or("min-zoom", "12").c_str());
  t.max_zoom = std::atoi(o.get_or("max-zoom", "18").c_str());
  t.name = o.get_or("name", "");
  t.attribution = o.get_or("attribution", "");
  auto rep = server::build_basemap(files, *o.get("out"), t);
  if (!rep.ok()) {
    std::fprintf(stderr, "doorstep tiles build: %s\n", rep.error().message.c_str());
    return 1;
  }
  if (o.flag("json")) {
    std::printf("%s\n", json::dump(rep->to_json()).c_str());
  } else {
    std::printf("tiles: %zu tiles, %llu bytes, %.0f ms: %s (%zu buildings, %zu address points, %zu outlines)\n",
                rep->tiles, static_cast<unsigned long long>(rep->bytes), rep->build_ms, rep->path.c_str(), rep->buildings,
                rep->addresses, rep->outlines);
  }
  return 0;
}

int info(int argc, char** argv) {
  Options o(argc, argv, {}, {"json", "help"});
  if (!o.ok() || o.flag("help") || o.positional().size() != 1) return usage(o.error());
  auto a = tiles::open_archive(o.positional()[0], server::gunzip);
  if (!a.ok()) {
    std::fprintf(stderr, "doorstep tiles info: %s\n", a.error().message.c_str());
    return 1;
  }
  const tiles::ArchiveInfo& i = (*a)->info();
  json::Value v = json::Value::object();
  v.set("type", std::string(tiles::tile_extension(i.type)));
  v.set("tile_compression", std::string(tiles::content_encoding(i.tile_compression)));
  v.set("min_zoom", i.min_zoom);
  v.set("max_zoom", i.max_zoom);
  v.set("bounds", json::Array{i.min_lon, i.min_lat, i.max_lon, i.max_lat});
  v.set("center", json::Array{i.center_lon, i.center_lat, i.center_zoom});
  v.set("tiles", i.tile_count);
  v.set("name", i.name);
  v.set("attribution", i.attribution);
  if (o.flag("json")) std::printf("%s\n", json::dump(v).c_str());
  else std::printf("%s\n", json::dump(v, 2).c_str());
  return 0;
}
}  // namespace

int cmd_tiles(int argc, char** argv) {
  if (argc >= 2 && !std::strcmp(argv[1], "build")) return build(argc - 1, argv + 1);
  if (argc >= 2 && !std::strcmp(argv[1], "info")) return info(argc - 1, argv + 1);
  return usage(argc >= 2 ? std::string("doorstep tiles: unknown subcommand '") + argv[1] + "'" : "");
}

}  // namespace doorstep::cli
