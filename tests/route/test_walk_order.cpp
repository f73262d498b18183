// Tests for shared/walk_order: units of a building together by floor then unit, street sides and
// the crossing penalty, the start point, "come back later" at its cheapest later place, the
// street-sort baseline, our order against it on Venice turfs, and a cross-build checksum.
#include <doctest/doctest.h>

#include "tests/fixtures.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "shared/route/doors_csv.h"
#include "shared/route/turf_cut.h"
#include "shared/route/walk_order.h"

using namespace doorstep;

namespace {

// Doors on a straight east-west street at 34N: metres to fixed point (about 0.0902 m per unit
// of longitude there, 0.0111 m per unit of latitude).
geo::Fix at_m(double east, double north) {
  geo::Projection p(geo::Fix{-1184500000, 340000000});
  return p.to_fix(geo::XY{east, north});
}

walk_order::Door door(double east, double north, std::string street, std::string number, std::string unit = "",
                int floor = INT_MIN) {
  walk_order::Door d;
  d.at = at_m(east, north);
  d.street = std::move(street);
  d.number = std::move(number);
  d.unit = std::move(unit);
  d.floor = floor;
  return d;
}

bool is_perm(const std::vector<int>& o, size_t n) {
  std::vector<int> s = o;
  std::sort(s.begin(), s.end());
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i] != static_cast<int>(i)) return false;
  return s.size() == n;
}

}  // namespace

TEST_CASE("walk helpers: house numbers, natural unit order, building keys") {
  CHECK(walk_order::house_number("1319 1/2") == 1319);
  CHECK(walk_order::house_number("12A") == 12);
  CHECK(walk_order::house_number("A12") == -1);
  CHECK(walk_order::unit_less("2", "10"));
  CHECK_FALSE(walk_order::unit_less("10", "2"));
  CHECK(walk_order::unit_less("A", "b"));
  CHECK(walk_order::unit_less("2B", "10A"));
  CHECK(walk_order::unit_less("", "1"));
  walk_order::Door d = door(0, 0, "Main  st", "12");
  CHECK(walk_order::building_key(d, 3) == "a:12 MAIN ST");
  d.building = "B7";
  CHECK(walk_order::building_key(d, 3) == "b:B7");
  CHECK(walk_order::building_key(walk_order::Door{}, 3) == "#3");
}

TEST_CASE("walk keeps the units of a building together, by floor then unit") {
  std::vector<walk_order::Door> doors;
  // Three houses and one apartment building in the middle, units given out of order.
  doors.push_back(door(0, 0, "Main", "10"));
  doors.push_back(door(60, 0, "Main", "30", "10", 2));
  doors.push_back(door(30, 0, "Main", "20"));
  doors.push_back(door(60, 0.5, "Main", "30", "2", 2));
  doors.push_back(door(60, 0, "Main", "30", "B", 1));
  doors.push_back(door(90, 0, "Main", "40"));
  doors.push_back(door(60, 0, "Main", "30", "A", 1));
  doors.push_back(door(60, 0, "Main", "30", "PH"));  // unknown floor: last
  auto r = walk_order::plan(doors);
  REQUIRE(is_perm(r.order, doors.size()));
  auto it = std::find(r.order.begin(), r.order.end(), 6);
  REQUIRE(it + 5 <= r.order.end());
  CHECK(std::vector<int>(it, it + 5) == std::vector<int>{6, 4, 3, 1, 7});  // 1A 1B 2-2 2-10 PH
  CHECK(r.polyline.size() == 4);  // one stop per building
  CHECK(r.length_m == doctest::Approx(90).epsilon(0.01));
}

TEST_CASE("walk works one side of a street and comes back on the other") {
  // 20 houses a side, 12 m apart, staggered; the street is 6 m wide, so without a penalty
  // zig-zagging (8.5 m legs) beats walking a side (12 m legs); with one, the route crosses once
  // (open path) or twice.
  std::vector<walk_order::Door> doors;
  for (int i = 0; i < 20; ++i) {
    doors.push_back(door(i * 12.0, 3, "Ocean", std::to_string(2 * i + 2)));       // even side
    doors.push_back(door(i * 12.0 + 6, -3, "Ocean", std::to_string(2 * i + 1)));  // odd side
  }
  walk_order::Options free_cross;
  free_cross.crossing_penalty_m = 0;
  auto zig = walk_order::plan(doors, free_cross);
  walk_order::Options sides;
  sides.crossing_penalty_m = 60;
  auto r = walk_order::plan(doors, sides);
  REQUIRE(is_perm(r.order, doors.size()));
  MESSAGE("crossings without penalty " << zig.crossings << ", with " << r.crossings);
  CHECK(r.crossings <= 2);
  CHECK(zig.crossings > r.crossings);
  // Crossing once costs about a street width more than zig-zagging, never much more.
  CHECK(r.length_m <= zig.length_m * 1.5);
  // Doors on the same side come in one run each.
  int runs = 1;
  for (size_t i = 1; i < r.order.size(); ++i)
    if ((r.order[i] & 1) != (r.order[i - 1] & 1)) ++runs;
  CHECK(runs <= 3);
}

TEST_CASE("walk starts at the canvasser's position") {
  std::vector<walk_order::Door> doors;
  for (int i = 0; i < 30; ++i) doors.push_back(door((i % 6) * 25.0, (i / 6) * 25.0, "S" + std::to_string(i / 6), std::to_string(i * 2)));
  walk_order::Options o;
  o.start = at_m(130, 110);  // near the north-east corner door (125, 100)
  auto r = walk_order::plan(doors, o);
  REQUIRE(is_perm(r.order, doors.size()));
  REQUIRE(r.polyline.size() == 31);
  CHECK(r.polyline[0] == *o.start);
  CHECK(r.order[0] == 29);
  // Open path from the start: 30 doors on a 25 m grid need at least 29 legs of 25 m.
  CHECK(r.length_m >= 29 * 25.0);
  CHECK(r.length_m <= 29 * 25.0 + 12);
}

TEST_CASE("walk puts a come-back-later door at its cheapest later place") {
  std::vector<walk_order::Door> doors;
  tour::Rng rng(5);
  for (int i = 0; i < 40; ++i) {
    double e = rng.below(300);
    doors.push_back(door(e, rng.below(300), "", ""));
  }
  auto r = walk_order::plan(doors);
  std::vector<geo::Fix> pts;
  for (auto& d : doors) pts.push_back(d.at);
  geo::Projection proj = geo::projection_for(pts);
  auto dist = [&](int a, int b) { return geo::distance_m(proj.to_xy(doors[a].at), proj.to_xy(doors[b].at)); };
  for (size_t current : {size_t(0), size_t(5), size_t(20), size_t(38), size_t(39)}) {
    for (int k : {0, 5, 21, 39}) {
      if (static_cast<size_t>(k) >= r.order.size()) continue;
      int door_id = r.order[current];  // the door being visited now is the one put off ...
      if (k != 0) door_id = r.order[k];  // ... or another one
      CAPTURE(current);
      CAPTURE(k);
      auto o = walk_order::come_back_later(doors, r.order, current, door_id);
      REQUIRE(is_perm(o, doors.size()));
      size_t at = std::find(o.begin(), o.end(), door_id) - o.begin();
      std::vector<int> rest;
      for (int v : r.order)
        if (v != door_id) rest.push_back(v);
      // First allowed place: after the current door, and after the next one when the current
      // door is the one put off.
      size_t first;
      if (door_id == r.order[current]) first = current + 1;
      else first = (std::find(rest.begin(), rest.end(), r.order[current]) - rest.begin()) + 1;
      first = std::min(first, rest.size());
      CHECK(at >= first);
      auto extra = [&](size_t g) {
        double a = 0;
        if (g > 0) a += dist(rest[g - 1], door_id);
        if (g < rest.size()) a += dist(door_id, rest[g]);
        if (g > 0 && g < rest.size()) a -= dist(rest[g - 1], rest[g]);
        return a;
      };
      double chosen = extra(at);
      for (size_t g = first; g <= rest.size(); ++g) {
        CHECK(extra(g) >= chosen - 1e-9);
        if (g < at) CHECK(extra(g) > chosen);  // ties go to the earliest place
      }
    }
  }
  // A door not in the route leaves the order unchanged.
  CHECK(walk_order::come_back_later(doors, {1, 2, 3}, 0, 7) == std::vector<int>{1, 2, 3});
}

TEST_CASE("walk street sort is street, odd side, even side, number, unit") {
  std::vector<walk_order::Door> doors = {door(0, 0, "B St", "4"), door(0, 0, "A St", "2"), door(0, 0, "A St", "3"),
                                   door(0, 0, "A St", "1"), door(0, 0, "A St", "2", "10"), door(0, 0, "A St", "2", "9")};
  auto r = walk_order::street_sort(doors);
  CHECK(r.order == std::vector<int>{3, 2, 1, 5, 4, 0});
}

TEST_CASE("walk order beats street sort on Venice turfs of 30-60 doors") {
  auto table = doors_csv::load(fixtures::path("la/venice_addresses.csv"));
  REQUIRE(table.ok());
  auto tdoors = doors_csv::turf_doors(*table);
  auto wdoors = doors_csv::walk_doors(*table);
  turf_cut::Options co;
  co.target_doors = 45;
  co.route_stats = false;
  auto cut = turf_cut::cut(tdoors, co);
  REQUIRE(cut.ok());
  double ours = 0, base = 0;
  size_t turfs = 0, doors_total = 0, better = 0;
  for (size_t i = 0; i < cut->turfs.size(); i += 7) {  // every 7th turf keeps the test quick
    const auto& t = cut->turfs[i];
    if (t.doors.size() < 30 || t.doors.size() > 60) continue;
    std::vector<walk_order::Door> d;
    for (int id : t.doors) d.push_back(wdoors[id]);
    auto r = walk_order::plan(d);
    auto b = walk_order::street_sort(d);
    REQUIRE(is_perm(r.order, d.size()));
    ours += r.length_m;
    base += b.length_m;
    better += r.length_m <= b.length_m;
    ++turfs;
    doors_total += d.size();
  }
  REQUIRE(turfs >= 20);
  MESSAGE("Venice: " << turfs << " turfs, ours " << ours / doors_total << " m/door, street sort " << base / doors_total
                     << " m/door");
  CHECK(better * 10 >= turfs * 9);
  CHECK(ours < 0.8 * base);
}

TEST_CASE("walk order is the same in every build (checksum)") {
  std::vector<walk_order::Door> doors;
  tour::Rng rng(11);
  for (int i = 0; i < 120; ++i) {
    // One draw per statement: argument evaluation order differs between compilers.
    double e = rng.below(400);
    double n = rng.below(400);
    std::string street = "St" + std::to_string(rng.below(4));
    std::string number = std::to_string(1 + rng.below(80));
    std::string unit = rng.below(3) ? "" : std::to_string(rng.below(5));
    doors.push_back(door(e, n, street, number, unit));
  }
  walk_order::Options o;
  o.start = at_m(-10, -10);
  auto r = walk_order::plan(doors, o);
  REQUIRE(is_perm(r.order, doors.size()));
  CHECK(tour::order_checksum(r.order) == 16778694357493892677ull);
  CHECK(std::llround(r.length_m * 1000) == 3195293);
}
