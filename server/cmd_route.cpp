// `doorstep route`: a walk order from the command line. --tsplib FILE.tsp solves a TSPLIB
// instance (quality checks against published optima); --doors FILE.csv orders a turf's doors and
// compares with the street-sort baseline. Leaves the ordering to shared/tour and shared/walk_order.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "server/commands.h"
#include "server/options.h"
#include "shared/route/doors_csv.h"
#include "shared/base/json.h"
#include "shared/route/tour.h"
#include "shared/route/tsplib.h"
#include "shared/route/walk_order.h"

namespace doorstep::cli {

namespace {

// Rounds to a decimal step so the JSON shows 12.34, not 12.340000000000001.
double round_to(double v, double unit) {
  double inv = std::round(1 / unit);
  return std::round(v * inv) / inv;
}

bool parse_int64(const std::string& s, int64_t& out) {
  char* end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (s.empty() || !end || *end) return false;
  out = v;
  return true;
}

bool parse_double(const std::string& s, double& out) {
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (s.empty() || !end || *end) return false;
  out = v;
  return true;
}

int fail(const std::string& msg) {
  std::fprintf(stderr, "doorstep route: %s\n", msg.c_str());
  return 2;
}

}  // namespace

int cmd_route(int argc, char** argv) {
  Options o(argc, argv, {"tsplib", "doors", "start", "crossing-penalty", "seed", "work-per-node"}, {"json", "help"});
  if (!o.ok() || o.flag("help") || (!o.get("tsplib") == !o.get("doors")) || !o.positional().empty()) {
    std::fprintf(stderr,
                 "%s%susage: doorstep route --tsplib FILE.tsp [--json]\n"
                 "       doorstep route --doors FILE.csv [--start LAT,LON] [--crossing-penalty METRES] [--json]\n"
                 "options: --seed N, --work-per-node N (solver budget in operations per point)\n",
                 o.error().c_str(), o.ok() ? "" : "\n");
    return o.flag("help") && o.ok() ? 0 : 2;
  }
  tour::Options so;
  if (auto s = o.get("seed")) {
    int64_t v;
    if (!parse_int64(*s, v)) return fail("--seed needs a whole number");
    so.seed = static_cast<uint64_t>(v);
  }
  if (auto s = o.get("work-per-node")) {
    int64_t v;
    if (!parse_int64(*s, v) || v < 0) return fail("--work-per-node needs a non-negative whole number");
    so.work_per_node = v;
  }
  const bool as_json = o.flag("json");

  if (auto path = o.get("tsplib")) {
    auto text = tsplib::read_file(*path);
    if (!text) return fail(text.error().message);
    auto inst = tsplib::parse_tsp(*text);
    if (!inst) return fail(*path + ": " + inst.error().message);
    tour::CostModel m;
    m.x = inst->x;
    m.y = inst->y;
    if (inst->metric != tsplib::Metric::euc_2d) return fail(*path + ": only EUC_2D instances are solved");
    auto t0 = std::chrono::steady_clock::now();
    tour::Stats st;
    auto t = tour::solve(m, so, &st);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    int64_t len = tsplib::tour_length(*inst, t);
    if (as_json) {
      json::Value v = json::Value::object();
      v.set("name", inst->name);
      v.set("n", static_cast<int64_t>(inst->size()));
      v.set("length", len);
      v.set("ms", round_to(ms, 0.01));
      json::Array tour;
      for (int c : t) tour.push_back(c + 1);
      v.set("tour", std::move(tour));
      v.set("work", st.work);
      v.set("kicks", st.kicks);
      v.set("start_length", st.start_length);
      v.set("checksum", std::to_string(tour::order_checksum(t)));
      std::printf("%s\n", json::dump(v).c_str());
    } else {
      std::printf("%s: n=%zu length=%lld in %.1f ms (greedy %lld, first local optimum %lld, %lld kicks)\n",
                  inst->name.c_str(), inst->size(), static_cast<long long>(len), ms,
                  static_cast<long long>(st.start_length), static_cast<long long>(st.local_length),
                  static_cast<long long>(st.kicks));
    }
    return 0;
  }

  auto table = doors_csv::load(*o.get("doors"));
  if (!table) return fail(table.error().message);
  auto doors = doors_csv::walk_doors(*table);
  walk::Options wo;
  wo.solver = so;
  if (auto s = o.get("crossing-penalty")) {
    if (!parse_double(*s, wo.crossing_penalty_m) || wo.crossing_penalty_m < 0)
      return fail("--crossing-penalty needs metres >= 0");
  }
  if (auto s = o.get("start")) {
    auto comma = s->find(',');
    geo::Fix f;
    if (comma == std::string::npos || !geo::parse_fix(s->substr(0, comma), f.lat) || !geo::parse_fix(s->substr(comma + 1), f.lon) ||
        f.lat < -900000000 || f.lat > 900000000 || f.lon < -1800000000 || f.lon > 1800000000)
      return fail("--start needs LAT,LON in degrees");
    wo.start = f;
  }
  auto t0 = std::chrono::steady_clock::now();
  walk::Route r = walk::plan(doors, wo);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  walk::Route base = walk::street_sort(doors, wo);
  if (as_json) {
    json::Value v = json::Value::object();
    v.set("n", static_cast<int64_t>(doors.size()));
    v.set("length", static_cast<int64_t>(std::llround(r.length_m)));
    v.set("length_m", round_to(r.length_m, 0.1));
    v.set("ms", round_to(ms, 0.01));
    json::Array tour;
    for (int d : r.order) tour.push_back(static_cast<int64_t>(table->rows[d].row));
    v.set("tour", std::move(tour));
    json::Array line;
    for (auto& p : r.polyline) line.push_back(json::Array{json::Value(geo::from_fix(p.lon)), json::Value(geo::from_fix(p.lat))});
    v.set("polyline", std::move(line));
    v.set("crossings", r.crossings);
    v.set("street_sort_length_m", round_to(base.length_m, 0.1));
    v.set("street_sort_crossings", base.crossings);
    json::Array skipped;
    for (auto row : table->skipped) skipped.push_back(static_cast<int64_t>(row));
    v.set("skipped", std::move(skipped));
    v.set("checksum", std::to_string(tour::order_checksum(r.order)));
    std::printf("%s\n", json::dump(v).c_str());
  } else {
    std::printf("%zu doors: %.0f m walking (%.1f m/door), %d street crossings, ordered in %.1f ms\n", doors.size(),
                r.length_m, doors.empty() ? 0.0 : r.length_m / doors.size(), r.crossings, ms);
    std::printf("street sort: %.0f m (%.1f m/door), %d crossings\n", base.length_m,
                doors.empty() ? 0.0 : base.length_m / doors.size(), base.crossings);
  }
  return 0;
}

}  // namespace doorstep::cli
