// Extracts the JSON examples of docs/api.md and docs/sync.md so tests can decode them with the
// real decoders: every ```json block must follow a marker line `<!-- example: KIND -->` naming
// what it is (package, push request, answer GET /api/v1/..., ...). Leaves out the decoding itself
// (tests/canvass/test_docs.cpp for the wire formats, tests/server/test_docs.cpp for routes).
#pragma once
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "shared/base/json.h"

namespace docs_examples {

struct Example {
  std::string where;  // "docs/api.md:57"
  std::string kind;   // from the marker; "" when the block has none
  std::string text;
};

inline std::vector<Example> read(const std::string& doc) {
  const std::string path = std::string(DOORSTEP_SOURCE_DIR) + "/" + doc;
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::vector<Example> out;
  std::string line, marker;
  int n = 0;
  bool inside = false;
  Example cur;
  while (std::getline(in, line)) {
    ++n;
    std::string t = line.substr(std::min(line.find_first_not_of(' '), line.size()));
    if (inside) {
      if (t.rfind("```", 0) == 0) {
        out.push_back(cur);
        inside = false;
      } else {
        cur.text += line + "\n";
      }
      continue;
    }
    if (t.rfind("```json", 0) == 0) {
      cur = Example{doc + ":" + std::to_string(n), marker, ""};
      inside = true;
      marker.clear();
      continue;
    }
    const std::string open = "<!-- example: ";
    if (t.rfind(open, 0) == 0 && t.size() > open.size() + 4) marker = t.substr(open.size(), t.size() - open.size() - 4);
    else if (!t.empty()) marker.clear();  // a marker names only the block right after it
  }
  REQUIRE_MESSAGE(!inside, doc << ": a ```json block is not closed");
  return out;
}

// The examples of both documents.
inline std::vector<Example> all() {
  std::vector<Example> v = read("docs/api.md");
  for (auto& e : read("docs/sync.md")) v.push_back(std::move(e));
  return v;
}

// Objects with their keys sorted, recursively: examples and encoders may order keys differently.
inline doorstep::json::Value canonical(const doorstep::json::Value& v) {
  using doorstep::json::Value;
  if (v.is_array()) {
    Value a = Value::array();
    for (const auto& x : v.as_array()) a.push(canonical(x));
    return a;
  }
  if (!v.is_object()) return v;
  auto items = v.as_object();
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  Value o = Value::object();
  for (const auto& [k, x] : items) o.set(k, canonical(x));
  return o;
}

}  // namespace docs_examples
