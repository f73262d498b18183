// Tests for shared/tiles/mvt: a round trip of every geometry type and attribute kind, the spec's
// own worked example bytes, winding of exterior rings and holes, and malformed input refused.
#include <doctest/doctest.h>

#include "shared/tiles/mvt.h"

using namespace doorstep;
using namespace doorstep::mvt;

TEST_CASE("mvt encodes the spec's example point as the spec's bytes") {
  // Vector Tile Spec 2.1, section 4.3.5.1: a point at (25,17) is [9, 50, 34].
  Layer l{"places", 4096, {}};
  Feature f;
  f.type = GeomType::point;
  f.parts = {{{25, 17}}};
  l.features.push_back(f);
  const std::string tile = encode({l});
  const std::string geom("\x22\x03\x09\x32\x22", 5);  // field 4, length 3, then 9 50 34
  CHECK(tile.find(geom) != std::string::npos);
}

TEST_CASE("mvt round-trips points, lines, polygons with holes and attributes") {
  Layer b{"buildings", 4096, {}};
  Feature poly;
  poly.type = GeomType::polygon;
  poly.parts = {{{0, 0}, {0, 100}, {100, 100}, {100, 0}},  // counter-clockwise on screen: flipped
                {{10, 10}, {20, 10}, {20, 20}, {10, 20}}};
  poly.is_hole = {false, true};
  poly.attrs = {{"kind", std::string("building")}, {"units", int64_t(12)}, {"height", 6.7}, {"new", true},
                {"dz", int64_t(-3)}};
  poly.id = 42;
  b.features.push_back(poly);
  Feature line;
  line.type = GeomType::line;
  line.parts = {{{-50, 5}, {4200, 5}}, {{1, 1}, {2, 2}, {3, 1}}};
  line.attrs = {{"kind", std::string("building")}};  // value shared with the polygon's
  b.features.push_back(line);
  Feature pts;
  pts.type = GeomType::point;
  pts.parts = {{{1, 2}, {3, 4}}};
  Layer empty{"earth", 4096, {}};
  Layer places{"places", 512, {pts}};
  auto back = decode(encode({b, empty, places}));
  REQUIRE(back.ok());
  REQUIRE(back->size() == 2);  // the empty layer is left out
  const Layer& rb = (*back)[0];
  CHECK(rb.name == "buildings");
  CHECK(rb.extent == 4096);
  REQUIRE(rb.features.size() == 2);
  const Feature& p = rb.features[0];
  CHECK(p.id == 42);
  CHECK(p.type == GeomType::polygon);
  REQUIRE(p.parts.size() == 2);
  CHECK(ring_area(p.parts[0]) > 0);  // exterior clockwise on screen
  CHECK(ring_area(p.parts[1]) < 0);
  CHECK(p.is_hole == std::vector<bool>{false, true});
  CHECK(p.parts[1] == Path{{10, 20}, {20, 20}, {20, 10}, {10, 10}});  // given clockwise: reversed
  REQUIRE(p.attrs.size() == 5);
  CHECK(std::get<std::string>(p.attrs[0].second) == "building");
  CHECK(std::get<int64_t>(p.attrs[1].second) == 12);
  CHECK(std::get<double>(p.attrs[2].second) == 6.7);
  CHECK(std::get<bool>(p.attrs[3].second) == true);
  CHECK(std::get<int64_t>(p.attrs[4].second) == -3);
  CHECK(rb.features[1].parts == line.parts);
  CHECK(std::get<std::string>(rb.features[1].attrs[0].second) == "building");
  CHECK((*back)[1].name == "places");
  CHECK((*back)[1].extent == 512);
  CHECK((*back)[1].features[0].parts[0] == Path{{1, 2}, {3, 4}});
}

TEST_CASE("mvt drops rings that rounding collapsed") {
  Layer b{"buildings", 4096, {}};
  Feature f;
  f.type = GeomType::polygon;
  f.parts = {{{5, 5}, {5, 5}, {5, 5}}};
  b.features.push_back(f);
  CHECK(encode({b}).empty());
}

TEST_CASE("mvt refuses truncated and malformed tiles with a clear error") {
  Layer b{"buildings", 4096, {}};
  Feature f;
  f.type = GeomType::line;
  f.parts = {{{0, 0}, {10, 10}}};
  f.attrs = {{"name", std::string("Palms Blvd")}};
  b.features.push_back(f);
  const std::string tile = encode({b});
  for (size_t cut = 1; cut < tile.size(); ++cut) {
    auto r = decode(tile.substr(0, cut));
    if (r.ok()) continue;  // a cut at a message boundary can still be a valid (shorter) tile
    CHECK(r.error().code == Code::corrupt);
    CHECK(r.error().message.find("vector tile") != std::string::npos);
  }
  CHECK_FALSE(decode(tile.substr(0, tile.size() - 3)).ok());
  auto junk = decode(std::string("\x1a\xff\xff\xff\xff\x0f", 6));
  REQUIRE_FALSE(junk.ok());
  CHECK(junk.error().message == "vector tile: truncated tile");
}
