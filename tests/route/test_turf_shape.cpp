// shared/route/turf_shape: drawn outlines that cross themselves, enclose nothing, are too big or
// too detailed are refused with a message; split along a line (through two edges, in and out of
// one edge, lines that miss, stop inside, zigzag or touch a corner); overlap and join for merges;
// distance to a turf.
#include <doctest/doctest.h>

#include "shared/route/turf_shape.h"

using namespace doorstep;
using geo::Fix;

namespace {

// Degrees near Venice, Los Angeles, to fixed point.
Fix at(double lon, double lat) { return Fix{geo::to_fix(lon), geo::to_fix(lat)}; }

geo::MultiPolygon poly(std::initializer_list<std::pair<double, double>> pts) {
  geo::Ring r;
  for (auto [lon, lat] : pts) r.push_back(at(lon, lat));
  geo::MultiPolygon mp;
  mp.polygons.push_back(geo::Polygon{{r}});
  mp.finish();
  return mp;
}

// A 1 km square block (about 0.0108 degrees of longitude and 0.009 of latitude at 34 N).
const geo::MultiPolygon kSquare = poly({{-118.46, 34.00}, {-118.45, 34.00}, {-118.45, 34.01}, {-118.46, 34.01}});

}  // namespace

TEST_CASE("turf_shape::check refuses outlines that would lose an organizer's work, with a reason") {
  CHECK(turf_shape::check(kSquare).ok());
  auto bow = turf_shape::check(poly({{-118.46, 34.00}, {-118.45, 34.01}, {-118.45, 34.00}, {-118.46, 34.01}}));
  REQUIRE_FALSE(bow.ok());
  CHECK(bow.error().message.find("crosses itself") != std::string::npos);
  // A spike: an edge doubling back along its neighbour.
  auto spike = turf_shape::check(poly({{-118.46, 34.00}, {-118.45, 34.00}, {-118.455, 34.00}, {-118.455, 34.01}}));
  CHECK_FALSE(spike.ok());
  // Three points in a row run back along themselves; a speck of a few centimetres has no area.
  CHECK_FALSE(turf_shape::check(poly({{-118.46, 34.00}, {-118.455, 34.00}, {-118.45, 34.00}})).ok());
  auto speck = turf_shape::check(poly({{-118.46, 34.00}, {-118.459999, 34.00}, {-118.46, 34.000001}}));
  REQUIRE_FALSE(speck.ok());
  CHECK(speck.error().message.find("no area") != std::string::npos);
  auto huge = turf_shape::check(poly({{-119.0, 33.5}, {-117.5, 33.5}, {-117.5, 34.5}, {-119.0, 34.5}}));
  REQUIRE_FALSE(huge.ok());
  CHECK(huge.error().message.find("km across") != std::string::npos);
  turf_shape::Limits county;
  county.max_span_m = 300000;
  CHECK(turf_shape::check(poly({{-119.0, 33.5}, {-117.5, 33.5}, {-117.5, 34.5}, {-119.0, 34.5}}), county).ok());
  turf_shape::Limits few;
  few.max_vertices = 3;
  CHECK_FALSE(turf_shape::check(kSquare, few).ok());
}

TEST_CASE("turf_shape::split cuts a square along a line through two edges into pieces that tile it") {
  auto line = std::vector<Fix>{at(-118.455, 33.99), at(-118.455, 34.02)};
  auto pieces = turf_shape::split(kSquare, line);
  REQUIRE_MESSAGE(pieces.ok(), pieces.error().message);
  // Every point of the square lands in exactly one piece (the edge rule), points outside in none.
  int in_both = 0, in_none = 0;
  for (int i = 1; i < 40; ++i)
    for (int j = 1; j < 40; ++j) {
      Fix p = at(-118.46 + 0.01 * i / 40, 34.00 + 0.01 * j / 40);
      bool a = geo::contains((*pieces)[0], p), b = geo::contains((*pieces)[1], p);
      in_both += a && b;
      in_none += !a && !b;
    }
  CHECK(in_both == 0);
  CHECK(in_none == 0);
  CHECK(geo::contains((*pieces)[0], at(-118.457, 34.005)) != geo::contains((*pieces)[0], at(-118.453, 34.005)));
  CHECK_FALSE(geo::contains((*pieces)[0], at(-118.44, 34.005)));
  CHECK_FALSE(geo::contains((*pieces)[1], at(-118.44, 34.005)));
  // A bent line: its corner inside the square becomes a corner of both pieces.
  auto bent = turf_shape::split(kSquare, {at(-118.47, 34.005), at(-118.455, 34.007), at(-118.455, 34.02)});
  REQUIRE(bent.ok());
  CHECK(geo::contains((*bent)[0], at(-118.459, 34.009)) != geo::contains((*bent)[0], at(-118.459, 34.002)));
}

TEST_CASE("turf_shape::split in and out through one edge cuts off a pocket") {
  auto pocket = turf_shape::split(kSquare, {at(-118.458, 33.99), at(-118.457, 34.004), at(-118.452, 34.004), at(-118.451, 33.99)});
  REQUIRE_MESSAGE(pocket.ok(), pocket.error().message);
  Fix in_pocket = at(-118.455, 34.002), above = at(-118.455, 34.008);
  CHECK(geo::contains((*pocket)[0], in_pocket) != geo::contains((*pocket)[1], in_pocket));
  CHECK(geo::contains((*pocket)[0], above) != geo::contains((*pocket)[1], above));
  CHECK(geo::contains((*pocket)[0], in_pocket) != geo::contains((*pocket)[0], above));
}

TEST_CASE("turf_shape::split refuses lines that miss, stop inside, zigzag or touch a corner") {
  auto miss = turf_shape::split(kSquare, {at(-118.44, 33.99), at(-118.44, 34.02)});
  REQUIRE_FALSE(miss.ok());
  CHECK(miss.error().message.find("misses") != std::string::npos);
  auto inside = turf_shape::split(kSquare, {at(-118.455, 33.99), at(-118.455, 34.005)});
  REQUIRE_FALSE(inside.ok());
  CHECK(inside.error().message.find("outside") != std::string::npos);
  auto zigzag = turf_shape::split(kSquare, {at(-118.458, 33.99), at(-118.457, 34.02), at(-118.453, 33.99), at(-118.452, 34.02)});
  REQUIRE_FALSE(zigzag.ok());
  CHECK(zigzag.error().message.find("times") != std::string::npos);
  auto corner = turf_shape::split(kSquare, {at(-118.47, 33.99), at(-118.44, 34.02)});
  REQUIRE_FALSE(corner.ok());
  CHECK(corner.error().message.find("corner") != std::string::npos);
  geo::MultiPolygon two = kSquare;
  two.polygons.push_back(poly({{-118.44, 34.00}, {-118.43, 34.00}, {-118.43, 34.01}}).polygons[0]);
  two.finish();
  CHECK_FALSE(turf_shape::split(two, {at(-118.455, 33.99), at(-118.455, 34.02)}).ok());
}

TEST_CASE("turf_shape::overlap and join: neighbours side by side, overlapping shapes as their hull") {
  auto west = poly({{-118.46, 34.00}, {-118.455, 34.00}, {-118.455, 34.01}, {-118.46, 34.01}});
  auto east = poly({{-118.455, 34.00}, {-118.45, 34.00}, {-118.45, 34.01}, {-118.455, 34.01}});
  auto over = poly({{-118.457, 34.002}, {-118.452, 34.002}, {-118.452, 34.008}, {-118.457, 34.008}});
  CHECK_FALSE(turf_shape::overlap(west, east));  // a shared edge is not an overlap
  CHECK(turf_shape::overlap(west, over));
  CHECK(turf_shape::overlap(kSquare, kSquare));   // the same shape twice
  CHECK(turf_shape::overlap(kSquare, over));      // one inside the other
  auto side = turf_shape::join({west, east});
  CHECK(side.polygons.size() == 2);
  CHECK(geo::contains(side, at(-118.458, 34.005)));
  CHECK(geo::contains(side, at(-118.452, 34.005)));
  auto hull = turf_shape::join({west, over});
  CHECK(hull.polygons.size() == 1);
  CHECK(geo::contains(hull, at(-118.456, 34.005)));  // in both: even-odd pieces would cut it out
  CHECK(geo::contains(hull, at(-118.4525, 34.005)));
}

TEST_CASE("turf_shape::distance_m: 0 inside, metres to the nearest edge outside") {
  geo::Projection proj(at(-118.45, 34.005));
  CHECK(turf_shape::distance_m(kSquare, at(-118.455, 34.005), proj) == 0);
  double d = turf_shape::distance_m(kSquare, at(-118.449, 34.005), proj);
  CHECK(d == doctest::Approx(92.3).epsilon(0.02));  // 0.001 degree of longitude at 34 N
}

TEST_CASE("turf_shape::line_from_geojson takes a LineString or a Feature of one, nothing else") {
  auto ok = json::parse(R"({"type":"Feature","geometry":{"type":"LineString","coordinates":[[-118.45,34.0],[-118.46,34.01]]}})");
  REQUIRE(ok.ok());
  auto line = turf_shape::line_from_geojson(*ok);
  REQUIRE(line.ok());
  CHECK(line->size() == 2);
  for (const char* bad : {R"({"type":"Polygon","coordinates":[]})", R"({"type":"LineString","coordinates":[[-118.45,34.0]]})",
                          R"({"type":"LineString","coordinates":[[-118.45,34.0],[-118.45,34.0]]})",
                          R"({"type":"LineString","coordinates":[[-218.45,34.0],[-118.45,34.0]]})", R"([1,2])"}) {
    auto v = json::parse(bad);
    REQUIRE(v.ok());
    CHECK_FALSE(turf_shape::line_from_geojson(*v).ok());
  }
}
