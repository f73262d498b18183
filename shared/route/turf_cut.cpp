// Turf cutting and live counts (see turf_cut.h).
#include "shared/route/turf_cut.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace doorstep::turf_cut {

std::vector<int> doors_in(const std::vector<Door>& doors, const geo::MultiPolygon& area) {
  std::vector<int> out;
  for (size_t i = 0; i < doors.size(); ++i)
    if (geo::contains(area, doors[i].at)) out.push_back(static_cast<int>(i));
  return out;
}

namespace {

constexpr double kWalkFactor = 1.25;    // tour length per nearest-neighbour spacing, street-like
constexpr double kMaxSpacingM = 300.0;  // an isolated building does not swallow a shift
constexpr double kPolygonMarginM = 25.0;  // display polygon reaches this far past the outer doors

struct Bldg {
  std::vector<int> doors;
  geo::Fix at;
  double weight = 0;
  int people = 0;
};

struct Grouped {
  std::vector<Bldg> b;
  std::vector<int> bldg_of;  // per input door, -1 when excluded
};

Grouped group(const std::vector<Door>& doors, const std::vector<char>& keep) {
  Grouped g;
  g.bldg_of.assign(doors.size(), -1);
  std::map<std::string, int> by_key;
  std::vector<int64_t> slon, slat;
  for (size_t i = 0; i < doors.size(); ++i) {
    if (!keep[i]) continue;
    int id;
    if (doors[i].building.empty()) {
      id = static_cast<int>(g.b.size());
      g.b.emplace_back();
      slon.push_back(0), slat.push_back(0);
    } else {
      auto [it, fresh] = by_key.emplace(doors[i].building, static_cast<int>(g.b.size()));
      if (fresh) g.b.emplace_back(), slon.push_back(0), slat.push_back(0);
      id = it->second;
    }
    g.b[id].doors.push_back(static_cast<int>(i));
    g.b[id].people += doors[i].people;
    slon[id] += doors[i].at.lon;
    slat[id] += doors[i].at.lat;
    g.bldg_of[i] = id;
  }
  for (size_t k = 0; k < g.b.size(); ++k) {
    int64_t c = static_cast<int64_t>(g.b[k].doors.size());
    g.b[k].at = geo::Fix{slon[k] / c, slat[k] / c};
  }
  return g;
}

// Walking minutes per building from nearest-neighbour spacing.
std::vector<double> walk_minutes(const std::vector<Bldg>& b, const geo::Projection& proj, const Options& opt) {
  std::vector<double> x(b.size()), y(b.size()), out(b.size(), 0);
  for (size_t i = 0; i < b.size(); ++i) {
    geo::XY p = proj.to_xy(b[i].at);
    x[i] = p.x, y[i] = p.y;
  }
  if (b.size() < 2) return out;
  auto nn = tour::nearest_neighbours(x, y, 1);
  for (size_t i = 0; i < b.size(); ++i) {
    double d = geo::distance_m(geo::XY{x[i], y[i]}, geo::XY{x[nn[i]], y[nn[i]]});
    out[i] = std::min(d, kMaxSpacingM) * kWalkFactor / opt.pace.walk_m_per_min();
  }
  return out;
}

// Turf sizes planned for an area of total weight w: equal turfs within tolerance when possible,
// else full turfs plus one smaller remainder.
std::vector<double> plan_sizes(double w, double target, double tol) {
  if (w <= target * (1 + tol)) return {w};
  long k = std::lround(w / target);
  for (long kk : {k, k - 1, k + 1}) {
    if (kk < 1) continue;
    double s = w / static_cast<double>(kk);
    if (s >= target * (1 - tol) && s <= target * (1 + tol)) return std::vector<double>(kk, s);
  }
  long full = static_cast<long>(std::floor(w / target));
  std::vector<double> out(full, target);
  double rest = w - target * static_cast<double>(full);
  if (rest > 0) out.push_back(rest);
  return out;
}

struct Rect {
  int64_t min_lon, min_lat, max_lon, max_lat;
};

class Cutter {
 public:
  Cutter(const std::vector<Door>& doors, const Grouped& g, const geo::Projection& proj, double target, double tol)
      : doors_(doors), g_(g), proj_(proj), target_(target), tol_(tol) {
    ext_.resize(g_.b.size());
    side_.assign(g_.b.size(), 0);
    for (size_t k = 0; k < g_.b.size(); ++k)
      for (int d : g_.b[k].doors) ext_[k].add(doors_[d].at);
  }

  std::vector<Turf> run() {
    std::vector<int> all(g_.b.size());
    std::iota(all.begin(), all.end(), 0);
    if (all.empty()) return {};
    geo::BBox bb;
    for (int k : all) bb.add(g_.b[k].at);
    for (auto& bl : g_.b)
      for (int d : bl.doors) bb.add(doors_[d].at);
    Rect r{bb.min_lon - 1000, bb.min_lat - 1000, bb.max_lon + 1000, bb.max_lat + 1000};
    area(all, r);
    return std::move(out_);
  }

 private:
  const std::vector<Door>& doors_;
  const Grouped& g_;
  const geo::Projection& proj_;
  double target_, tol_;
  std::vector<geo::BBox> ext_;  // per building: bounding box of its doors
  std::vector<char> side_;      // scratch: which half of the current split a building went to
  std::vector<Turf> out_;

  double weight(const std::vector<int>& s) const {
    double w = 0;
    for (int k : s) w += g_.b[k].weight;
    return w;
  }
  bool big(int k) const { return g_.b[k].weight > target_ * (1 + tol_); }
  int64_t coord(int k, int axis) const { return axis == 0 ? g_.b[k].at.lon : g_.b[k].at.lat; }

  // Axis of the longer extent in metres (0: east-west, 1: north-south); ties go east-west.
  int long_axis(const std::vector<int>& s) const {
    int64_t a0 = INT64_MAX, b0 = INT64_MIN, a1 = INT64_MAX, b1 = INT64_MIN;
    for (int k : s) {
      a0 = std::min(a0, coord(k, 0)), b0 = std::max(b0, coord(k, 0));
      a1 = std::min(a1, coord(k, 1)), b1 = std::max(b1, coord(k, 1));
    }
    double ex = static_cast<double>(b0 - a0) * proj_.metres_per_unit_lon();
    double ey = static_cast<double>(b1 - a1) * proj_.metres_per_unit_lat();
    return ey > ex ? 1 : 0;
  }

  void sort_on(std::vector<int>& s, int axis) const {
    std::sort(s.begin(), s.end(), [&](int a, int b) {
      int64_t ca = coord(a, axis), cb = coord(b, axis);
      if (ca != cb) return ca < cb;
      int64_t oa = coord(a, 1 - axis), ob = coord(b, 1 - axis);
      if (oa != ob) return oa < ob;
      return a < b;
    });
  }

  static void split_rect(const Rect& r, int axis, int64_t cut, Rect& lo, Rect& hi) {
    lo = r, hi = r;
    if (axis == 0) lo.max_lon = cut, hi.min_lon = cut;
    else lo.max_lat = cut, hi.min_lat = cut;
  }

  // A connected piece of the universe: isolate buildings bigger than a turf, plan the rest.
  void area(std::vector<int> s, const Rect& r) {
    if (s.empty()) return;
    bool has_big = false;
    for (int k : s) has_big |= big(k);
    if (has_big && s.size() > 1) {
      isolate(std::move(s), r, 0);
      return;
    }
    auto sizes = plan_sizes(weight(s), target_, tol_);
    // Sorted once per axis here; each split then partitions both orders stably, O(n) per level.
    std::vector<int> s1 = s;
    sort_on(s, 0);
    sort_on(s1, 1);
    bisect(std::move(s), std::move(s1), r, sizes);
  }

  // Lowest and highest coordinate of a building's doors on an axis.
  int64_t lo(int k, int axis) const { return axis == 0 ? ext_[k].min_lon : ext_[k].min_lat; }
  int64_t hi(int k, int axis) const { return axis == 0 ? ext_[k].max_lon : ext_[k].max_lat; }

  // Gives the first big building a cell of its own: cuts before and after it along an axis,
  // taking along any building whose doors overlap it on that axis; those are then separated on
  // the other axis.
  void isolate(std::vector<int> s, const Rect& r, int depth) {
    int axis = long_axis(s);
    if (depth == 1) axis = 1 - axis;
    sort_on(s, axis);
    int b = -1;
    for (int k : s)
      if (big(k)) { b = k; break; }
    int64_t m0 = lo(b, axis), m1 = hi(b, axis);
    for (bool grew = true; grew;) {  // the band of buildings overlapping the big one
      grew = false;
      for (int k : s)
        if (hi(k, axis) >= m0 && lo(k, axis) <= m1 && (lo(k, axis) < m0 || hi(k, axis) > m1)) {
          m0 = std::min(m0, lo(k, axis)), m1 = std::max(m1, hi(k, axis));
          grew = true;
        }
    }
    std::vector<int> left, mid, right;
    for (int k : s) (hi(k, axis) < m0 ? left : lo(k, axis) > m1 ? right : mid).push_back(k);
    Rect rl, rm = r, rr, tmp;
    if (!left.empty()) {
      int64_t top = INT64_MIN;
      for (int k : left) top = std::max(top, hi(k, axis));
      split_rect(r, axis, top + (m0 - top + 1) / 2, rl, rm);
    }
    if (!right.empty()) {
      int64_t bottom = INT64_MAX;
      for (int k : right) bottom = std::min(bottom, lo(k, axis));
      split_rect(rm, axis, m1 + (bottom - m1 + 1) / 2, tmp, rr);
      rm = tmp;
    }
    area(std::move(left), rl);
    if (mid.size() == 1 || depth == 1) leaf(mid, rm, true, false);  // twins on both axes share it
    else isolate(std::move(mid), rm, 1);
    area(std::move(right), rr);
  }

  struct CutChoice {
    bool found = false;
    double err = 0;
    size_t at = 0;      // left part is s[0, at)
    int64_t line = 0;   // cell boundary
  };

  // Best cut of s (sorted on axis) by |left weight - want| among: clean cuts (no building's doors
  // straddle the line), cuts between distinct building points, and any cut (a tie is split and
  // its left members sit on the line).
  void best_cuts(const std::vector<int>& s, int axis, double want, CutChoice out[3]) const {
    const size_t n = s.size();
    std::vector<int64_t> suf_lo(n + 1, INT64_MAX);
    for (size_t c = n; c-- > 0;) suf_lo[c] = std::min(suf_lo[c + 1], lo(s[c], axis));
    int64_t pre_hi = INT64_MIN;
    double prefix = 0;
    for (size_t c = 1; c < n; ++c) {
      prefix += g_.b[s[c - 1]].weight;
      pre_hi = std::max(pre_hi, hi(s[c - 1], axis));
      double err = std::fabs(prefix - want);
      int64_t a = coord(s[c - 1], axis), bb = coord(s[c], axis);
      auto offer = [&](CutChoice& ch, int64_t line) {
        if (!ch.found || err < ch.err) ch = CutChoice{true, err, c, line};
      };
      if (pre_hi < suf_lo[c]) offer(out[0], pre_hi + (suf_lo[c] - pre_hi + 1) / 2);
      if (a < bb) offer(out[1], a + (bb - a + 1) / 2);
      offer(out[2], bb);
    }
  }

  // by[a] holds the same buildings sorted on axis a (lon, lat).
  void bisect(std::vector<int> by0, std::vector<int> by1, const Rect& r, std::vector<double> sizes) {
    std::vector<int>* by[2] = {&by0, &by1};
    if (sizes.size() <= 1 || by0.size() <= 1) {
      double w = weight(by0);
      bool remainder = w < target_ * (1 - tol_);
      leaf(by0, r, false, remainder);
      return;
    }
    size_t k1 = sizes.size() / 2;
    double want = 0, total = 0;
    for (size_t q = 0; q < sizes.size(); ++q) (q < k1 ? want : total) += sizes[q];
    total += want;
    // Try the long axis, then the other; clean cuts first, then cuts between points, then any.
    // The first whose error is small next to a turf wins, else the smallest error.
    double ex = static_cast<double>(coord(by0.back(), 0) - coord(by0.front(), 0)) * proj_.metres_per_unit_lon();
    double ey = static_cast<double>(coord(by1.back(), 1) - coord(by1.front(), 1)) * proj_.metres_per_unit_lat();
    const int first = ey > ex ? 1 : 0;
    const int axes[2] = {first, 1 - first};
    CutChoice ch[2][3];
    for (int ai = 0; ai < 2; ++ai) best_cuts(*by[axes[ai]], axes[ai], want, ch[ai]);
    const double small = 0.3 * tol_ * target_;
    int pick_axis = -1, pick_kind = -1;
    for (int kind = 0; kind < 3 && pick_axis < 0; ++kind)
      for (int ai = 0; ai < 2 && pick_axis < 0; ++ai)
        if (ch[ai][kind].found && ch[ai][kind].err <= small) pick_axis = ai, pick_kind = kind;
    if (pick_axis < 0)
      for (int kind = 0; kind < 3; ++kind)
        for (int ai = 0; ai < 2; ++ai)
          if (ch[ai][kind].found && (pick_axis < 0 || ch[ai][kind].err < ch[pick_axis][pick_kind].err))
            pick_axis = ai, pick_kind = kind;
    if (pick_axis < 0) {  // a single point
      leaf(by0, r, false, false);
      return;
    }
    const CutChoice& c = ch[pick_axis][pick_kind];
    const int axis = axes[pick_axis];
    const std::vector<int>& main = *by[axis];
    double got = 0;
    for (size_t q = 0; q < c.at; ++q) got += g_.b[main[q]].weight;
    std::vector<double> ls(sizes.begin(), sizes.begin() + k1), rs(sizes.begin() + k1, sizes.end());
    double fl = want > 0 ? got / want : 1, fr = total - want > 0 ? (total - got) / (total - want) : 1;
    for (auto& v : ls) v *= fl;
    for (auto& v : rs) v *= fr;
    Rect rl, rr;
    split_rect(r, axis, c.line, rl, rr);
    std::vector<int> left[2], right[2];
    left[axis].assign(main.begin(), main.begin() + c.at);
    right[axis].assign(main.begin() + c.at, main.end());
    for (int k : left[axis]) side_[k] = 1;
    for (int k : right[axis]) side_[k] = 2;
    for (int k : *by[1 - axis]) (side_[k] == 1 ? left : right)[1 - axis].push_back(k);
    by0.clear(), by0.shrink_to_fit(), by1.clear(), by1.shrink_to_fit();
    bisect(std::move(left[0]), std::move(left[1]), rl, std::move(ls));
    bisect(std::move(right[0]), std::move(right[1]), rr, std::move(rs));
  }

  void leaf(const std::vector<int>& s, const Rect& r, bool oversized, bool remainder) {
    Turf t;
    geo::BBox bb;
    for (int k : s) {
      for (int d : g_.b[k].doors) {
        t.doors.push_back(d);
        bb.add(doors_[d].at);
      }
      t.people += g_.b[k].people;
      t.size += g_.b[k].weight;
    }
    t.oversized_building = oversized;
    t.remainder = remainder;
    // Bounding box of the doors, widened so that a row of houses still makes a compact shape,
    // and clipped to the cell of the bisection (cells never overlap).
    const int64_t margin_lon = static_cast<int64_t>(std::ceil(kPolygonMarginM / proj_.metres_per_unit_lon()));
    const int64_t margin_lat = static_cast<int64_t>(std::ceil(kPolygonMarginM / proj_.metres_per_unit_lat()));
    int64_t x0 = std::max(r.min_lon, bb.min_lon - margin_lon), x1 = std::min(r.max_lon, bb.max_lon + margin_lon);
    int64_t y0 = std::max(r.min_lat, bb.min_lat - margin_lat), y1 = std::min(r.max_lat, bb.max_lat + margin_lat);
    if (x1 <= x0) x0 = r.min_lon, x1 = r.max_lon;
    if (y1 <= y0) y0 = r.min_lat, y1 = r.max_lat;
    t.polygon.polygons.push_back(geo::Polygon{{geo::rect_ring(x0, y0, x1, y1)}});
    t.polygon.finish();
    for (int d : t.doors) {
      const geo::Fix& p = doors_[d].at;
      if (p.lon < x0 || p.lon > x1 || p.lat < y0 || p.lat > y1) ++t.doors_outside_polygon;
    }
    out_.push_back(std::move(t));
  }
};

}  // namespace

std::vector<double> door_minutes(const std::vector<Door>& doors, const Options& opt) {
  std::vector<char> keep(doors.size(), 1);
  Grouped g = group(doors, keep);
  std::vector<geo::Fix> pts;
  for (auto& b : g.b) pts.push_back(b.at);
  geo::Projection proj = geo::projection_for(pts);
  auto wm = walk_minutes(g.b, proj, opt);
  std::vector<double> out(doors.size(), 0);
  for (size_t k = 0; k < g.b.size(); ++k)
    for (int d : g.b[k].doors) out[d] = opt.pace.minutes_per_door + wm[k] / static_cast<double>(g.b[k].doors.size());
  return out;
}

Result<Cut> cut(const std::vector<Door>& doors, const Options& opt) {
  Cut res;
  res.by_minutes = opt.target_doors <= 0;
  if (opt.target_doors <= 0 && !(opt.target_minutes > 0))
    return make_error(Code::invalid_argument, "give a target: doors per turf or minutes per shift");
  if (!(opt.tolerance >= 0 && opt.tolerance < 1)) return make_error(Code::invalid_argument, "tolerance must be in [0, 1)");
  if (!(opt.pace.minutes_per_door >= 0 && opt.pace.walk_m_per_s > 0))
    return make_error(Code::invalid_argument, "minutes per door must be >= 0 and walking speed > 0");
  std::vector<char> keep(doors.size(), 1);
  for (size_t i = 0; i < doors.size(); ++i) {
    const Door& d = doors[i];
    bool out = (opt.exclude_do_not_contact && d.do_not_contact) || (opt.exclude_in_active_turf && d.in_active_turf) ||
               (opt.exclude_attempted_within_days > 0 && d.last_attempt_day != INT64_MIN &&
                opt.today - d.last_attempt_day < opt.exclude_attempted_within_days);
    if (out) {
      keep[i] = 0;
      res.excluded.push_back(static_cast<int>(i));
    }
  }
  Grouped g = group(doors, keep);
  std::vector<geo::Fix> pts;
  for (auto& b : g.b) pts.push_back(b.at);
  geo::Projection proj = geo::projection_for(pts);
  if (res.by_minutes) {
    auto wm = walk_minutes(g.b, proj, opt);
    for (size_t k = 0; k < g.b.size(); ++k)
      g.b[k].weight = opt.pace.minutes_per_door * static_cast<double>(g.b[k].doors.size()) + wm[k];
    res.target = opt.target_minutes;
  } else {
    for (auto& b : g.b) b.weight = static_cast<double>(b.doors.size());
    res.target = opt.target_doors;
  }
  Cutter cutter(doors, g, proj, res.target, opt.tolerance);
  res.turfs = cutter.run();
  for (auto& t : res.turfs) {
    t.area_m2 = geo::area_m2(t.polygon, proj);
    t.perimeter_m = geo::perimeter_m(t.polygon, proj);
    t.compactness = geo::compactness(t.area_m2, t.perimeter_m);
    if (!opt.route_stats) continue;
    std::vector<walk_order::Door> wd;
    wd.reserve(t.doors.size());
    for (int d : t.doors) {
      walk_order::Door w;
      w.at = doors[d].at;
      w.building = doors[d].building.empty() ? "#" + std::to_string(d) : doors[d].building;
      wd.push_back(std::move(w));
    }
    walk_order::Options wo;
    wo.solver = opt.solver;
    walk_order::Route route = walk_order::plan(wd, wo);
    std::vector<int> ordered;
    ordered.reserve(t.doors.size());
    for (int q : route.order) ordered.push_back(t.doors[q]);
    t.doors = std::move(ordered);
    t.route_m = route.length_m;
    t.route_m_per_door = t.doors.empty() ? 0 : route.length_m / static_cast<double>(t.doors.size());
    t.minutes = walk_order::walk_minutes(route.length_m, t.doors.size(), opt.pace);
  }
  for (auto& t : res.turfs) {
    double measured = !res.by_minutes ? t.size : opt.route_stats ? t.minutes : t.size;
    t.off_target = std::fabs(measured - res.target) > opt.tolerance * res.target;
  }
  return res;
}

// ---- Live counts -------------------------------------------------------------------------------

LiveIndex::LiveIndex(const std::vector<Door>& doors, const Options& opt) {
  if (doors.empty()) return;
  geo::BBox bb;
  for (auto& d : doors) bb.add(d.at);
  min_lon_ = bb.min_lon;
  min_lat_ = bb.min_lat;
  int64_t w = bb.max_lon - bb.min_lon + 1, h = bb.max_lat - bb.min_lat + 1;
  // About eight doors per cell, cells roughly square in degrees.
  double cells = std::max(1.0, static_cast<double>(doors.size()) / 8.0);
  double side = std::sqrt(static_cast<double>(w) * static_cast<double>(h) / cells);
  cw_ = std::max<int64_t>(1, static_cast<int64_t>(side));
  ch_ = cw_;
  gx_ = static_cast<int>(std::min<int64_t>(4096, w / cw_ + 1));
  gy_ = static_cast<int>(std::min<int64_t>(4096, h / ch_ + 1));
  cw_ = w / gx_ + 1;
  ch_ = h / gy_ + 1;
  auto minutes = door_minutes(doors, opt);
  const size_t nc = static_cast<size_t>(gx_) * gy_;
  std::vector<int> cell(doors.size());
  start_.assign(nc + 1, 0);
  for (size_t i = 0; i < doors.size(); ++i) {
    int cx = static_cast<int>((doors[i].at.lon - min_lon_) / cw_), cy = static_cast<int>((doors[i].at.lat - min_lat_) / ch_);
    cell[i] = cy * gx_ + cx;
    ++start_[cell[i] + 1];
  }
  for (size_t c = 1; c <= nc; ++c) start_[c] += start_[c - 1];
  at_.resize(doors.size());
  people_.resize(doors.size());
  minutes_.resize(doors.size());
  cell_sum_.assign(nc, Counts{});
  std::vector<int> fill(start_.begin(), start_.end() - 1);
  for (size_t i = 0; i < doors.size(); ++i) {
    int p = fill[cell[i]]++;
    at_[p] = doors[i].at;
    people_[p] = doors[i].people;
    minutes_[p] = minutes[i];
    Counts& cs = cell_sum_[cell[i]];
    ++cs.doors;
    cs.people += doors[i].people;
    cs.minutes += minutes[i];
  }
}

LiveIndex::Counts LiveIndex::query(const geo::MultiPolygon& area) const {
  Counts out;
  if (gx_ == 0 || area.bbox.empty()) return out;
  auto cx_of = [&](int64_t lon) { return static_cast<int>(std::clamp<int64_t>((lon - min_lon_) / cw_ - (lon < min_lon_ ? 1 : 0), -1, gx_)); };
  auto cy_of = [&](int64_t lat) { return static_cast<int>(std::clamp<int64_t>((lat - min_lat_) / ch_ - (lat < min_lat_ ? 1 : 0), -1, gy_)); };
  int x0 = std::max(0, cx_of(area.bbox.min_lon)), x1 = std::min(gx_ - 1, cx_of(area.bbox.max_lon));
  int y0 = std::max(0, cy_of(area.bbox.min_lat)), y1 = std::min(gy_ - 1, cy_of(area.bbox.max_lat));
  if (x0 > x1 || y0 > y1) return out;
  const int wx = x1 - x0 + 1, wy = y1 - y0 + 1;
  // Cells an edge may touch (conservatively: the edge's x-range within each row band, widened
  // by a cell); in all other cells every point is on the same side of the boundary.
  std::vector<char> edge(static_cast<size_t>(wx) * wy, 0);
  for (auto& poly : area.polygons)
    for (auto& ring : poly.rings) {
      size_t n = ring.size();
      for (size_t i = 0, j = n - 1; i < n; j = i++) {
        geo::Fix a = ring[j], b = ring[i];
        if (a.lat > b.lat) std::swap(a, b);
        int ra = std::max(y0, cy_of(a.lat)), rb = std::min(y1, cy_of(b.lat));
        for (int row = ra; row <= rb; ++row) {
          int64_t band0 = min_lat_ + static_cast<int64_t>(row) * ch_, band1 = band0 + ch_;
          int64_t ya = std::max(a.lat, band0), yb = std::min(b.lat, band1);
          double xa, xb;
          if (b.lat == a.lat) {
            xa = static_cast<double>(a.lon), xb = static_cast<double>(b.lon);
          } else {
            double t0 = static_cast<double>(ya - a.lat) / static_cast<double>(b.lat - a.lat);
            double t1 = static_cast<double>(yb - a.lat) / static_cast<double>(b.lat - a.lat);
            xa = static_cast<double>(a.lon) + t0 * static_cast<double>(b.lon - a.lon);
            xb = static_cast<double>(a.lon) + t1 * static_cast<double>(b.lon - a.lon);
          }
          int c0 = cx_of(static_cast<int64_t>(std::floor(std::min(xa, xb)))) - 1;
          int c1 = cx_of(static_cast<int64_t>(std::ceil(std::max(xa, xb)))) + 1;
          c0 = std::max(c0, x0), c1 = std::min(c1, x1);
          for (int col = c0; col <= c1; ++col) edge[static_cast<size_t>(row - y0) * wx + (col - x0)] = 1;
        }
      }
    }
  for (int row = y0; row <= y1; ++row)
    for (int col = x0; col <= x1; ++col) {
      size_t c = static_cast<size_t>(row) * gx_ + col;
      int s = start_[c], e = start_[c + 1];
      if (s == e) continue;
      if (!edge[static_cast<size_t>(row - y0) * wx + (col - x0)]) {
        if (geo::contains(area, at_[s])) {
          out.doors += cell_sum_[c].doors;
          out.people += cell_sum_[c].people;
          out.minutes += cell_sum_[c].minutes;
        }
        continue;
      }
      for (int p = s; p < e; ++p)
        if (geo::contains(area, at_[p])) {
          ++out.doors;
          out.people += people_[p];
          out.minutes += minutes_[p];
        }
    }
  return out;
}

}  // namespace doorstep::turf_cut
