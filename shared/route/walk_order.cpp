// Walk order (see walk_order.h). Buildings are the solver's nodes; the closed tour is opened at the
// start point (or at its longest leg) and the open path is polished with 2-opt and Or-opt moves
// that know the path's ends.
#include "shared/route/walk_order.h"

#include "shared/parse/address.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace doorstep::walk_order {

namespace {

std::string upper_collapsed(const std::string& s) {
  std::string out;
  bool space = false;
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ', space = false;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : static_cast<char>(c);
  }
  return out;
}

struct Building {
  std::vector<int> doors;
  int64_t sum_lon = 0, sum_lat = 0;
  geo::Fix at;
  int street = -1;
  int side = 0;
};

// Open path polish: first-improvement 2-opt and Or-opt (segments of 1-3) on an open path whose
// first node is fixed when `fixed_start`. Quadratic per pass; used on turf-sized inputs.
void polish_path(const tour::CostModel& m, std::vector<int>& p, bool fixed_start, int max_passes) {
  const int n = static_cast<int>(p.size());
  if (n < 3) return;
  auto c = [&](int a, int b) { return m.cost(p[a], p[b]); };
  const int lo = fixed_start ? 1 : 0;
  for (int pass = 0; pass < max_passes; ++pass) {
    bool improved = false;
    // 2-opt: reverse p[i..j].
    for (int i = lo; i < n - 1; ++i)
      for (int j = i + 1; j < n; ++j) {
        int64_t before = (i > 0 ? c(i - 1, i) : 0) + (j < n - 1 ? c(j, j + 1) : 0);
        int64_t after = (i > 0 ? c(i - 1, j) : 0) + (j < n - 1 ? c(i, j + 1) : 0);
        if (after < before) {
          std::reverse(p.begin() + i, p.begin() + j + 1);
          improved = true;
        }
      }
    // Or-opt: move p[i..i+L-1] to another gap, either way round.
    for (int L = 1; L <= 3; ++L)
      for (int i = lo; i + L <= n; ++i) {
        int a = i - 1, b = i + L;  // neighbours of the segment (may be out of range)
        int64_t removed = (a >= 0 ? c(a, i) : 0) + (b < n ? c(i + L - 1, b) : 0) - (a >= 0 && b < n ? c(a, b) : 0);
        if (removed <= 0) continue;
        std::vector<int> seg(p.begin() + i, p.begin() + i + L);
        std::vector<int> rest;
        rest.reserve(n - L);
        for (int q = 0; q < n; ++q)
          if (q < i || q >= i + L) rest.push_back(p[q]);
        int best_gap = -1;
        bool best_flip = false;
        int64_t best_add = removed;
        const int rn = static_cast<int>(rest.size());
        for (int g = lo; g <= rn; ++g) {  // insert before rest[g]
          if (g == i) continue;           // the place it came from
          int u = g > 0 ? rest[g - 1] : -1, w = g < rn ? rest[g] : -1;
          for (int flip = 0; flip < 2; ++flip) {
            int first = flip ? seg.back() : seg.front(), last = flip ? seg.front() : seg.back();
            int64_t add = (u >= 0 ? m.cost(u, first) : 0) + (w >= 0 ? m.cost(last, w) : 0) - (u >= 0 && w >= 0 ? m.cost(u, w) : 0);
            if (add < best_add) best_add = add, best_gap = g, best_flip = flip;
          }
        }
        if (best_gap >= 0) {
          if (best_flip) std::reverse(seg.begin(), seg.end());
          rest.insert(rest.begin() + best_gap, seg.begin(), seg.end());
          p = std::move(rest);
          improved = true;
        }
      }
    if (!improved) break;
  }
}

struct Prepared {
  std::vector<Building> buildings;
  std::vector<int> building_of;  // per door
  geo::Projection proj;
  tour::CostModel model;          // nodes: buildings, then the start point when given
  int start_node = -1;
};

Prepared prepare(const std::vector<Door>& doors, const Options& opt) {
  Prepared pr;
  std::map<std::string, int> by_key, streets;
  pr.building_of.resize(doors.size());
  for (size_t i = 0; i < doors.size(); ++i) {
    auto [it, fresh] = by_key.emplace(building_key(doors[i], i), static_cast<int>(pr.buildings.size()));
    if (fresh) pr.buildings.emplace_back();
    Building& b = pr.buildings[it->second];
    b.doors.push_back(static_cast<int>(i));
    b.sum_lon += doors[i].at.lon;
    b.sum_lat += doors[i].at.lat;
    pr.building_of[i] = it->second;
  }
  std::vector<geo::Fix> pts;
  for (auto& b : pr.buildings) {
    int64_t k = static_cast<int64_t>(b.doors.size());
    b.at = geo::Fix{b.sum_lon / k, b.sum_lat / k};
    pts.push_back(b.at);
    const Door& d = doors[b.doors.front()];
    std::string st = upper_collapsed(d.street);
    long num = house_number(d.number);
    if (!st.empty() && num >= 0) {
      b.street = streets.emplace(st, static_cast<int>(streets.size())).first->second;
      b.side = static_cast<int>(num & 1);
    }
  }
  if (opt.start) pts.push_back(*opt.start);
  pr.proj = geo::projection_for(pts);
  auto& m = pr.model;
  m.scale = 10;  // decimetres
  m.crossing_penalty = static_cast<int64_t>(std::llround(opt.crossing_penalty_m * 10));
  for (auto& b : pr.buildings) {
    geo::XY xy = pr.proj.to_xy(b.at);
    m.x.push_back(xy.x);
    m.y.push_back(xy.y);
    m.street.push_back(b.street);
    m.side.push_back(static_cast<int8_t>(b.side));
  }
  if (opt.start) {
    geo::XY xy = pr.proj.to_xy(*opt.start);
    pr.start_node = static_cast<int>(m.x.size());
    m.x.push_back(xy.x);
    m.y.push_back(xy.y);
    m.street.push_back(-1);
    m.side.push_back(0);
  }
  return pr;
}

void sort_building_doors(const std::vector<Door>& doors, std::vector<int>& ids) {
  std::sort(ids.begin(), ids.end(), [&](int a, int b) {
    const Door &da = doors[a], &db = doors[b];
    bool ka = da.floor != INT_MIN, kb = db.floor != INT_MIN;
    if (ka != kb) return ka;
    if (ka && da.floor != db.floor) return da.floor < db.floor;
    if (unit_less(da.unit, db.unit)) return true;
    if (unit_less(db.unit, da.unit)) return false;
    return a < b;
  });
}

// Fills polyline, length and crossings for a building-level path.
void finish(const Prepared& pr, const std::vector<int>& bpath, const Options& opt, Route& r) {
  r.polyline.clear();
  r.length_m = 0;
  r.crossings = 0;
  std::vector<geo::XY> xy;
  if (opt.start) {
    r.polyline.push_back(*opt.start);
    xy.push_back(pr.proj.to_xy(*opt.start));
  }
  int prev = -1;
  for (int b : bpath) {
    if (b == prev) continue;
    if (prev >= 0) {
      const Building &x = pr.buildings[prev], &y = pr.buildings[b];
      if (x.street >= 0 && x.street == y.street && x.side != y.side) ++r.crossings;
    }
    r.polyline.push_back(pr.buildings[b].at);
    xy.push_back(pr.proj.to_xy(pr.buildings[b].at));
    prev = b;
  }
  for (size_t i = 1; i < xy.size(); ++i) r.length_m += geo::distance_m(xy[i - 1], xy[i]);
}

}  // namespace

long house_number(const std::string& number) {
  size_t i = 0;
  while (i < number.size() && number[i] == ' ') ++i;
  long v = -1;
  while (i < number.size() && number[i] >= '0' && number[i] <= '9') {
    v = (v < 0 ? 0 : v) * 10 + (number[i] - '0');
    if (v > 100000000) break;
    ++i;
  }
  return v;
}

bool unit_less(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    bool da = a[i] >= '0' && a[i] <= '9', db = b[j] >= '0' && b[j] <= '9';
    if (da && db) {
      size_t si = i, sj = j;
      while (si < a.size() && a[si] == '0') ++si;
      while (sj < b.size() && b[sj] == '0') ++sj;
      size_t ei = si, ej = sj;
      while (ei < a.size() && a[ei] >= '0' && a[ei] <= '9') ++ei;
      while (ej < b.size() && b[ej] >= '0' && b[ej] <= '9') ++ej;
      if (ei - si != ej - sj) return ei - si < ej - sj;
      int cmp = a.compare(si, ei - si, b, sj, ej - sj);
      if (cmp != 0) return cmp < 0;
      i = ei;
      j = ej;
    } else {
      char ca = (a[i] >= 'a' && a[i] <= 'z') ? char(a[i] - 32) : a[i];
      char cb = (b[j] >= 'a' && b[j] <= 'z') ? char(b[j] - 32) : b[j];
      if (ca != cb) return static_cast<unsigned char>(ca) < static_cast<unsigned char>(cb);
      ++i, ++j;
    }
  }
  if ((a.size() - i) != (b.size() - j)) return a.size() - i < b.size() - j;
  return a < b;
}

std::string building_key(const Door& d, size_t index) {
  if (!d.building.empty()) return "b:" + d.building;
  std::string num = upper_collapsed(d.number), st = upper_collapsed(d.street);
  if (!num.empty() && !st.empty()) return "a:" + num + " " + st;
  return "#" + std::to_string(index);
}

double walk_minutes(double length_m, size_t doors, const Pace& pace) {
  return length_m / pace.walk_m_per_min() + pace.minutes_per_door * static_cast<double>(doors);
}

Route plan(const std::vector<Door>& doors, const Options& opt) {
  Route r;
  if (doors.empty()) {
    if (opt.start) r.polyline.push_back(*opt.start);
    return r;
  }
  Prepared pr = prepare(doors, opt);
  const auto& m = pr.model;
  tour::Stats st;
  std::vector<int> t = tour::solve(m, opt.solver, &st);
  r.work = st.work;
  const int n = static_cast<int>(t.size());
  std::vector<int> path;
  if (pr.start_node >= 0) {
    int p0 = static_cast<int>(std::find(t.begin(), t.end(), pr.start_node) - t.begin());
    int fwd_next = t[(p0 + 1) % n], bwd_next = t[(p0 + n - 1) % n];
    // Walking away from the start along the cheaper first leg drops the dearer one as the
    // closing edge.
    bool forward = m.cost(pr.start_node, bwd_next) >= m.cost(pr.start_node, fwd_next);
    for (int q = 0; q < n; ++q) path.push_back(t[forward ? (p0 + q) % n : (p0 - q + n) % n]);
  } else {
    int cut = 0;
    int64_t longest = -1;
    for (int q = 0; q < n; ++q) {
      int64_t c = m.cost(t[q], t[(q + 1) % n]);
      if (c > longest) longest = c, cut = q;
    }
    for (int q = 1; q <= n; ++q) path.push_back(t[(cut + q) % n]);
  }
  if (n <= 600) polish_path(m, path, pr.start_node >= 0, 4);
  std::vector<int> bpath;
  for (int node : path)
    if (node != pr.start_node) bpath.push_back(node);
  for (int b : bpath) {
    std::vector<int> ids = pr.buildings[b].doors;
    sort_building_doors(doors, ids);
    r.order.insert(r.order.end(), ids.begin(), ids.end());
  }
  finish(pr, bpath, opt, r);
  return r;
}

Route measure(const std::vector<Door>& doors, const std::vector<int>& order, const Options& opt) {
  Route r;
  r.order = order;
  Prepared pr = prepare(doors, opt);
  std::vector<int> bpath;
  for (int d : order) bpath.push_back(pr.building_of[d]);
  // A building left and re-entered counts as a new stop, as it would be walked.
  r.polyline.clear();
  r.length_m = 0;
  r.crossings = 0;
  std::vector<geo::XY> xy;
  if (opt.start) {
    r.polyline.push_back(*opt.start);
    xy.push_back(pr.proj.to_xy(*opt.start));
  }
  int prev = -1;
  for (int d : order) {
    int b = pr.building_of[d];
    if (prev >= 0 && b != prev) {
      const Building &x = pr.buildings[prev], &y = pr.buildings[b];
      if (x.street >= 0 && x.street == y.street && x.side != y.side) ++r.crossings;
    }
    if (b != prev) {
      // Walk to the door itself, so an order that splits a building pays for it.
      r.polyline.push_back(doors[d].at);
      xy.push_back(pr.proj.to_xy(doors[d].at));
    }
    prev = b;
  }
  for (size_t i = 1; i < xy.size(); ++i) r.length_m += geo::distance_m(xy[i - 1], xy[i]);
  return r;
}

Route street_sort(const std::vector<Door>& doors, const Options& opt) {
  std::vector<int> order(doors.size());
  std::iota(order.begin(), order.end(), 0);
  std::vector<std::string> streets(doors.size());
  std::vector<long> nums(doors.size());
  for (size_t i = 0; i < doors.size(); ++i) {
    streets[i] = upper_collapsed(doors[i].street);
    nums[i] = house_number(doors[i].number);
  }
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    if (streets[a] != streets[b]) return streets[a] < streets[b];
    int pa = nums[a] < 0 ? 2 : (nums[a] & 1 ? 0 : 1), pb = nums[b] < 0 ? 2 : (nums[b] & 1 ? 0 : 1);
    if (pa != pb) return pa < pb;  // odd side, then even side
    if (nums[a] != nums[b]) return nums[a] < nums[b];
    if (doors[a].number != doors[b].number) return doors[a].number < doors[b].number;
    if (unit_less(doors[a].unit, doors[b].unit)) return true;
    if (unit_less(doors[b].unit, doors[a].unit)) return false;
    return a < b;
  });
  return measure(doors, order, opt);
}

std::vector<int> come_back_later(const std::vector<Door>& doors, const std::vector<int>& order, size_t current, int door) {
  std::vector<int> rest;
  rest.reserve(order.size());
  size_t k = order.size();
  for (size_t i = 0; i < order.size(); ++i) {
    if (order[i] == door && k == order.size()) k = i;
    else rest.push_back(order[i]);
  }
  if (k == order.size()) return order;  // not in the route
  std::vector<geo::Fix> pts;
  for (auto& d : doors) pts.push_back(d.at);
  geo::Projection proj = geo::projection_for(pts);
  auto dist = [&](int a, int b) { return geo::distance_m(proj.to_xy(doors[a].at), proj.to_xy(doors[b].at)); };
  // First allowed gap (insert before rest[g]): after the door being visited now, and when that
  // door is the one put off, after the next one too.
  size_t first;
  if (k == current) first = current + 1;
  else first = (k < current ? current - 1 : current) + 1;
  const size_t rn = rest.size();
  first = std::min(first, rn);
  size_t best = rn;
  double best_add = 0;
  bool have = false;
  for (size_t g = first; g <= rn; ++g) {
    double add = 0;
    if (g > 0) add += dist(rest[g - 1], door);
    if (g < rn) add += dist(door, rest[g]);
    if (g > 0 && g < rn) add -= dist(rest[g - 1], rest[g]);
    if (!have || add < best_add) best_add = add, best = g, have = true;
  }
  rest.insert(rest.begin() + static_cast<long>(best), door);
  return rest;
}

Door door_from_address(geo::Fix at, std::string building, std::string_view address_line, std::string unit) {
  auto a = address::parse(address_line);
  Door d;
  d.at = at;
  d.building = std::move(building);
  d.street = a.predir + " " + a.name + " " + a.type;
  d.number = a.number;
  d.unit = std::move(unit);
  return d;
}

}  // namespace doorstep::walk_order
