// `doorstep cut --doors FILE (--target-doors N | --target-minutes M)`: the automatic turf cut from
// the command line, printed as one JSON object (--json) or a table. Leaves the cut to
// shared/turf_cut.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "server/commands.h"
#include "server/options.h"
#include "shared/route/doors_csv.h"
#include "shared/base/json.h"
#include "shared/route/turf_cut.h"

namespace doorstep::cli {

namespace {

// Rounds to a decimal step so the JSON shows 12.34, not 12.340000000000001.
double round_to(double v, double unit) {
  double inv = std::round(1 / unit);
  return std::round(v * inv) / inv;
}

bool parse_double(const std::string& s, double& out) {
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (s.empty() || !end || *end || !std::isfinite(v)) return false;
  out = v;
  return true;
}

int fail(const std::string& msg) {
  std::fprintf(stderr, "doorstep cut: %s\n", msg.c_str());
  return 2;
}

}  // namespace

int cmd_cut(int argc, char** argv) {
  Options o(argc, argv,
            {"doors", "target-doors", "target-minutes", "minutes-per-door", "walk-speed", "tolerance",
             "exclude-attempted-days", "today"},
            {"json", "help", "exclude-active", "include-do-not-contact", "no-route"});
  if (!o.ok() || o.flag("help") || !o.get("doors") || (!o.get("target-doors") == !o.get("target-minutes")) ||
      !o.positional().empty()) {
    std::fprintf(stderr,
                 "%s%susage: doorstep cut --doors FILE.csv (--target-doors N | --target-minutes M) [--json]\n"
                 "  [--minutes-per-door 2] [--walk-speed 72 (m/min, 1.2 m/s)] [--tolerance 0.15]\n"
                 "  [--exclude-active] [--exclude-attempted-days N --today YYYY-MM-DD]\n"
                 "  [--include-do-not-contact] [--no-route (skip per-turf walk orders)]\n",
                 o.error().c_str(), o.ok() ? "" : "\n");
    return o.flag("help") && o.ok() ? 0 : 2;
  }
  turf::Options opt;
  if (auto s = o.get("target-doors")) {
    double v;
    if (!parse_double(*s, v) || v < 1 || v != std::floor(v) || v > 1e9) return fail("--target-doors needs a whole number >= 1");
    opt.target_doors = static_cast<int>(v);
  }
  if (auto s = o.get("target-minutes")) {
    if (!parse_double(*s, opt.target_minutes) || !(opt.target_minutes > 0)) return fail("--target-minutes needs minutes > 0");
  }
  if (auto s = o.get("minutes-per-door"))
    if (!parse_double(*s, opt.pace.minutes_per_door) || opt.pace.minutes_per_door < 0) return fail("--minutes-per-door needs minutes >= 0");
  if (auto s = o.get("walk-speed")) {
    double per_min;
    if (!parse_double(*s, per_min) || !(per_min > 0)) return fail("--walk-speed needs metres per minute > 0");
    opt.pace.walk_m_per_s = per_min / 60.0;
  }
  if (auto s = o.get("tolerance"))
    if (!parse_double(*s, opt.tolerance) || opt.tolerance < 0 || opt.tolerance >= 1) return fail("--tolerance needs a fraction in [0, 1)");
  if (auto s = o.get("exclude-attempted-days")) {
    double v;
    if (!parse_double(*s, v) || v < 1 || v != std::floor(v)) return fail("--exclude-attempted-days needs a whole number >= 1");
    opt.exclude_attempted_within_days = static_cast<int>(v);
    auto today = o.get("today");
    if (!today || !doors_csv::parse_day(*today, opt.today)) return fail("--exclude-attempted-days needs --today YYYY-MM-DD");
  }
  opt.exclude_in_active_turf = o.flag("exclude-active");
  opt.exclude_do_not_contact = !o.flag("include-do-not-contact");
  opt.route_stats = !o.flag("no-route");

  auto table = doors_csv::load(*o.get("doors"));
  if (!table) return fail(table.error().message);
  auto doors = doors_csv::turf_doors(*table);
  auto t0 = std::chrono::steady_clock::now();
  auto res = turf::cut(doors, opt);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!res) return fail(res.error().message);

  double min_size = 0, max_size = 0, sum_compact = 0, sum_route = 0;
  size_t routed_doors = 0;
  for (size_t i = 0; i < res->turfs.size(); ++i) {
    const auto& t = res->turfs[i];
    if (i == 0 || t.size < min_size) min_size = t.size;
    if (i == 0 || t.size > max_size) max_size = t.size;
    sum_compact += t.compactness;
    sum_route += t.route_m;
    routed_doors += t.doors.size();
  }
  const size_t nt = res->turfs.size();
  if (o.flag("json")) {
    json::Value v = json::Value::object();
    v.set("n", static_cast<int64_t>(doors.size()));
    v.set("target", res->target);
    v.set("by", res->by_minutes ? "minutes" : "doors");
    v.set("ms", round_to(ms, 0.01));
    json::Array turfs;
    for (size_t i = 0; i < nt; ++i) {
      const auto& t = res->turfs[i];
      json::Value tv = json::Value::object();
      tv.set("id", static_cast<int64_t>(i + 1));
      json::Array rows;
      for (int d : t.doors) rows.push_back(static_cast<int64_t>(table->rows[d].row));
      tv.set("doors", std::move(rows));
      tv.set("size", res->by_minutes ? json::Value(round_to(t.size, 0.1)) : json::Value(static_cast<int64_t>(std::llround(t.size))));
      tv.set("people", t.people);
      tv.set("polygon", geo::to_geojson(t.polygon));
      tv.set("area_m2", round_to(t.area_m2, 0.1));
      tv.set("perimeter_m", round_to(t.perimeter_m, 0.1));
      tv.set("compactness", round_to(t.compactness, 0.0001));
      if (opt.route_stats) {
        tv.set("route_m", round_to(t.route_m, 0.1));
        tv.set("route_m_per_door", round_to(t.route_m_per_door, 0.01));
        tv.set("minutes", round_to(t.minutes, 0.1));
      }
      tv.set("remainder", t.remainder);
      tv.set("oversized_building", t.oversized_building);
      tv.set("off_target", t.off_target);
      turfs.push_back(std::move(tv));
    }
    v.set("turfs", std::move(turfs));
    json::Array excluded, skipped;
    for (int d : res->excluded) excluded.push_back(static_cast<int64_t>(table->rows[d].row));
    for (auto row : table->skipped) skipped.push_back(static_cast<int64_t>(row));
    v.set("excluded", std::move(excluded));
    v.set("skipped", std::move(skipped));
    json::Value sum = json::Value::object();
    sum.set("turfs", static_cast<int64_t>(nt));
    sum.set("min_size", round_to(min_size, 0.1));
    sum.set("max_size", round_to(max_size, 0.1));
    sum.set("mean_compactness", nt ? round_to(sum_compact / nt, 0.0001) : 0.0);
    if (opt.route_stats) sum.set("route_m_per_door", routed_doors ? round_to(sum_route / routed_doors, 0.01) : 0.0);
    v.set("summary", std::move(sum));
    std::printf("%s\n", json::dump(v).c_str());
  } else {
    std::printf("%zu doors -> %zu turfs (target %g %s) in %.1f ms; sizes %.1f..%.1f, mean compactness %.3f",
                doors.size(), nt, res->target, res->by_minutes ? "minutes" : "doors", ms, min_size, max_size,
                nt ? sum_compact / nt : 0.0);
    if (opt.route_stats) std::printf(", %.1f m walking per door", routed_doors ? sum_route / routed_doors : 0.0);
    std::printf("\n");
  }
  return 0;
}

}  // namespace doorstep::cli
