// TSPLIB95 readers: EUC_2D (and CEIL_2D, ATT) node-coordinate instances and .opt.tour files, plus
// TSPLIB's own distance rules, so our tour lengths compare with published optima. Leaves out
// explicit weight matrices and GEO instances (unsupported, reported as such).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/base/result.h"

namespace doorstep::tsplib {

enum class Metric { euc_2d, ceil_2d, att };

struct Instance {
  std::string name;
  Metric metric = Metric::euc_2d;
  std::vector<double> x, y;  // node i (0-based) is TSPLIB node i+1
  size_t size() const { return x.size(); }
  // TSPLIB distance: EUC_2D is nint(euclid), CEIL_2D ceil(euclid), ATT the pseudo-euclidean rule.
  int64_t dist(int a, int b) const;
};

Result<Instance> parse_tsp(std::string_view text);
// Node ids of a TOUR_SECTION, converted to 0-based; checks they form a permutation of 0..dim-1.
Result<std::vector<int>> parse_tour(std::string_view text);
// Closed tour length under the instance's metric.
int64_t tour_length(const Instance& inst, const std::vector<int>& tour);

Result<std::string> read_file(const std::string& path);

}  // namespace doorstep::tsplib
