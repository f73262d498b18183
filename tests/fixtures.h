// Where the tests' fixtures live (tests/data; tests/data/README.md gives each file's source and
// attribution) and one check: a missing or unreadable fixture fails the calling test with the
// file's name instead of crashing. Call fixtures::path inside a test case, never at namespace scope.
#pragma once
#include <doctest/doctest.h>

#include <fstream>
#include <string>

namespace fixtures {

inline std::string path(const std::string& relative) {
  const std::string p = std::string(DOORSTEP_TEST_DATA) + "/" + relative;
  std::ifstream in(p, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "test fixture missing or unreadable: " << p << " (see tests/data/README.md)");
  return p;
}

}  // namespace fixtures
