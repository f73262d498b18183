// Tests for shared/tsplib and shared/tour: TSPLIB reading and distance rule (the published optimal
// tours have the published lengths), candidate lists, tours on degenerate inputs, quality on every
// TSPLIB instance handed to the project (gap to the optimum; time is the benchmark's business),
// and checksums of fixed inputs that the native and the wasm build must both reproduce.
#include <doctest/doctest.h>

#include "tests/fixtures.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "shared/route/tour.h"
#include "shared/route/tsplib.h"

using namespace doorstep;

namespace {

std::string tsp(const std::string& name) { return fixtures::path("tsplib/" + name); }

struct Known {
  std::string name;
  int64_t optimum;
};

std::vector<Known> known_optima() {
  std::vector<Known> out;
  auto text = tsplib::read_file(tsp("optimal_values.csv"));
  REQUIRE(text.ok());
  std::istringstream in(*text);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::stringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, ',')) f.push_back(cell);
    REQUIRE(f.size() >= 4);
    if (f[2] == "EUC_2D") out.push_back({f[0], std::stoll(f[3])});
  }
  return out;
}

tour::CostModel model_of(const tsplib::Instance& inst) {
  tour::CostModel m;
  m.x = inst.x;
  m.y = inst.y;
  return m;
}

bool is_permutation_of_n(const std::vector<int>& t, size_t n) {
  if (t.size() != n) return false;
  std::vector<char> seen(n, 0);
  for (int v : t) {
    if (v < 0 || static_cast<size_t>(v) >= n || seen[v]) return false;
    seen[v] = 1;
  }
  return true;
}

// Points from splitmix64, for inputs that need no file.
tour::CostModel random_model(int n, uint64_t seed, int range) {
  tour::Rng r(seed);
  tour::CostModel m;
  for (int i = 0; i < n; ++i) {
    m.x.push_back(static_cast<double>(r.below(range)));
    m.y.push_back(static_cast<double>(r.below(range)));
  }
  return m;
}

}  // namespace

TEST_CASE("tsplib reads instances and rejects malformed ones") {
  auto inst = tsplib::parse_tsp("NAME: t\nTYPE: TSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE : EUC_2D\nNODE_COORD_SECTION\n1 0 0\n2 3 4\n3 0 4.4\nEOF\n");
  REQUIRE(inst.ok());
  CHECK(inst->size() == 3);
  CHECK(inst->dist(0, 1) == 5);
  CHECK(inst->dist(0, 2) == 4);  // nint(4.4)
  CHECK(inst->dist(1, 2) == 3);
  CHECK(tsplib::tour_length(*inst, {0, 1, 2}) == 12);
  struct Bad {
    const char* text;
    const char* says;
  };
  for (auto b : {Bad{"TYPE: TSP\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n", "DIMENSION"},
                 Bad{"DIMENSION: 2\nEDGE_WEIGHT_TYPE: GEO\nNODE_COORD_SECTION\n1 0 0\n2 1 1\n", "GEO"},
                 Bad{"DIMENSION: 2\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n", "node 2"},
                 Bad{"DIMENSION: 2\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n3 1 1\n", "out of range"},
                 Bad{"DIMENSION: 2\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 x\n2 1 1\n", "line 4"},
                 Bad{"DIMENSION: 2\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n1 0 0\n1 1 1\n", "twice"},
                 Bad{"DIMENSION: 2\nTYPE: ATSP\nEDGE_WEIGHT_TYPE: EUC_2D\n", "ATSP"},
                 Bad{"DIMENSION: 2\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_SECTION\n", "EXPLICIT"}}) {
    CAPTURE(b.text);
    auto r = tsplib::parse_tsp(b.text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find(b.says) != std::string::npos);
  }
  CHECK_FALSE(tsplib::parse_tour("TOUR_SECTION\n1\n2\n2\n-1\n").ok());
  CHECK_FALSE(tsplib::parse_tour("DIMENSION: 3\nTOUR_SECTION\n1\n2\n-1\n").ok());
  CHECK(tsplib::parse_tour("DIMENSION: 3\nTOUR_SECTION\n1 3\n2\n-1\nEOF\n").value() == std::vector<int>{0, 2, 1});
}

TEST_CASE("tsplib optimal tours have the published lengths (the distance rule is TSPLIB's)") {
  for (auto& k : known_optima()) {
    CAPTURE(k.name);
    auto inst = tsplib::parse_tsp(tsplib::read_file(tsp(k.name + ".tsp")).value());
    REQUIRE(inst.ok());
    auto t = tsplib::parse_tour(tsplib::read_file(tsp(k.name + ".opt.tour")).value());
    REQUIRE(t.ok());
    CHECK(tsplib::tour_length(*inst, *t) == k.optimum);
  }
}

TEST_CASE("tour candidate lists equal brute force, ties by index") {
  for (uint64_t seed : {1u, 2u, 3u}) {
    auto m = random_model(700, seed, seed == 3 ? 30 : 100000);  // seed 3: many duplicate points
    const int k = 8;
    auto nb = tour::nearest_neighbours(m.x, m.y, k);
    for (int i = 0; i < 700; ++i) {
      std::vector<std::pair<double, int>> all;
      for (int j = 0; j < 700; ++j)
        if (j != i) {
          double dx = m.x[i] - m.x[j], dy = m.y[i] - m.y[j];
          all.push_back({dx * dx + dy * dy, j});
        }
      std::sort(all.begin(), all.end());
      for (int q = 0; q < k; ++q) REQUIRE(nb[static_cast<size_t>(i) * k + q] == all[q].second);
    }
  }
}

TEST_CASE("tour handles tiny and degenerate inputs") {
  for (int n = 0; n <= 12; ++n) {
    auto m = random_model(n, 7, 50);
    auto t = tour::solve(m);
    CAPTURE(n);
    CHECK(is_permutation_of_n(t, n));
    if (n > 0) CHECK(t[0] == 0);
  }
  tour::CostModel same;
  same.x.assign(50, 3.0);
  same.y.assign(50, 4.0);
  auto t = tour::solve(same);
  CHECK(is_permutation_of_n(t, 50));
  CHECK(tour::closed_length(same, t) == 0);
  tour::CostModel line;
  for (int i = 0; i < 100; ++i) line.x.push_back(i * 10.0), line.y.push_back(0);
  CHECK(tour::closed_length(line, tour::solve(line)) == 2 * 990);
}

TEST_CASE("tour quality on the TSPLIB instances: average gap <= 3%, worst <= 5%") {
  double sum = 0, worst = 0;
  int count = 0;
  for (auto& k : known_optima()) {
    auto inst = tsplib::parse_tsp(tsplib::read_file(tsp(k.name + ".tsp")).value());
    REQUIRE(inst.ok());
    tour::Stats st;
    auto t = tour::solve(model_of(*inst), {}, &st);
    REQUIRE(is_permutation_of_n(t, inst->size()));
    int64_t len = tsplib::tour_length(*inst, t);
    CHECK(len == st.length);
    double gap = 100.0 * static_cast<double>(len - k.optimum) / static_cast<double>(k.optimum);
    MESSAGE(k.name << ": n=" << inst->size() << " optimum " << k.optimum << " ours " << len << " gap " << gap << "%");
    CHECK(len >= k.optimum);
    CHECK(gap <= 5.0);
    sum += gap;
    worst = std::max(worst, gap);
    ++count;
  }
  REQUIRE(count >= 9);
  CHECK(sum / count <= 3.0);
  CHECK(worst <= 5.0);
}

TEST_CASE("tour is deterministic: fixed inputs give fixed checksums in every build") {
  // These constants were produced by the native build; the wasm build must give the same.
  auto inst = tsplib::parse_tsp(tsplib::read_file(tsp("berlin52.tsp")).value());
  REQUIRE(inst.ok());
  tour::Stats st;
  auto t = tour::solve(model_of(*inst), {}, &st);
  CHECK(st.length == 7542);
  auto again = tour::solve(model_of(*inst));
  CHECK(again == t);
  CHECK(tour::order_checksum(t) == 1765215683750639237ull);

  auto m = random_model(400, 42, 10000);
  m.scale = 10;
  m.street.resize(400);
  m.side.resize(400);
  for (int i = 0; i < 400; ++i) m.street[i] = i % 7 == 0 ? -1 : i % 5, m.side[i] = static_cast<int8_t>(i & 1);
  m.crossing_penalty = 500;
  tour::Options o;
  o.seed = 99;
  auto r = tour::solve(m, o, &st);
  CHECK(tour::order_checksum(r) == 10814039462342865021ull);
  CHECK(st.length == 1492666);
}
