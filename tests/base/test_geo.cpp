// Tests for shared/geo: fixed point parsing, deterministic cosine and projection, the edge rule of
// point-in-polygon (shared edges give a point to exactly one polygon), holes, GeoJSON reading,
// measures, hulls, and the Venice oracle: every address point in its own census block group.
#include <doctest/doctest.h>

#include "tests/fixtures.h"

#include <cmath>
#include <map>
#include <string>

#include "shared/route/doors_csv.h"
#include "shared/base/geo.h"
#include "shared/route/tsplib.h"

using namespace doorstep;
using geo::Fix;

namespace {
geo::MultiPolygon poly(std::vector<geo::Ring> rings) {
  geo::MultiPolygon mp;
  mp.polygons.push_back(geo::Polygon{std::move(rings)});
  mp.finish();
  return mp;
}
Fix F(int64_t lon, int64_t lat) { return Fix{lon, lat}; }
constexpr double kPi = 3.14159265358979323846;
}  // namespace

TEST_CASE("geo parses decimal degrees into fixed point exactly") {
  int64_t v = 0;
  CHECK(geo::parse_fix("-118.4560125", v));
  CHECK(v == -1184560125);
  CHECK(geo::parse_fix("34.0093326", v));
  CHECK(v == 340093326);
  CHECK(geo::parse_fix("34", v));
  CHECK(v == 340000000);
  CHECK(geo::parse_fix("0.00000005", v));  // rounds half away from zero at the 8th decimal
  CHECK(v == 1);
  CHECK(geo::parse_fix("-0.00000004", v));
  CHECK(v == 0);
  CHECK(geo::parse_fix(".5", v));
  CHECK(v == 5000000);
  for (const char* bad : {"", "-", "1e5", "12a", "1.2.3", " 1", "nan"}) {
    CAPTURE(bad);
    CHECK_FALSE(geo::parse_fix(bad, v));
  }
  CHECK(geo::to_fix(-118.4560125) == -1184560125);
}

TEST_CASE("geo deterministic cosine matches the library within a few ulps") {
  for (double x = -7; x <= 7; x += 0.01) {
    CAPTURE(x);
    CHECK(std::fabs(geo::det_cos(x) - std::cos(x)) < 1e-15);
  }
}

TEST_CASE("geo projection gives metres") {
  geo::Projection p(Fix{-1184560000, 340000000});
  // One degree of latitude on the mean sphere: 111,195 m.
  auto a = p.to_xy(Fix{-1184560000, 340000000}), b = p.to_xy(Fix{-1184560000, 350000000});
  CHECK(geo::distance_m(a, b) == doctest::Approx(111194.9).epsilon(1e-4));
  // One degree of longitude at 34 degrees: 111,195 * cos(34).
  auto c = p.to_xy(Fix{-1174560000, 340000000});
  CHECK(geo::distance_m(a, c) == doctest::Approx(111194.9 * std::cos(34 * kPi / 180)).epsilon(1e-4));
  auto back = p.to_fix(p.to_xy(Fix{-1184000000, 340100000}));
  CHECK(back == Fix{-1184000000, 340100000});
}

TEST_CASE("geo point in polygon: a boundary point belongs to the region east, then north") {
  auto sq = poly({{F(0, 0), F(10, 0), F(10, 10), F(0, 10)}});
  CHECK(geo::contains(sq, F(5, 5)));
  CHECK(geo::contains(sq, F(0, 5)));     // west edge: the square lies east of it
  CHECK_FALSE(geo::contains(sq, F(10, 5)));  // east edge: outside lies east
  CHECK(geo::contains(sq, F(5, 0)));     // south edge: the square lies north
  CHECK_FALSE(geo::contains(sq, F(5, 10)));  // north edge
  CHECK(geo::contains(sq, F(0, 0)));     // south-west corner
  CHECK_FALSE(geo::contains(sq, F(10, 0)));
  CHECK_FALSE(geo::contains(sq, F(0, 10)));
  CHECK_FALSE(geo::contains(sq, F(10, 10)));
  CHECK_FALSE(geo::contains(sq, F(11, 5)));
  // Orientation and a repeated closing point do not matter.
  auto cw = poly({{F(0, 0), F(0, 10), F(10, 10), F(10, 0)}});
  CHECK(geo::contains(cw, F(0, 5)));
  CHECK_FALSE(geo::contains(cw, F(10, 5)));
}

TEST_CASE("geo polygons that tile the plane give every point to exactly one") {
  // A 3x3 block cut into four pieces along a diagonal and a vertical: shared edges and vertices.
  std::vector<geo::MultiPolygon> tiles = {
      poly({{F(0, 0), F(30, 0), F(0, 30)}}),                    // below the diagonal
      poly({{F(30, 0), F(30, 30), F(0, 30)}}),                  // above it
      poly({{F(30, 0), F(60, 0), F(60, 30), F(30, 30)}}),       // square to the east
      poly({{F(0, 30), F(60, 30), F(60, 60), F(0, 60)}}),       // strip to the north
  };
  int inside_union = 0;
  for (int64_t x = 0; x <= 60; ++x)
    for (int64_t y = 0; y <= 60; ++y) {
      int c = 0;
      for (auto& t : tiles) c += geo::contains(t, F(x, y));
      CAPTURE(x);
      CAPTURE(y);
      CHECK(c <= 1);
      if (x < 60 && y < 60) CHECK(c == 1);  // the union's east and north edges belong outside
      inside_union += c;
    }
  CHECK(inside_union == 60 * 60);
}

TEST_CASE("geo holes and multipolygons") {
  auto donut = poly({{F(0, 0), F(10, 0), F(10, 10), F(0, 10)}, {F(3, 3), F(7, 3), F(7, 7), F(3, 7)}});
  CHECK(geo::contains(donut, F(1, 1)));
  CHECK_FALSE(geo::contains(donut, F(5, 5)));
  CHECK_FALSE(geo::contains(donut, F(3, 5)));  // hole's west edge: the hole lies east
  CHECK(geo::contains(donut, F(7, 5)));        // hole's east edge: the polygon lies east
  geo::MultiPolygon two;
  two.polygons.push_back(geo::Polygon{{{F(0, 0), F(1, 0), F(1, 1), F(0, 1)}}});
  two.polygons.push_back(geo::Polygon{{{F(5, 5), F(6, 5), F(6, 6), F(5, 6)}}});
  two.finish();
  CHECK(geo::contains(two, F(0, 0)));
  CHECK(geo::contains(two, F(5, 5)));
  CHECK_FALSE(geo::contains(two, F(3, 3)));
}

TEST_CASE("geo reads GeoJSON polygons and rejects malformed ones") {
  auto v = json::parse(R"({"type":"Feature","properties":{"id":7},"geometry":{"type":"Polygon",
      "coordinates":[[[-118.5,34.0],[-118.4,34.0],[-118.4,34.1],[-118.5,34.1],[-118.5,34.0]]]}})");
  REQUIRE(v.ok());
  auto mp = geo::multipolygon_from_geojson(*v);
  REQUIRE(mp.ok());
  REQUIRE(mp->polygons.size() == 1);
  CHECK(mp->polygons[0].rings[0].size() == 4);  // closing point dropped
  CHECK(geo::contains(*mp, geo::fix_of(34.05, -118.45)));
  auto again = geo::multipolygon_from_geojson(geo::to_geojson(*mp));
  REQUIRE(again.ok());
  CHECK(again->polygons[0].rings[0] == mp->polygons[0].rings[0]);
  for (const char* bad : {R"({"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]})",
                          R"({"type":"Polygon","coordinates":[[[0,0],[1,"x"],[2,2]]]})",
                          R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,200]]]})",
                          R"({"type":"Polygon"})", R"({"coordinates":[]})", R"({"type":"MultiPolygon","coordinates":[]})"}) {
    CAPTURE(bad);
    auto b = json::parse(bad);
    REQUIRE(b.ok());
    CHECK_FALSE(geo::multipolygon_from_geojson(*b).ok());
  }
  auto pt = json::parse(R"({"type":"Point","coordinates":[0,0]})");
  CHECK(geo::multipolygon_from_geojson(*pt).error().code == Code::unsupported);
}

TEST_CASE("geo area, perimeter and compactness in metres") {
  geo::Projection p(Fix{-1184560000, 340000000});
  // About 100 m x 100 m at 34 N.
  double dlat = 100.0 / (p.metres_per_unit_lat()), dlon = 100.0 / (p.metres_per_unit_lon());
  int64_t x0 = -1184560000, y0 = 340000000;
  auto sq = poly({geo::rect_ring(x0, y0, x0 + std::llround(dlon), y0 + std::llround(dlat))});
  CHECK(geo::area_m2(sq, p) == doctest::Approx(10000).epsilon(1e-3));
  CHECK(geo::perimeter_m(sq, p) == doctest::Approx(400).epsilon(1e-3));
  CHECK(geo::compactness(geo::area_m2(sq, p), geo::perimeter_m(sq, p)) == doctest::Approx(kPi / 4).epsilon(1e-3));
  auto donut = poly({geo::rect_ring(0, 0, 100, 100), geo::rect_ring(25, 25, 75, 75)});
  geo::Projection unit(Fix{0, 0});
  double a = geo::area_m2(donut, unit) / (unit.metres_per_unit_lat() * unit.metres_per_unit_lon());
  CHECK(a == doctest::Approx(7500));
}

TEST_CASE("geo convex hull is counter-clockwise without collinear points") {
  std::vector<Fix> pts = {F(0, 0), F(10, 0), F(5, 0), F(10, 10), F(0, 10), F(5, 5), F(0, 5), F(10, 10)};
  auto h = geo::convex_hull(pts);
  REQUIRE(h.size() == 4);
  CHECK(h[0] == F(0, 0));
  CHECK(h[1] == F(10, 0));
  CHECK(h[2] == F(10, 10));
  CHECK(h[3] == F(0, 10));
  CHECK(geo::convex_hull({F(1, 1), F(1, 1)}).size() == 1);
}

TEST_CASE("geo Venice address points all lie in their own block group (13,296 of 13,296)") {
  auto text = tsplib::read_file(fixtures::path("la/venice_block_groups.geojson"));
  REQUIRE(text.ok());
  auto feats = geo::features_from_geojson(*text);
  REQUIRE(feats.ok());
  CHECK(feats->size() == 39);  // the Venice block groups of the Westside file (tests/data/README.md)
  std::map<std::string, const geo::Feature*> by_geoid;
  for (auto& f : *feats) {
    const json::Value* id = f.properties.find("GEOID");
    REQUIRE(id);
    by_geoid[id->as_string()] = &f;
  }
  auto table = doors_csv::load(fixtures::path("la/venice_addresses.csv"));
  REQUIRE(table.ok());
  REQUIRE(table->rows.size() == 13296);
  size_t own = 0, unknown = 0, multiple = 0;
  for (auto& r : table->rows) {
    // source_file: buildings-addresses-060372731001.osm
    std::string geoid = r.source.substr(r.source.rfind('-') + 1);
    geoid = geoid.substr(0, geoid.find('.'));
    auto it = by_geoid.find(geoid);
    if (it == by_geoid.end()) {
      ++unknown;
      continue;
    }
    if (geo::contains(it->second->shape, r.at)) ++own;
    int c = 0;
    for (auto& f : *feats) c += geo::contains(f.shape, r.at);
    if (c != 1) ++multiple;
  }
  CHECK(unknown == 0);
  CHECK(own == 13296);
  CHECK(multiple == 0);  // and in no other block group
}

TEST_CASE("geo distance_to_edges_m measures to the nearest edge, inside or out") {
  const geo::MultiPolygon sq = poly({geo::rect_ring(0, 0, 1000, 1000)});  // about 11 m across
  const geo::Projection proj(Fix{500, 500});
  const double m_per_unit = proj.metres_per_unit_lat();
  CHECK(geo::distance_to_edges_m(sq, F(500, 500), proj) == doctest::Approx(500 * m_per_unit).epsilon(0.01));
  CHECK(geo::distance_to_edges_m(sq, F(500, 1500), proj) == doctest::Approx(500 * m_per_unit).epsilon(0.01));
  CHECK(geo::distance_to_edges_m(sq, F(1000, 200), proj) == 0);
}

TEST_CASE("distances between WGS84 points use the one earth radius") {
  const double degree = geo::kEarthRadiusM * 3.14159265358979323846 / 180.0;  // 111195.08 m
  CHECK(geo::approx_distance_m(0, 0, 1, 0) == doctest::Approx(degree).epsilon(1e-12));
  CHECK(geo::haversine_m(0, 0, 1, 0) == doctest::Approx(degree).epsilon(1e-12));
  CHECK(geo::haversine_m(0, 0, 90, 0) == doctest::Approx(90 * degree).epsilon(1e-12));
  CHECK(geo::haversine_m(34.0, -118.46, 34.0, -118.46) == 0.0);
  // At street scale the approximation agrees with the great circle (Venice, about 1 km apart).
  double h = geo::haversine_m(33.9850, -118.4695, 33.9930, -118.4610);
  CHECK(h > 1000);
  CHECK(h < 1300);
  CHECK(geo::approx_distance_m(33.9850, -118.4695, 33.9930, -118.4610) == doctest::Approx(h).epsilon(1e-6));
  // The projection's metres per degree of latitude are the same radius.
  geo::Projection p(geo::fix_of(34.0, -118.46));
  CHECK(p.metres_per_unit_lat() * 1e7 == doctest::Approx(degree).epsilon(1e-12));
}
