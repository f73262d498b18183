// Tests for shared/turf_cut: the automatic cut's invariants on the Venice data (every door once, no
// building split, sizes within 15%, one-piece non-overlapping compact polygons, determinism), the
// minutes target, leave-outs, buildings larger than a turf, doors in a drawn polygon, and live
// counts that equal the exact answer.
#include <doctest/doctest.h>

#include "tests/fixtures.h"

#include <algorithm>
#include <map>
#include <set>

#include "shared/route/doors_csv.h"
#include "shared/route/turf_cut.h"

using namespace doorstep;

namespace {

const doors_csv::Table& venice() {
  static doors_csv::Table t = [] {
    auto r = doors_csv::load(fixtures::path("la/venice_addresses.csv"));
    REQUIRE(r.ok());
    return std::move(r.value());
  }();
  return t;
}

struct Rect {
  int64_t x0, y0, x1, y1;
};
Rect rect_of(const geo::MultiPolygon& mp) { return Rect{mp.bbox.min_lon, mp.bbox.min_lat, mp.bbox.max_lon, mp.bbox.max_lat}; }

// The invariants turf_cut.h promises, checked for one cut.
void check_cut(const std::vector<turf_cut::Door>& doors, const turf_cut::Cut& cut, double target, double tol) {
  std::vector<int> seen(doors.size(), 0);
  for (int e : cut.excluded) ++seen[e];
  std::map<std::string, int> turf_of_building;
  int remainders = 0;
  double sum_compact = 0;
  for (size_t t = 0; t < cut.turfs.size(); ++t) {
    const auto& tf = cut.turfs[t];
    REQUIRE_FALSE(tf.doors.empty());
    for (int d : tf.doors) {
      ++seen[d];
      const std::string& b = doors[d].building;
      if (b.empty()) continue;
      auto [it, fresh] = turf_of_building.emplace(b, static_cast<int>(t));
      CHECK(it->second == static_cast<int>(t));  // no building split
    }
    // Sizes within tolerance; a smaller remainder at most once; a building above the target alone.
    if (tf.oversized_building) {
      std::set<std::string> bs;
      for (int d : tf.doors) bs.insert(doors[d].building);
      CHECK(bs.size() == 1);
      CHECK(tf.size > target * (1 + tol));
    } else if (tf.size < target * (1 - tol) - 1e-9) {
      CHECK(tf.remainder);
      ++remainders;
    } else {
      CHECK(tf.size <= target * (1 + tol) + 1e-9);
    }
    // Display polygon: one piece (one polygon, one ring), compact.
    REQUIRE(tf.polygon.polygons.size() == 1);
    CHECK(tf.polygon.polygons[0].rings.size() == 1);
    CHECK(tf.compactness > 0.1);
    sum_compact += tf.compactness;
    CHECK(tf.area_m2 > 0);
  }
  CHECK(remainders <= 1);
  MESSAGE("mean compactness " << sum_compact / cut.turfs.size());
  CHECK(sum_compact / cut.turfs.size() > 0.5);
  for (size_t i = 0; i < doors.size(); ++i) {
    CAPTURE(i);
    CHECK(seen[i] == 1);  // every door exactly once (in a turf or excluded)
  }
  // Polygons do not overlap (their interiors are disjoint; edges may touch).
  std::vector<Rect> rs;
  for (auto& tf : cut.turfs) rs.push_back(rect_of(tf.polygon));
  std::vector<int> by_x(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) by_x[i] = static_cast<int>(i);
  std::sort(by_x.begin(), by_x.end(), [&](int a, int b) { return rs[a].x0 < rs[b].x0; });
  size_t overlaps = 0;
  for (size_t a = 0; a < by_x.size(); ++a)
    for (size_t b = a + 1; b < by_x.size() && rs[by_x[b]].x0 < rs[by_x[a]].x1; ++b) {
      const Rect &p = rs[by_x[a]], &q = rs[by_x[b]];
      if (p.x0 < q.x1 && q.x0 < p.x1 && p.y0 < q.y1 && q.y0 < p.y1) ++overlaps;
    }
  CHECK(overlaps == 0);
  // Each door lies in its own turf's polygon and in no other, except doors of a "building" whose
  // doors lie far apart (in Venice, one number on two streets that share a name): such a
  // building is kept whole, so its far doors may sit in a neighbour's cell.
  std::map<std::string, geo::BBox> extent;
  for (auto& d : doors)
    if (!d.building.empty()) extent[d.building].add(d.at);
  auto spread = [&](int d) {
    if (doors[d].building.empty()) return false;
    const auto& e = extent[doors[d].building];
    return e.max_lon - e.min_lon > 200 || e.max_lat - e.min_lat > 200;  // more than ~2 m
  };
  std::vector<int> turf_of(doors.size(), -1);
  for (size_t t = 0; t < cut.turfs.size(); ++t)
    for (int d : cut.turfs[t].doors) turf_of[d] = static_cast<int>(t);
  size_t outside = 0, foreign = 0, outside_compact = 0, foreign_compact = 0;
  for (size_t t = 0; t < cut.turfs.size(); ++t) {
    for (int d : cut.turfs[t].doors)
      if (!geo::contains(cut.turfs[t].polygon, doors[d].at)) ++outside, outside_compact += !spread(d);
    for (int d : turf_cut::doors_in(doors, cut.turfs[t].polygon))
      if (turf_of[d] >= 0 && turf_of[d] != static_cast<int>(t)) ++foreign, foreign_compact += !spread(d);
  }
  MESSAGE("doors outside their own polygon: " << outside << ", inside another turf's polygon: " << foreign
                                              << " (all of buildings whose doors are apart: " << outside_compact << ", "
                                              << foreign_compact << " left)");
  CHECK(outside_compact == 0);
  CHECK(foreign_compact == 0);
}

}  // namespace

TEST_CASE("turf cut of the Venice doors into 40-door turfs keeps every invariant") {
  auto doors = doors_csv::turf_doors(venice());
  turf_cut::Options o;
  o.target_doors = 40;
  auto cut = turf_cut::cut(doors, o);
  REQUIRE(cut.ok());
  MESSAGE("Venice: " << cut->turfs.size() << " turfs");
  CHECK(cut->turfs.size() >= 13296 / 46);
  CHECK(cut->turfs.size() <= 13296 / 34 + 1);
  check_cut(doors, *cut, 40, 0.15);
  double m_per_door = 0;
  size_t n = 0;
  for (auto& t : cut->turfs) m_per_door += t.route_m, n += t.doors.size();
  MESSAGE("route metres per door " << m_per_door / n);
  CHECK(m_per_door / n < 40);

  // Deterministic: the same input gives the same turfs, in every build (checksum).
  auto again = turf_cut::cut(doors, o);
  REQUIRE(again.ok());
  REQUIRE(again->turfs.size() == cut->turfs.size());
  std::vector<int> flat;
  for (size_t t = 0; t < cut->turfs.size(); ++t) {
    CHECK(again->turfs[t].doors == cut->turfs[t].doors);
    CHECK(again->turfs[t].polygon.polygons[0].rings[0] == cut->turfs[t].polygon.polygons[0].rings[0]);
    flat.insert(flat.end(), cut->turfs[t].doors.begin(), cut->turfs[t].doors.end());
    flat.push_back(-1);
  }
  CHECK(tour::order_checksum(flat) == 12998950816229209477ull);
}

TEST_CASE("turf cut of Venice by other targets and by minutes") {
  auto doors = doors_csv::turf_doors(venice());
  for (int target : {15, 60, 200}) {
    CAPTURE(target);
    turf_cut::Options o;
    o.target_doors = target;
    o.route_stats = false;
    auto cut = turf_cut::cut(doors, o);
    REQUIRE(cut.ok());
    check_cut(doors, *cut, target, 0.15);
  }
  turf_cut::Options o;
  o.target_minutes = 120;
  o.route_stats = false;
  auto cut = turf_cut::cut(doors, o);
  REQUIRE(cut.ok());
  CHECK(cut->by_minutes);
  check_cut(doors, *cut, 120, 0.15);
  MESSAGE("120-minute shifts: " << cut->turfs.size() << " turfs");
}

TEST_CASE("turf cut leaves out do-not-contact, active and recently attempted doors") {
  std::vector<turf_cut::Door> doors;
  for (int i = 0; i < 200; ++i) {
    turf_cut::Door d;
    d.at = geo::Fix{-1184500000 + (i % 20) * 1000, 340000000 + (i / 20) * 1000};
    d.do_not_contact = i % 10 == 0;
    d.in_active_turf = i % 10 == 1;
    d.last_attempt_day = i % 10 == 2 ? 100 : (i % 10 == 3 ? 50 : INT64_MIN);
    doors.push_back(d);
  }
  turf_cut::Options o;
  o.target_doors = 20;
  o.exclude_in_active_turf = true;
  o.exclude_attempted_within_days = 30;
  o.today = 110;
  auto cut = turf_cut::cut(doors, o);
  REQUIRE(cut.ok());
  CHECK(cut->excluded.size() == 60);
  for (int e : cut->excluded) CHECK(e % 10 <= 2);
  check_cut(doors, *cut, 20, 0.15);
  o.exclude_do_not_contact = false;
  o.exclude_in_active_turf = false;
  o.exclude_attempted_within_days = 0;
  CHECK(turf_cut::cut(doors, o)->excluded.empty());
  CHECK_FALSE(turf_cut::cut(doors, turf_cut::Options{}).ok());  // no target
}

TEST_CASE("turf cut gives a building larger than the target a turf of its own") {
  std::vector<turf_cut::Door> doors;
  for (int i = 0; i < 300; ++i) {
    turf_cut::Door d;
    d.at = geo::Fix{-1184500000 + (i % 30) * 800, 340000000 + (i / 30) * 800};
    d.building = "h" + std::to_string(i);
    doors.push_back(d);
  }
  for (int u = 0; u < 90; ++u) {  // a 90-unit block in the middle
    turf_cut::Door d;
    d.at = geo::Fix{-1184500000 + 15 * 800 + 100, 340000000 + 5 * 800 + 100 + u % 3};
    d.building = "tower";
    doors.push_back(d);
  }
  turf_cut::Options o;
  o.target_doors = 40;
  auto cut = turf_cut::cut(doors, o);
  REQUIRE(cut.ok());
  int flagged = 0;
  for (auto& t : cut->turfs)
    if (t.oversized_building) {
      ++flagged;
      CHECK(t.doors.size() == 90);
    }
  CHECK(flagged == 1);
  // The areas on either side of the tower may each end with a remainder.
  std::vector<int> seen(doors.size(), 0);
  for (auto& t : cut->turfs)
    for (int d : t.doors) ++seen[d];
  for (int s : seen) CHECK(s == 1);
}

TEST_CASE("turf doors in a drawn polygon and live counts agree exactly") {
  auto doors = doors_csv::turf_doors(venice());
  turf_cut::Options o;
  turf_cut::LiveIndex idx(doors, o);
  auto mins = turf_cut::door_minutes(doors, o);
  tour::Rng rng(3);
  geo::BBox bb;
  for (auto& d : doors) bb.add(d.at);
  for (int q = 0; q < 30; ++q) {
    // A random star-shaped polygon (some with a hole), sometimes with vertices on door points.
    int64_t cx = bb.min_lon + rng.below(static_cast<uint32_t>(bb.max_lon - bb.min_lon));
    int64_t cy = bb.min_lat + rng.below(static_cast<uint32_t>(bb.max_lat - bb.min_lat));
    int k = 3 + rng.below(12);
    geo::Ring ring;
    for (int v = 0; v < k; ++v) {
      double ang = 6.283185307179586 * v / k;
      int64_t r = 2000 + rng.below(60000);
      ring.push_back(geo::Fix{cx + static_cast<int64_t>(r * geo::det_cos(ang)), cy + static_cast<int64_t>(r * geo::det_cos(ang - 1.5707963267948966))});
    }
    if (q % 5 == 0) ring[0] = doors[rng.below(doors.size())].at;
    geo::MultiPolygon mp;
    mp.polygons.push_back(geo::Polygon{{ring}});
    if (q % 3 == 0) mp.polygons[0].rings.push_back(geo::rect_ring(cx - 500, cy - 500, cx + 500, cy + 500));
    mp.finish();
    auto exact = turf_cut::doors_in(doors, mp);
    auto live = idx.query(mp);
    double m = 0;
    for (int d : exact) m += mins[d];
    CAPTURE(q);
    CHECK(live.doors == static_cast<int64_t>(exact.size()));
    CHECK(live.people == static_cast<int64_t>(exact.size()));
    CHECK(live.minutes == doctest::Approx(m));
  }
  // The whole area, and nothing.
  geo::MultiPolygon all;
  all.polygons.push_back(geo::Polygon{{geo::rect_ring(bb.min_lon - 1, bb.min_lat - 1, bb.max_lon + 1, bb.max_lat + 1)}});
  all.finish();
  CHECK(idx.query(all).doors == static_cast<int64_t>(doors.size()));
  geo::MultiPolygon none;
  none.polygons.push_back(geo::Polygon{{geo::rect_ring(0, 0, 10, 10)}});
  none.finish();
  CHECK(idx.query(none).doors == 0);
}
