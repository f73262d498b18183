// Tests for shared/tiles/tiler and basemap: a footprint lands in the tiles it covers with its
// shape, clipped at tile edges within the buffer; zoom ranges hold; house numbers appear at z17+
// only; street labels run along a street's own address points; the whole set writes and reads
// back through PMTiles.
#include <doctest/doctest.h>

#include <cstdio>

#include "shared/tiles/archive.h"
#include "shared/tiles/basemap.h"
#include "shared/tiles/tiler.h"

using namespace doorstep;
using namespace doorstep::tiles;

namespace {
// A 20 m square house at 1165 Palms Blvd, Venice.
SourceFeature house() {
  SourceFeature f;
  f.type = mvt::GeomType::polygon;
  const double lon = -118.4565360, lat = 34.0013965, d = 0.0001;
  f.parts = {{{lon - d, lat - d}, {lon + d, lat - d}, {lon + d, lat + d}, {lon - d, lat + d}}};
  f.attrs = {{"kind", std::string("building")}};
  return f;
}
const mvt::Layer* layer(const std::vector<mvt::Layer>& ls, const std::string& name) {
  for (const auto& l : ls)
    if (l.name == name) return &l;
  return nullptr;
}
}  // namespace

TEST_CASE("tiler puts a footprint into the tile that holds it, at every zoom of the range") {
  TilerOptions o;
  o.min_zoom = 15;
  o.max_zoom = 17;
  auto set = build_tiles({SourceLayer{"buildings", {house()}}}, o);
  REQUIRE(set.ok());
  CHECK(set->tiles.size() == 3);  // the house sits well inside one tile per zoom
  for (const Tile& t : set->tiles) {
    CHECK(t.id == tile_of(-118.4565360, 34.0013965, t.id.z));
    auto layers = mvt::decode(t.data);
    REQUIRE(layers.ok());
    const mvt::Layer* b = layer(*layers, "buildings");
    REQUIRE(b);
    REQUIRE(b->features.size() == 1);
    const mvt::Path& ring = b->features[0].parts.at(0);
    CHECK(ring.size() == 4);
    CHECK(mvt::ring_area(ring) > 0);
    // 0.0002 degrees of longitude is 2^z * 4096 * 0.0002 / 360 tile units wide.
    int min_x = INT32_MAX, max_x = INT32_MIN;
    for (auto p : ring) min_x = std::min(min_x, p.x), max_x = std::max(max_x, p.x);
    CHECK(max_x - min_x == doctest::Approx((1 << t.id.z) * 4096.0 * 0.0002 / 360).epsilon(0.02));
  }
  CHECK(set->info.min_zoom == 15);
  CHECK(set->info.max_zoom == 17);
  CHECK(set->info.metadata_json.find(R"("id":"buildings")") != std::string::npos);
}

TEST_CASE("tiler clips a feature across tile edges and keeps the buffer") {
  // A footprint straddling the z17 tile corner around x=22407/22408.
  const double lon_edge = 22408.0 / (1 << 17) * 360 - 180;
  SourceFeature f = house();
  const double lat = 34.0013965;
  f.parts = {{{lon_edge - 0.0003, lat - 0.0001}, {lon_edge + 0.0003, lat - 0.0001}, {lon_edge + 0.0003, lat + 0.0001},
              {lon_edge - 0.0003, lat + 0.0001}}};
  TilerOptions o;
  o.min_zoom = o.max_zoom = 17;
  auto set = build_tiles({SourceLayer{"buildings", {f}}}, o);
  REQUIRE(set.ok());
  REQUIRE(set->tiles.size() == 2);
  for (const Tile& t : set->tiles) {
    auto layers = mvt::decode(t.data);
    REQUIRE(layers.ok());
    for (auto p : (*layers)[0].features[0].parts[0]) {
      CHECK(p.x >= -64);
      CHECK(p.x <= 4096 + 64);
    }
  }
}

TEST_CASE("tiler refuses bad input with the layer's name") {
  SourceFeature f = house();
  f.parts[0][0].lat = 91;
  auto r = build_tiles({SourceLayer{"buildings", {f}}}, TilerOptions{});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("'buildings'") != std::string::npos);
  TilerOptions bad;
  bad.max_zoom = 30;
  CHECK(build_tiles({}, bad).error().code == Code::invalid_argument);
}

TEST_CASE("street label lines follow the street's own address points and split at gaps") {
  // Two rows of houses facing each other along a street running east-west, 30 m apart, and a
  // lone run 1 km further east.
  std::vector<LonLat> pts;
  for (int i = 0; i < 10; ++i) {
    pts.push_back({-118.460 + i * 0.0002, 34.0000});
    pts.push_back({-118.460 + i * 0.0002, 34.0003});
  }
  for (int i = 0; i < 4; ++i) pts.push_back({-118.449 + i * 0.0002, 34.00015});
  const auto lines = street_label_lines(pts);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0][0].lat == doctest::Approx(34.00015).epsilon(1e-7));  // between the rows
  CHECK(lines[0][0].lon == doctest::Approx(-118.460).epsilon(1e-6));
  CHECK(lines[0][1].lon == doctest::Approx(-118.4582).epsilon(1e-6));
  CHECK(street_label_lines({{-118.46, 34.0}, {-118.4601, 34.0}}).empty());  // too few points
}

TEST_CASE("basemap layers: house numbers at z17+, names on outlines, one PMTiles round trip") {
  BasemapInput in;
  geo::MultiPolygon b;
  b.polygons.push_back(geo::Polygon{{geo::rect_ring(geo::to_fix(-118.4567), geo::to_fix(34.0013),
                                                    geo::to_fix(-118.4564), geo::to_fix(34.0015))}});
  b.finish();
  in.buildings.push_back(b);
  for (int i = 0; i < 6; ++i) in.addresses.push_back({-118.4566 + i * 0.0001, 34.0014, std::to_string(1165 + 2 * i), "Palms"});
  Outline hood;
  hood.kind = "neighbourhood";
  hood.name = "Venice";
  hood.shape.polygons.push_back(geo::Polygon{{geo::rect_ring(geo::to_fix(-118.47), geo::to_fix(33.99),
                                                              geo::to_fix(-118.45), geo::to_fix(34.01))}});
  hood.shape.finish();
  in.outlines.push_back(hood);
  const auto layers = basemap_layers(in);
  TilerOptions o;
  o.min_zoom = 15;
  o.max_zoom = 18;
  auto set = build_tiles(layers, o);
  REQUIRE(set.ok());
  const std::string p = std::string(DOORSTEP_SOURCE_DIR) + "/build/test-basemap.pmtiles";
  REQUIRE(write_pmtiles(p, set->tiles, set->info).ok());
  auto a = open_archive(p);
  REQUIRE(a.ok());
  auto count_numbers = [&](int z) {
    auto bytes = (*a)->tile(tile_of(-118.4565, 34.0014, z));
    REQUIRE(bytes.ok());
    REQUIRE(bytes->has_value());
    auto t = mvt::decode(**bytes);
    REQUIRE(t.ok());
    REQUIRE(layer(*t, "earth"));
    int n = 0;
    for (const auto& f : layer(*t, "buildings")->features)
      for (const auto& [k, v] : f.attrs)
        if (k == "addr_housenumber") ++n;
    return n;
  };
  CHECK(count_numbers(16) == 0);
  CHECK(count_numbers(17) == 6);
  CHECK(count_numbers(18) == 6);
  // The street label and the neighbourhood name.
  auto t15 = mvt::decode(**(*a)->tile(tile_of(-118.4565, 34.0014, 16)));
  REQUIRE(t15.ok());
  REQUIRE(layer(*t15, "roads"));
  CHECK(std::get<std::string>(layer(*t15, "roads")->features[0].attrs[1].second) == "Palms");
  CHECK_FALSE(layer(*t15, "boundaries"));  // the outline runs a kilometre away
  auto edge = mvt::decode(**(*a)->tile(tile_of(-118.47, 34.0, 16)));
  REQUIRE(edge.ok());
  REQUIRE(layer(*edge, "boundaries"));
  CHECK(std::get<std::string>(layer(*edge, "boundaries")->features[0].attrs[1].second) == "Venice");
  auto middle = mvt::decode(**(*a)->tile(tile_of(-118.46, 34.0, 16)));
  REQUIRE(middle.ok());
  REQUIRE(layer(*middle, "places"));  // the name at the outline's centre
  std::remove(p.c_str());
}
