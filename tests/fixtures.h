// Where the tests' fixtures live (tests/data; tests/data/README.md gives each file's source and
// attribution) and one check: a missing or unreadable fixture fails the calling test with the
// file's name instead of crashing. Call fixtures::path inside a test case, never at namespace scope.
#pragma once
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>

namespace fixtures {

inline std::string path(const std::string& relative);
// The fixture's whole contents (checked as path() does).
inline std::string contents(const std::string& relative);

inline std::string path(const std::string& relative) {
  const std::string p = std::string(DOORSTEP_TEST_DATA) + "/" + relative;
  std::ifstream in(p, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "test fixture missing or unreadable: " << p << " (see tests/data/README.md)");
  return p;
}

inline std::string contents(const std::string& relative) {
  std::ifstream in(path(relative), std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace fixtures
