// Footprint matching (see footprints.h). A grid of footprint bounding boxes (cells of 64 m) keeps
// each door's search to the cells within max_m.
#include "shared/route/footprints.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

namespace doorstep::footprints {

namespace {
constexpr double kCellM = 64.0;

struct Grid {
  geo::Projection proj;
  std::map<std::pair<int64_t, int64_t>, std::vector<int>> cells;
  static int64_t cell(double v) { return static_cast<int64_t>(std::floor(v / kCellM)); }
};

// Which addresses each footprint already holds, across calls (cells of match_by_area).
struct Claims {
  std::map<std::string, std::set<std::string>> keys;  // footprint id -> address keys matched to it
};

// An address point this close to a footprint another address holds still joins it (a point drawn
// on the wall of a duplex); farther, it is more likely across a street or a yard from its own.
constexpr double kOnTheWallM = 3.0;

// Step 1 for the doors listed in `which`: the footprint each lies in; else, of the footprints
// within max_m, the nearest that holds no other address (or its own address), else the nearest
// if it is within kOnTheWallM. A big building therefore does not swallow the houses across the
// street, whose own footprints may be missing or farther than a wall. Closest doors choose first.
void match_footprints(const std::vector<DoorPoint>& doors, const std::vector<size_t>& which,
                      const std::vector<Footprint>& footprints, double max_m, Matching& m, std::vector<char>& done,
                      Claims& claims) {
  if (footprints.empty()) return;
  std::vector<geo::Fix> pts;
  for (size_t d : which) pts.push_back(doors[d].at);
  Grid g;
  g.proj = geo::projection_for(pts);
  for (size_t i = 0; i < footprints.size(); ++i) {
    const geo::BBox& b = footprints[i].shape.bbox;
    const geo::XY lo = g.proj.to_xy({b.min_lon, b.min_lat}), hi = g.proj.to_xy({b.max_lon, b.max_lat});
    for (int64_t cx = Grid::cell(lo.x); cx <= Grid::cell(hi.x); ++cx)
      for (int64_t cy = Grid::cell(lo.y); cy <= Grid::cell(hi.y); ++cy) g.cells[{cx, cy}].push_back(static_cast<int>(i));
  }
  struct Near {
    size_t door;
    std::vector<std::pair<double, int>> candidates;  // (metres, footprint), nearest first
  };
  std::vector<Near> nears;
  for (size_t d : which) {
    const geo::XY q = g.proj.to_xy(doors[d].at);
    int inside = -1;
    Near n{d, {}};
    std::set<int> seen;
    for (int64_t cx = Grid::cell(q.x - max_m); cx <= Grid::cell(q.x + max_m) && inside < 0; ++cx)
      for (int64_t cy = Grid::cell(q.y - max_m); cy <= Grid::cell(q.y + max_m) && inside < 0; ++cy) {
        auto it = g.cells.find({cx, cy});
        if (it == g.cells.end()) continue;
        for (int f : it->second) {
          if (!seen.insert(f).second) continue;
          if (geo::contains(footprints[f].shape, doors[d].at)) {
            inside = f;  // footprints of one city do not overlap: the first one wins
            break;
          }
          const double dist = geo::distance_to_edges_m(footprints[f].shape, doors[d].at, g.proj);
          if (dist <= max_m) n.candidates.push_back({dist, f});
        }
      }
    if (inside >= 0) {
      m.building_of[d] = footprints[inside].id;
      m.how[d] = How::inside;
      ++m.inside;
      done[d] = 1;
      claims.keys[footprints[inside].id].insert(doors[d].address_key);
    } else if (!n.candidates.empty()) {
      std::sort(n.candidates.begin(), n.candidates.end());
      nears.push_back(std::move(n));
    }
  }
  std::stable_sort(nears.begin(), nears.end(),
                   [](const Near& a, const Near& b) { return a.candidates[0].first < b.candidates[0].first; });
  for (const Near& n : nears) {
    const std::string& key = doors[n.door].address_key;
    int chosen = -1;
    for (const auto& [dist, f] : n.candidates) {
      const auto& held = claims.keys[footprints[f].id];
      if (held.empty() || held.count(key)) {
        chosen = f;
        break;
      }
    }
    if (chosen < 0 && n.candidates[0].first <= kOnTheWallM) chosen = n.candidates[0].second;
    if (chosen < 0) continue;  // grouped with its address's other points in step 2
    m.building_of[n.door] = footprints[chosen].id;
    m.how[n.door] = How::near;
    ++m.near;
    done[n.door] = 1;
    claims.keys[footprints[chosen].id].insert(key);
  }
}

// Step 2, over every door at once: the unmatched ones cluster per address key; splits reported.
void cluster_rest(const std::vector<DoorPoint>& doors, double max_m, Matching& m, const std::vector<char>& done) {
  std::vector<geo::Fix> pts;
  for (const DoorPoint& d : doors) pts.push_back(d.at);
  Grid g;
  g.proj = geo::projection_for(pts);
  std::map<std::string, std::vector<size_t>> by_key;
  for (size_t d = 0; d < doors.size(); ++d) by_key[doors[d].address_key].push_back(d);
  for (auto& [key, members] : by_key) {
    std::vector<size_t> rest;
    for (size_t d : members)
      if (!done[d]) rest.push_back(d);
    // Sorted by position so cluster numbering does not depend on input order.
    std::sort(rest.begin(), rest.end(), [&](size_t a, size_t b) {
      return doors[a].at.lon != doors[b].at.lon ? doors[a].at.lon < doors[b].at.lon : doors[a].at.lat < doors[b].at.lat;
    });
    std::vector<int> cluster(rest.size(), -1);
    int clusters = 0;
    for (size_t i = 0; i < rest.size(); ++i) {
      if (cluster[i] >= 0) continue;
      cluster[i] = clusters;
      std::vector<size_t> stack{i};
      while (!stack.empty()) {
        const size_t a = stack.back();
        stack.pop_back();
        for (size_t j = 0; j < rest.size(); ++j)
          if (cluster[j] < 0 &&
              geo::distance_m(g.proj.to_xy(doors[rest[a]].at), g.proj.to_xy(doors[rest[j]].at)) <= max_m) {
            cluster[j] = clusters;
            stack.push_back(j);
          }
      }
      ++clusters;
    }
    for (size_t i = 0; i < rest.size(); ++i) {
      m.building_of[rest[i]] = key + (cluster[i] ? "#" + std::to_string(cluster[i] + 1) : "");
      ++m.clustered;
    }
    std::vector<std::string> distinct;
    for (size_t d : members)
      if (std::find(distinct.begin(), distinct.end(), m.building_of[d]) == distinct.end())
        distinct.push_back(m.building_of[d]);
    if (distinct.size() > 1) {
      Split s{key, static_cast<int>(distinct.size()), 0};
      for (size_t a : members)
        for (size_t b : members)
          s.spread_m = std::max(s.spread_m, geo::distance_m(g.proj.to_xy(doors[a].at), g.proj.to_xy(doors[b].at)));
      m.splits.push_back(std::move(s));
    }
  }
}

Matching fresh(size_t n) {
  Matching m;
  m.building_of.resize(n);
  m.how.assign(n, How::clustered);
  return m;
}
}  // namespace

Matching match(const std::vector<DoorPoint>& doors, const std::vector<Footprint>& footprints, double max_m) {
  Matching m = fresh(doors.size());
  std::vector<char> done(doors.size(), 0);
  std::vector<size_t> all(doors.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  Claims claims;
  match_footprints(doors, all, footprints, max_m, m, done, claims);
  cluster_rest(doors, max_m, m, done);
  return m;
}

Matching match_by_area(const std::vector<DoorPoint>& doors, const FootprintSource& footprints_in, double max_m) {
  Matching m = fresh(doors.size());
  std::vector<char> done(doors.size(), 0);
  constexpr int64_t kCell = 50000;  // 0.005 degree: about 500 m north-south, 460 m east-west here
  const int64_t grow = static_cast<int64_t>(max_m / 0.005) + 1;  // metres to 1e-7 degree, generous up to 60 degrees of latitude
  Claims claims;
  std::map<std::pair<int64_t, int64_t>, std::vector<size_t>> cells;
  for (size_t i = 0; i < doors.size(); ++i) {
    const auto floor_div = [](int64_t a, int64_t b) { return a / b - ((a % b) < 0 ? 1 : 0); };
    cells[{floor_div(doors[i].at.lon, kCell), floor_div(doors[i].at.lat, kCell)}].push_back(i);
  }
  for (const auto& [cell, which] : cells) {
    geo::BBox box;
    box.add({cell.first * kCell - grow, cell.second * kCell - grow});
    box.add({(cell.first + 1) * kCell + grow, (cell.second + 1) * kCell + grow});
    match_footprints(doors, which, footprints_in(box), max_m, m, done, claims);
  }
  cluster_rest(doors, max_m, m, done);
  return m;
}

}  // namespace doorstep::footprints
