// TSPLIB95 readers (see tsplib.h). Keyword lines are "KEY : VALUE" with free spacing; sections
// end at EOF, -1 or the next keyword.
#include "shared/route/tsplib.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace doorstep::tsplib {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i)
    if (i == text.size() || text[i] == '\n') {
      out.push_back(trim(text.substr(start, i - start)));
      start = i + 1;
    }
  return out;
}

// Splits "KEY : VALUE" / "KEY: VALUE" / "KEY" into upper-case key and value.
void key_value(std::string_view line, std::string& key, std::string& value) {
  size_t colon = line.find(':');
  std::string_view k = trim(colon == std::string_view::npos ? line : line.substr(0, colon));
  key.clear();
  for (char c : k) key += (c >= 'a' && c <= 'z') ? char(c - 32) : c;
  value = colon == std::string_view::npos ? "" : std::string(trim(line.substr(colon + 1)));
}

bool is_keyword_line(std::string_view l) {
  return !l.empty() && ((l[0] >= 'A' && l[0] <= 'Z') || (l[0] >= 'a' && l[0] <= 'z'));
}

bool parse_number(std::string_view s, double& out) {
  std::string tmp(s);
  char* end = nullptr;
  out = std::strtod(tmp.c_str(), &end);
  return end && *end == '\0' && !tmp.empty() && std::isfinite(out);
}

std::vector<std::string_view> fields(std::string_view l) {
  std::vector<std::string_view> f;
  size_t i = 0;
  while (i < l.size()) {
    while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
    size_t s = i;
    while (i < l.size() && l[i] != ' ' && l[i] != '\t') ++i;
    if (i > s) f.push_back(l.substr(s, i - s));
  }
  return f;
}

}  // namespace

int64_t Instance::dist(int a, int b) const {
  double dx = x[a] - x[b], dy = y[a] - y[b];
  switch (metric) {
    case Metric::euc_2d: return static_cast<int64_t>(std::sqrt(dx * dx + dy * dy) + 0.5);
    case Metric::ceil_2d: return static_cast<int64_t>(std::ceil(std::sqrt(dx * dx + dy * dy)));
    case Metric::att: {
      double r = std::sqrt((dx * dx + dy * dy) / 10.0);
      int64_t t = static_cast<int64_t>(r + 0.5);
      return static_cast<double>(t) < r ? t + 1 : t;
    }
  }
  return 0;
}

Result<Instance> parse_tsp(std::string_view text) {
  Instance inst;
  long dim = -1;
  bool have_type = false, in_coords = false;
  std::vector<char> seen;
  auto lines = lines_of(text);
  std::string key, value;
  for (size_t ln = 0; ln < lines.size(); ++ln) {
    std::string_view l = lines[ln];
    if (l.empty()) continue;
    auto where = [&] { return "line " + std::to_string(ln + 1) + ": "; };
    if (in_coords && !is_keyword_line(l)) {
      auto f = fields(l);
      double id, xv, yv;
      if (f.size() < 3 || !parse_number(f[0], id) || !parse_number(f[1], xv) || !parse_number(f[2], yv))
        return make_error(Code::invalid_argument, where() + "expected 'id x y' in NODE_COORD_SECTION");
      long i = static_cast<long>(id);
      if (id != static_cast<double>(i) || i < 1 || i > dim)
        return make_error(Code::invalid_argument, where() + "node id out of range 1.." + std::to_string(dim));
      if (seen[i - 1]) return make_error(Code::invalid_argument, where() + "node " + std::to_string(i) + " given twice");
      seen[i - 1] = 1;
      inst.x[i - 1] = xv;
      inst.y[i - 1] = yv;
      continue;
    }
    in_coords = false;
    key_value(l, key, value);
    if (key == "EOF") break;
    if (key == "NAME") inst.name = value;
    else if (key == "TYPE") {
      if (value != "TSP") return make_error(Code::unsupported, where() + "TYPE " + value + " is not supported (only TSP)");
    } else if (key == "DIMENSION") {
      double d;
      if (!parse_number(value, d) || d < 1 || d > 10000000 || d != std::floor(d))
        return make_error(Code::invalid_argument, where() + "bad DIMENSION '" + value + "'");
      dim = static_cast<long>(d);
    } else if (key == "EDGE_WEIGHT_TYPE") {
      have_type = true;
      if (value == "EUC_2D") inst.metric = Metric::euc_2d;
      else if (value == "CEIL_2D") inst.metric = Metric::ceil_2d;
      else if (value == "ATT") inst.metric = Metric::att;
      else return make_error(Code::unsupported, where() + "EDGE_WEIGHT_TYPE " + value + " is not supported (EUC_2D, CEIL_2D, ATT)");
    } else if (key == "NODE_COORD_SECTION") {
      if (dim < 0) return make_error(Code::invalid_argument, where() + "NODE_COORD_SECTION before DIMENSION");
      in_coords = true;
      inst.x.assign(dim, 0);
      inst.y.assign(dim, 0);
      seen.assign(dim, 0);
    } else if (key == "NODE_COORD_TYPE" || key == "COMMENT" || key == "DISPLAY_DATA_TYPE") {
      // informational
    } else if (key.find("SECTION") != std::string::npos) {
      return make_error(Code::unsupported, where() + key + " is not supported");
    }
  }
  if (dim < 0) return make_error(Code::invalid_argument, "no DIMENSION");
  if (!have_type) return make_error(Code::invalid_argument, "no EDGE_WEIGHT_TYPE");
  if (seen.empty()) return make_error(Code::invalid_argument, "no NODE_COORD_SECTION");
  for (long i = 0; i < dim; ++i)
    if (!seen[i]) return make_error(Code::invalid_argument, "node " + std::to_string(i + 1) + " has no coordinates");
  return inst;
}

Result<std::vector<int>> parse_tour(std::string_view text) {
  auto lines = lines_of(text);
  long dim = -1;
  bool in_tour = false;
  std::vector<int> tour;
  std::string key, value;
  for (size_t ln = 0; ln < lines.size(); ++ln) {
    std::string_view l = lines[ln];
    if (l.empty()) continue;
    if (in_tour && !is_keyword_line(l)) {
      for (auto f : fields(l)) {
        double v;
        if (!parse_number(f, v)) return make_error(Code::invalid_argument, "line " + std::to_string(ln + 1) + ": bad node id");
        if (v == -1) { in_tour = false; break; }
        if (v < 1 || v != std::floor(v) || (dim > 0 && v > dim))
          return make_error(Code::invalid_argument, "line " + std::to_string(ln + 1) + ": node id out of range");
        tour.push_back(static_cast<int>(v) - 1);
      }
      continue;
    }
    in_tour = false;
    key_value(l, key, value);
    if (key == "EOF") break;
    if (key == "DIMENSION") dim = std::atol(value.c_str());
    else if (key == "TOUR_SECTION") in_tour = true;
  }
  if (tour.empty()) return make_error(Code::invalid_argument, "no TOUR_SECTION");
  if (dim > 0 && static_cast<long>(tour.size()) != dim)
    return make_error(Code::invalid_argument, "tour has " + std::to_string(tour.size()) + " nodes, DIMENSION says " + std::to_string(dim));
  std::vector<char> seen(tour.size(), 0);
  for (int v : tour) {
    if (v >= static_cast<int>(tour.size()) || seen[v]) return make_error(Code::invalid_argument, "tour is not a permutation");
    seen[v] = 1;
  }
  return tour;
}

int64_t tour_length(const Instance& inst, const std::vector<int>& tour) {
  int64_t len = 0;
  for (size_t i = 0; i < tour.size(); ++i) len += inst.dist(tour[i], tour[(i + 1) % tour.size()]);
  return len;
}

Result<std::string> read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return make_error(Code::not_found, "cannot open " + path);
  std::ostringstream ss;
  ss << f.rdbuf();
  if (f.bad()) return make_error(Code::io, "cannot read " + path);
  return ss.str();
}

}  // namespace doorstep::tsplib
