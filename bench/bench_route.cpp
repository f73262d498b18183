// Benchmark for walk order and turf cutting, printed as tables:
//  1. every TSPLIB instance in tests/data/tsplib: optimum, our length, gap, time;
//  2. the Venice doors cut into 40-door turfs: turf count, size spread, compactness, cut time, and
//     walking metres per door with our order against the street-sort baseline, turf by turf;
//  3. 100,000 doors (the Venice points tiled 3 x 3, a building per address) cut into 40-door
//     turfs, with and without per-turf walk orders;
//  4. live counts for a polygon being drawn over those 100,000 doors.
// Run: build/native/bench_route [--quick]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "shared/route/doors_csv.h"
#include "shared/route/tour.h"
#include "shared/route/tsplib.h"
#include "shared/route/turf_cut.h"
#include "shared/route/walk_order.h"

using namespace doorstep;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

const std::string kData = DOORSTEP_TEST_DATA;

void tsplib_table() {
  std::printf("\n== TSPLIB (EUC_2D), default solver budget ==\n");
  std::printf("%-10s %6s %10s %10s %7s %9s %8s\n", "instance", "n", "optimum", "ours", "gap%", "ms", "kicks");
  auto csv = tsplib::read_file(kData + "/tsplib/optimal_values.csv");
  if (!csv) {
    std::printf("missing %s\n", csv.error().message.c_str());
    return;
  }
  std::istringstream in(*csv);
  std::string line;
  std::getline(in, line);
  double sum = 0, worst = 0, worst_ms = 0;
  int count = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, ',')) f.push_back(cell);
    if (f.size() < 4 || f[2] != "EUC_2D") continue;
    auto inst = tsplib::parse_tsp(tsplib::read_file(kData + "/tsplib/" + f[0] + ".tsp").value());
    if (!inst) continue;
    tour::CostModel m;
    m.x = inst->x;
    m.y = inst->y;
    // Best of three runs for the time (the machine is shared); the tour is the same each time.
    double best_ms = 1e18;
    tour::Stats st;
    std::vector<int> t;
    for (int rep = 0; rep < 3; ++rep) {
      auto t0 = Clock::now();
      t = tour::solve(m, {}, &st);
      best_ms = std::min(best_ms, ms_since(t0));
    }
    int64_t len = tsplib::tour_length(*inst, t), opt = std::stoll(f[3]);
    double gap = 100.0 * static_cast<double>(len - opt) / static_cast<double>(opt);
    std::printf("%-10s %6zu %10lld %10lld %6.2f%% %9.1f %8lld\n", f[0].c_str(), inst->size(), static_cast<long long>(opt),
                static_cast<long long>(len), gap, best_ms, static_cast<long long>(st.kicks));
    sum += gap;
    worst = std::max(worst, gap);
    worst_ms = std::max(worst_ms, best_ms);
    ++count;
  }
  std::printf("average gap %.2f%%, worst %.2f%%, slowest %.1f ms\n", sum / count, worst, worst_ms);
}

struct Spread {
  double min = 0, max = 0, mean = 0, sd = 0;
};
Spread spread(const std::vector<double>& v) {
  Spread s;
  if (v.empty()) return s;
  s.min = *std::min_element(v.begin(), v.end());
  s.max = *std::max_element(v.begin(), v.end());
  for (double x : v) s.mean += x;
  s.mean /= v.size();
  for (double x : v) s.sd += (x - s.mean) * (x - s.mean);
  s.sd = std::sqrt(s.sd / v.size());
  return s;
}

void venice_table(const doors_csv::Table& table) {
  std::printf("\n== Venice: %zu doors cut into 40-door turfs ==\n", table.rows.size());
  auto tdoors = doors_csv::turf_doors(table);
  auto wdoors = doors_csv::walk_doors(table);
  turf_cut::Options o;
  o.target_doors = 40;
  auto t0 = Clock::now();
  auto cut = turf_cut::cut(tdoors, o);
  double ms = ms_since(t0);
  if (!cut) {
    std::printf("cut failed: %s\n", cut.error().message.c_str());
    return;
  }
  std::vector<double> sizes, compact;
  int remainders = 0, oversized = 0;
  for (auto& t : cut->turfs) {
    sizes.push_back(t.size);
    compact.push_back(t.compactness);
    remainders += t.remainder;
    oversized += t.oversized_building;
  }
  auto ss = spread(sizes), cs = spread(compact);
  std::printf("turfs %zu (remainder %d, oversized building %d), cut with walk orders in %.1f ms\n", cut->turfs.size(),
              remainders, oversized, ms);
  std::printf("doors per turf: min %.0f, max %.0f, mean %.1f, sd %.2f (target 40 +- 15%%: 34..46)\n", ss.min, ss.max,
              ss.mean, ss.sd);
  std::printf("compactness 4*pi*A/P^2: min %.3f, mean %.3f, max %.3f\n", cs.min, cs.mean, cs.max);

  std::printf("\nwalking distance per turf (30-60 doors), our order vs street sort (street, odd/even, number):\n");
  std::printf("%5s %6s %10s %10s %8s\n", "turf", "doors", "ours m/d", "sort m/d", "saved");
  double ours = 0, base = 0;
  size_t n = 0, shown = 0, wins = 0, turfs = 0;
  for (size_t i = 0; i < cut->turfs.size(); ++i) {
    const auto& t = cut->turfs[i];
    if (t.doors.size() < 30 || t.doors.size() > 60) continue;
    std::vector<walk_order::Door> d;
    for (int id : t.doors) d.push_back(wdoors[id]);
    auto r = walk_order::plan(d);
    auto b = walk_order::street_sort(d);
    ours += r.length_m;
    base += b.length_m;
    n += d.size();
    wins += r.length_m <= b.length_m;
    ++turfs;
    if (shown < 12 || i + 1 == cut->turfs.size()) {
      std::printf("%5zu %6zu %10.1f %10.1f %7.0f%%\n", i + 1, d.size(), r.length_m / d.size(), b.length_m / d.size(),
                  100.0 * (1 - r.length_m / b.length_m));
      ++shown;
    } else if (shown == 12) {
      std::printf("  ...\n");
      ++shown;
    }
  }
  std::printf("all %zu turfs: ours %.1f m/door, street sort %.1f m/door (%.0f%% less walking; ours shorter in %zu of %zu)\n",
              turfs, ours / n, base / n, 100.0 * (1 - ours / base), wins, turfs);
}

std::vector<turf_cut::Door> tiled(const doors_csv::Table& table, int reps) {
  std::vector<turf_cut::Door> out;
  geo::BBox bb;
  for (auto& r : table.rows) bb.add(r.at);
  int64_t w = bb.max_lon - bb.min_lon + 100, h = bb.max_lat - bb.min_lat + 100;
  for (int a = 0; a < reps; ++a)
    for (int b = 0; b < reps; ++b)
      for (auto& r : table.rows) {
        turf_cut::Door d;
        d.at = geo::Fix{r.at.lon + a * w, r.at.lat + b * h};
        d.building = r.building.empty() ? "" : std::to_string(a) + "/" + std::to_string(b) + "/" + r.building;
        out.push_back(std::move(d));
      }
  return out;
}

void scale_table(const doors_csv::Table& table, bool quick) {
  auto doors = tiled(table, 3);
  doors.resize(std::min<size_t>(doors.size(), 100000));
  std::printf("\n== Scale: %zu doors (Venice tiled 3 x 3) into 40-door turfs ==\n", doors.size());
  for (bool routes : {false, true}) {
    if (quick && routes) continue;
    turf_cut::Options o;
    o.target_doors = 40;
    o.route_stats = routes;
    double best = 1e18;
    size_t turfs = 0;
    double mpd = 0;
    for (int rep = 0; rep < (routes ? 1 : 3); ++rep) {
      auto t0 = Clock::now();
      auto cut = turf_cut::cut(doors, o);
      best = std::min(best, ms_since(t0));
      turfs = cut->turfs.size();
      if (routes) {
        double m = 0;
        size_t n = 0;
        for (auto& t : cut->turfs) m += t.route_m, n += t.doors.size();
        mpd = m / n;
      }
    }
    std::printf("cut %s: %zu turfs in %.0f ms%s\n", routes ? "with a walk order per turf" : "(turfs and polygons only)",
                turfs, best, routes ? "" : " (best of 3)");
    if (routes) std::printf("  route %.1f m/door\n", mpd);
  }
  if (!quick) {
    // By walking time (issue 13): 60-minute turfs in the default pace, each with its walk order,
    // and how many the walk order put more than 15% off the target.
    turf_cut::Options o;
    o.target_minutes = 60;
    auto t0 = Clock::now();
    auto cut = turf_cut::cut(doors, o);
    double ms = ms_since(t0);
    int off = 0;
    double minutes = 0;
    for (auto& t : cut->turfs) off += t.off_target, minutes += t.minutes;
    std::printf("cut by 60 minutes with a walk order per turf: %zu turfs in %.0f ms; mean %.1f min, %d off the target\n",
                cut->turfs.size(), ms, cut->turfs.empty() ? 0.0 : minutes / cut->turfs.size(), off);
  }

  std::printf("\n== Live counts over %zu doors ==\n", doors.size());
  turf_cut::Options o;
  auto t0 = Clock::now();
  turf_cut::LiveIndex idx(doors, o);
  std::printf("index built once in %.1f ms (%zu cells)\n", ms_since(t0), idx.cells());
  geo::BBox bb;
  for (auto& d : doors) bb.add(d.at);
  tour::Rng rng(17);
  std::printf("%10s %9s %9s %10s %10s\n", "radius m", "vertices", "doors", "live ms", "exact ms");
  for (int radius_m : {100, 400, 1500, 4000}) {
    for (int verts : {12, 60}) {
      double live_ms = 0, exact_ms = 0;
      int64_t doors_in = 0;
      const int reps = 20;
      for (int q = 0; q < reps; ++q) {
        int64_t cx = bb.min_lon + rng.below(static_cast<uint32_t>(bb.max_lon - bb.min_lon));
        int64_t cy = bb.min_lat + rng.below(static_cast<uint32_t>(bb.max_lat - bb.min_lat));
        geo::Ring ring;
        for (int v = 0; v < verts; ++v) {
          double ang = 6.283185307179586 * v / verts;
          double rr = radius_m * (0.6 + 0.4 * (rng.below(1000) / 1000.0));
          ring.push_back(geo::Fix{cx + static_cast<int64_t>(rr * geo::det_cos(ang) / 0.00922),
                                  cy + static_cast<int64_t>(rr * geo::det_cos(ang - 1.5707963267948966) / 0.01112)});
        }
        geo::MultiPolygon mp;
        mp.polygons.push_back(geo::Polygon{{ring}});
        mp.finish();
        auto a = Clock::now();
        auto c = idx.query(mp);
        live_ms += ms_since(a);
        doors_in += c.doors;
        if (q < 3) {
          auto b = Clock::now();
          auto e = turf_cut::doors_in(doors, mp);
          exact_ms += ms_since(b);
          if (static_cast<int64_t>(e.size()) != c.doors) std::printf("MISMATCH %zu vs %lld\n", e.size(), static_cast<long long>(c.doors));
        }
      }
      std::printf("%10d %9d %9lld %10.3f %10.2f\n", radius_m, verts, static_cast<long long>(doors_in / reps), live_ms / reps,
                  exact_ms / 3);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = argc > 1 && !std::strcmp(argv[1], "--quick");
  tsplib_table();
  auto table = doors_csv::load(kData + "/la/venice_addresses.csv");
  if (!table) {
    std::printf("cannot read Venice data: %s\n", table.error().message.c_str());
    return 1;
  }
  venice_table(*table);
  scale_table(*table, quick);
  return 0;
}
