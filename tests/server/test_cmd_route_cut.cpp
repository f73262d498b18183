// Tests for `doorstep route` and `doorstep cut` as a user runs them: the JSON keys issue 4 names,
// TSPLIB lengths under TSPLIB's rule with the gap bound, CSV doors in and row numbers out, and a
// clear error with exit status 2 for bad input.
#include <doctest/doctest.h>

#include "tests/fixtures.h"
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <string>

#include "shared/base/json.h"
#include "tests/server/fixture.h"

using namespace doorstep;

namespace {

struct Run {
  int rc = -1;
  std::string out;
};

Run run_cli(const std::string& args) {
  Run r;
  FILE* p = popen((std::string(DOORSTEP_BINARY) + " " + args + " 2>/dev/null").c_str(), "r");
  char buf[4096];
  size_t n;
  while (p && (n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int rc = p ? pclose(p) : -1;
  r.rc = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return r;
}

std::string stderr_of(const std::string& args) {
  Run r;
  FILE* p = popen((std::string(DOORSTEP_BINARY) + " " + args + " 2>&1 >/dev/null").c_str(), "r");
  char buf[4096];
  size_t n;
  while (p && (n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  if (p) pclose(p);
  return r.out;
}

std::string data(const std::string& name) { return fixtures::path(name); }

}  // namespace

TEST_CASE("doorstep route --tsplib prints n, length, ms and a 1-based tour") {
  auto r = run_cli("route --tsplib " + data("tsplib/eil76.tsp") + " --json");
  REQUIRE(r.rc == 0);
  auto v = json::parse(r.out);
  REQUIRE(v.ok());
  CHECK(v->find("n")->as_int() == 76);
  int64_t len = v->find("length")->as_int();
  CHECK(len >= 538);
  CHECK(len <= 538 * 105 / 100);
  CHECK(v->find("ms")->is_number());
  const auto& tour = v->find("tour")->as_array();
  REQUIRE(tour.size() == 76);
  std::set<int64_t> ids;
  for (auto& t : tour) ids.insert(t.as_int());
  CHECK(ids.size() == 76);
  CHECK(*ids.begin() == 1);
  CHECK(*ids.rbegin() == 76);
  // Same input, same tour.
  auto again = run_cli("route --tsplib " + data("tsplib/eil76.tsp") + " --json");
  CHECK(json::parse(again.out)->find("tour")->as_array() == tour);
}

TEST_CASE("doorstep route --doors orders a CSV of doors and compares with street sort") {
  fixture::TempDir dir;
  std::string csv = dir.path + "/doors.csv";
  {
    std::ofstream f(csv);
    f << "lat,lon,housenumber,street,unit\n";
    for (int i = 0; i < 12; ++i) f << 34.0 + (i % 6) * 0.0002 << "," << -118.45 + (i / 6) * 0.0003 << "," << (i + 1) * 2 << ",Main St,\n";
    f << ",,99,Main St,\n";  // not geocoded: skipped and listed
  }
  auto r = run_cli("route --doors " + csv + " --start 34.0,-118.4501 --json");
  REQUIRE(r.rc == 0);
  auto v = json::parse(r.out);
  REQUIRE(v.ok());
  CHECK(v->find("n")->as_int() == 12);
  CHECK(v->find("tour")->size() == 12);
  CHECK(v->find("polyline")->size() == 13);
  CHECK(v->find("length_m")->as_double() > 0);
  CHECK(v->find("street_sort_length_m")->as_double() >= v->find("length_m")->as_double());
  CHECK(v->find("skipped")->size() == 1);
  CHECK(v->find("skipped")->as_array()[0].as_int() == 13);
}

TEST_CASE("doorstep cut prints turfs with door rows and polygons, and ms") {
  auto r = run_cli("cut --doors " + data("la/venice_addresses.csv") + " --target-doors 40 --json");
  REQUIRE(r.rc == 0);
  auto v = json::parse(r.out, json::ParseLimits{32, 64u << 20, 1u << 20});
  REQUIRE(v.ok());
  CHECK(v->find("ms")->is_number());
  const auto& turfs = v->find("turfs")->as_array();
  CHECK(turfs.size() >= 290);
  std::set<int64_t> rows;
  for (auto& t : turfs) {
    size_t n = t.find("doors")->size();
    CHECK(n >= 34);
    CHECK(n <= 46);
    for (auto& d : t.find("doors")->as_array()) rows.insert(d.as_int());
    CHECK(t.find("polygon")->find("type")->as_string() == "Polygon");
    CHECK(t.find("compactness")->as_double() > 0);
    CHECK(t.find("route_m_per_door")->as_double() > 0);
  }
  CHECK(rows.size() == 13296);
  auto m = run_cli("cut --doors " + data("la/venice_addresses.csv") + " --target-minutes 120 --no-route --json");
  REQUIRE(m.rc == 0);
  CHECK(json::parse(m.out, json::ParseLimits{32, 64u << 20, 1u << 20})->find("by")->as_string() == "minutes");
}

TEST_CASE("doorstep route and cut reject bad input with exit status 2 and a message") {
  fixture::TempDir dir;
  std::string bad_tsp = dir.path + "/bad.tsp", bad_csv = dir.path + "/bad.csv", no_cols = dir.path + "/nocols.csv";
  std::ofstream(bad_tsp) << "NAME: x\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 1 1\n";
  std::ofstream(bad_csv) << "lat,lon\n34.0,-118.4\nnorth,-118.4\n";
  std::ofstream(no_cols) << "x,y\n1,2\n";
  CHECK(run_cli("route --tsplib " + bad_tsp + " --json").rc == 2);
  CHECK(stderr_of("route --tsplib " + bad_tsp).find("node 3 has no coordinates") != std::string::npos);
  CHECK(run_cli("route --tsplib " + dir.path + "/missing.tsp").rc == 2);
  CHECK(run_cli("route --doors " + bad_csv).rc == 2);
  CHECK(stderr_of("route --doors " + bad_csv).find("row 2, column 1") != std::string::npos);
  CHECK(run_cli("cut --doors " + no_cols + " --target-doors 10").rc == 2);
  CHECK(stderr_of("cut --doors " + no_cols + " --target-doors 10").find("lat and lon") != std::string::npos);
  CHECK(run_cli("cut --doors " + bad_csv + " --target-doors 0").rc == 2);
  CHECK(run_cli("cut --doors " + bad_csv).rc == 2);  // no target
  CHECK(run_cli("cut --doors " + bad_csv + " --target-doors 10 --target-minutes 60").rc == 2);
  CHECK(run_cli("route").rc == 2);
  CHECK(run_cli("route --tsplib a --doors b").rc == 2);
  CHECK(run_cli("route --tsplib " + bad_tsp + " --bogus").rc == 2);
}
