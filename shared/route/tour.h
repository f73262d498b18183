// Travelling-salesman tours on points in the plane: greedy-edge start, 2-opt + Or-opt local search
// with neighbour lists and don't-look bits, then iterated local search with local segment-swap
// (double-bridge) kicks. Deterministic: integer costs, a fixed-seed splitmix64 generator, ties
// broken by index, and a work budget counted in operations, never in wall time. So the same input
// gives the same tour on every machine and in the native and wasm builds.
// Leaves out asymmetric costs and time windows.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace doorstep::tour {

// splitmix64: tiny, fast and identical everywhere (std:: distributions are not).
struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed) {}
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(next() % n); }  // n > 0
};

// Symmetric integer costs between points: nint(euclid * scale), plus `crossing_penalty` between
// two points of the same street group on opposite sides. scale 1 gives TSPLIB's EUC_2D.
struct CostModel {
  std::vector<double> x, y;
  double scale = 1.0;
  std::vector<int32_t> street;  // optional, per point: street group, -1 for none
  std::vector<int8_t> side;     // optional, per point: 0 or 1
  int64_t crossing_penalty = 0;

  size_t size() const { return x.size(); }
  int64_t cost(int a, int b) const {  // inline: the solver's inner loops live on it
    double dx = x[a] - x[b], dy = y[a] - y[b];
    double d = std::sqrt(dx * dx + dy * dy);
    if (scale != 1.0) d *= scale;
    int64_t c = static_cast<int64_t>(d + 0.5);
    if (crossing_penalty && !street.empty() && street[a] >= 0 && street[a] == street[b] && side[a] != side[b])
      c += crossing_penalty;
    return c;
  }
};

struct Options {
  uint64_t seed = 0x5EEDull;
  int neighbours = 10;           // candidate list length
  bool iterate = true;           // iterated local search after the first local optimum
  // Work budget in operations (a neighbour evaluation or one city moved in the tour array counts
  // one). Budget = clamp(work_per_node * n, min_work, max_work). The defaults keep a 1,000-city
  // instance near 80 ms natively on a 2-core machine.
  int64_t work_per_node = 7000;
  int64_t min_work = 200000;
  int64_t max_work = 10000000;
};

struct Stats {
  int64_t length = 0;         // closed tour cost
  int64_t start_length = 0;   // after the greedy construction
  int64_t local_length = 0;   // after the first local search
  int64_t work = 0;           // operations spent
  int64_t kicks = 0;
  int64_t improving_kicks = 0;
};

// Closed tour through all points, starting at point 0. Empty for no points.
std::vector<int> solve(const CostModel& m, const Options& opt = {}, Stats* stats = nullptr);

// Closed tour cost.
int64_t closed_length(const CostModel& m, const std::vector<int>& tour);
// Open path cost (no closing edge).
int64_t path_length(const CostModel& m, const std::vector<int>& path);

// K nearest neighbours of each point by euclidean distance, ties by index; row i holds up to k
// entries at [i*k, i*k+k) (fewer points than k+1: padded with -1). Grid bucketed, O(n k).
std::vector<int> nearest_neighbours(const std::vector<double>& x, const std::vector<double>& y, int k);

// 64-bit FNV-1a of an order, for cross-build determinism checks.
uint64_t order_checksum(const std::vector<int>& order);

}  // namespace doorstep::tour
