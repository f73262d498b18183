// Tests for shared/route/footprints: real Venice doors and footprints (tests/data) matched inside
// a footprint, near one, or to none; many units of one address in one footprint; and the same
// address on points far apart split into separate buildings and reported, with or without
// footprints.
#include <doctest/doctest.h>

#include "tests/fixtures.h"

#include <fstream>
#include <sstream>

#include "shared/base/geo.h"
#include "shared/route/doors_csv.h"
#include "shared/route/footprints.h"

using namespace doorstep;
using footprints::How;

namespace {
std::vector<footprints::Footprint> sample_footprints() {
  std::ifstream in(fixtures::path("la/venice_buildings_sample.geojson"));
  std::stringstream s;
  s << in.rdbuf();
  auto fs = geo::features_from_geojson(s.str());
  REQUIRE(fs.ok());
  std::vector<footprints::Footprint> out;
  for (size_t i = 0; i < fs->size(); ++i) {
    const json::Value* num = (*fs)[i].properties.find("addr:housenumber");
    const json::Value* street = (*fs)[i].properties.find("addr:street");
    std::string id = "fp" + std::to_string(i);
    if (num && street) id += ":" + num->as_string() + " " + street->as_string();
    out.push_back({id, (*fs)[i].shape});
  }
  return out;
}
// The address points of one number and street, from the Venice fixture.
std::vector<footprints::DoorPoint> doors_of(const doors_csv::Table& t, const std::string& number, const std::string& street) {
  std::vector<footprints::DoorPoint> out;
  for (const auto& r : t.rows)
    if (r.number == number && r.building.find(street) != std::string::npos) out.push_back({r.at, r.building});
  return out;
}
// The footprint that carries the address itself in the source data.
size_t index_of(const std::vector<footprints::Footprint>& fps, const std::string& address) {
  for (size_t i = 0; i < fps.size(); ++i)
    if (fps[i].id.size() > address.size() && fps[i].id.compare(fps[i].id.size() - address.size(), address.size(), address) == 0)
      return i;
  FAIL("no footprint carries " << address);
  return 0;
}
const doors_csv::Table& venice() {
  static doors_csv::Table t = [] {
    auto r = doors_csv::load(fixtures::path("la/venice_addresses.csv"));
    REQUIRE(r.ok());
    return *r;
  }();
  return t;
}
}  // namespace

TEST_CASE("footprints: a door inside its footprint gets that footprint") {
  const auto fps = sample_footprints();
  REQUIRE(fps.size() == 129);
  const auto doors = doors_of(venice(), "1319", "WALGROVE");
  REQUIRE(doors.size() == 1);
  const auto m = footprints::match(doors, fps);
  CHECK(m.how[0] == How::inside);
  CHECK(m.building_of[0] == fps[index_of(fps, "1319 Walgrove")].id);
  CHECK(m.inside == 1);
  CHECK(m.splits.empty());
}

TEST_CASE("footprints: a door near a footprint (within 30 m) gets the nearest; a far one gets none") {
  const auto fps = sample_footprints();
  // 100 Venice Way has two points: one inside the footprint carrying its address, and one (the
  // northern) just outside a footprint with no address, the next footprint 49 m away.
  auto doors = doors_of(venice(), "100", "VENICE");
  REQUIRE(doors.size() == 2);
  if (doors[0].at.lat < doors[1].at.lat) std::swap(doors[0], doors[1]);
  // Out at sea, 700 m west of the beach: no footprint anywhere near.
  doors.push_back({geo::Fix{geo::to_fix(-118.4800), geo::to_fix(33.9870)}, "1 OCEAN|90291"});
  const auto m = footprints::match(doors, fps);
  CHECK(m.how[0] == How::near);
  size_t nearest = 0;
  for (size_t i = 0; i < fps.size(); ++i)
    if (fps[i].id == m.building_of[0]) nearest = i;
  const geo::Projection proj = geo::projection_for({doors[0].at});
  CHECK_FALSE(geo::contains(fps[nearest].shape, doors[0].at));
  CHECK(geo::distance_to_edges_m(fps[nearest].shape, doors[0].at, proj) < 1.0);
  CHECK(m.how[1] == How::inside);
  CHECK(m.building_of[1] == fps[index_of(fps, "100 Venice")].id);
  CHECK(m.how[2] == How::clustered);
  CHECK(m.building_of[2] == "1 OCEAN|90291");
  CHECK(m.inside == 1);
  CHECK(m.near == 1);
  CHECK(m.clustered == 1);
}

TEST_CASE("footprints: many units of one address are one building") {
  const auto fps = sample_footprints();
  const auto walgrove = doors_of(venice(), "1319", "WALGROVE");
  std::vector<footprints::DoorPoint> units(12, walgrove[0]);
  const auto m = footprints::match(units, fps);
  for (size_t i = 0; i < units.size(); ++i) CHECK(m.building_of[i] == fps[index_of(fps, "1319 Walgrove")].id);
  CHECK(m.splits.empty());
  // And without footprints: still one building, by the points lying together.
  const auto bare = footprints::match(units, {});
  for (size_t i = 0; i < units.size(); ++i) CHECK(bare.building_of[i] == bare.building_of[0]);
  CHECK(bare.splits.empty());
}

TEST_CASE("footprints: one address on two points 364 m apart becomes two buildings, reported") {
  const auto fps = sample_footprints();
  const auto doors = doors_of(venice(), "100", "VENICE");
  REQUIRE(doors.size() == 2);
  REQUIRE(doors[0].address_key == doors[1].address_key);
  for (const auto& with : {fps, std::vector<footprints::Footprint>{}}) {
    const auto m = footprints::match(doors, with);
    CHECK(m.building_of[0] != m.building_of[1]);
    REQUIRE(m.splits.size() == 1);
    CHECK(m.splits[0].address_key == doors[0].address_key);
    CHECK(m.splits[0].parts == 2);
    CHECK(m.splits[0].spread_m == doctest::Approx(364).epsilon(0.01));
  }
}

TEST_CASE("footprints: without footprints, points of one address within 30 m stay together") {
  // 609 Victoria: three points, two of them a metre apart and one about 90 m away.
  const auto doors = doors_of(venice(), "609", "VICTORIA");
  REQUIRE(doors.size() == 3);
  const auto m = footprints::match(doors, {});
  int together = 0;
  for (size_t i = 0; i < 3; ++i)
    for (size_t j = i + 1; j < 3; ++j) together += m.building_of[i] == m.building_of[j];
  CHECK(together == 1);
  REQUIRE(m.splits.size() == 1);
  CHECK(m.splits[0].parts == 2);
  CHECK(m.splits[0].spread_m > 80);
  CHECK(m.clustered == 3);
}

TEST_CASE("footprints: matching by area asks for footprints cell by cell and agrees with matching at once") {
  const auto fps = sample_footprints();
  std::vector<footprints::DoorPoint> doors;
  for (const char* key : {"100|VENICE", "1319|WALGROVE", "2445|WALGROVE", "609|VICTORIA"}) {
    const std::string k(key);
    for (const auto& d : doors_of(venice(), k.substr(0, k.find('|')), k.substr(k.find('|') + 1))) doors.push_back(d);
  }
  REQUIRE(doors.size() == 8);
  int asked = 0;
  const auto by_area = footprints::match_by_area(doors, [&](const geo::BBox& box) {
    ++asked;
    std::vector<footprints::Footprint> out;
    for (const auto& f : fps)
      if (f.shape.bbox.max_lon >= box.min_lon && f.shape.bbox.min_lon <= box.max_lon &&
          f.shape.bbox.max_lat >= box.min_lat && f.shape.bbox.min_lat <= box.max_lat)
        out.push_back(f);
    return out;
  });
  const auto at_once = footprints::match(doors, fps);
  CHECK(asked >= 3);  // the points lie kilometres apart: several cells
  CHECK(by_area.building_of == at_once.building_of);
  CHECK(by_area.splits.size() == at_once.splits.size());
  CHECK(by_area.inside == at_once.inside);
  CHECK(by_area.near == at_once.near);
}

TEST_CASE("footprints: a footprint holding one address takes another's point only from its wall") {
  // A 40 m square building with 1 MAIN inside; 2 MAIN's point 10 m east of its wall, 3 MAIN's 2 m
  // north of it; and a small house 25 m east that nobody stands in.
  const int64_t lon0 = geo::to_fix(-118.4600), lat0 = geo::to_fix(34.0000);
  const int64_t dlon = 4340, dlat = 3600;  // about 40 m
  geo::MultiPolygon big, small;
  big.polygons.push_back(geo::Polygon{{geo::rect_ring(lon0, lat0, lon0 + dlon, lat0 + dlat)}});
  big.finish();
  small.polygons.push_back(geo::Polygon{{geo::rect_ring(lon0 + dlon + 2700, lat0, lon0 + dlon + 3200, lat0 + 500)}});
  small.finish();
  const std::vector<footprints::Footprint> fps{{"big", big}, {"small", small}};
  const std::vector<footprints::DoorPoint> doors{
      {{lon0 + 2000, lat0 + 1800}, "1 MAIN"},
      {{lon0 + dlon + 1085, lat0 + 1500}, "2 MAIN"},  // 10 m east of the big one, 19 m from the small one
      {{lon0 + 2000, lat0 + dlat + 180}, "3 MAIN"},   // 2 m north of the big one's wall
  };
  const auto m = footprints::match(doors, fps);
  CHECK(m.building_of[0] == "big");
  CHECK(m.how[0] == How::inside);
  CHECK(m.building_of[1] == "small");  // the nearest footprint holding no other address
  CHECK(m.building_of[2] == "big");    // on the wall
  // Without the small house, 2 MAIN stands alone rather than joining the big building.
  const auto alone = footprints::match(doors, {{"big", big}});
  CHECK(alone.building_of[1] == "2 MAIN");
  CHECK(alone.how[1] == How::clustered);
}
