// Where the tests' fixtures live (tests/data; tests/data/README.md gives each file's source and
// attribution) and one check: a missing or unreadable fixture fails the calling test with the
// file's name instead of crashing. Call fixtures::path inside a test case, never at namespace scope.
#pragma once
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
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

// A path in the temp folder that no other test process picks (ctest -j, the native and the wasm
// runs side by side): random, never std::rand(), whose unseeded sequence is the same in every process.
inline std::string temp_path(const std::string& prefix) {
  std::random_device rd;
  char suffix[24];
  std::snprintf(suffix, sizeof suffix, "%08x%08x", unsigned(rd()), unsigned(rd()));
  return (std::filesystem::temp_directory_path() / (prefix + "_" + suffix)).string();
}

}  // namespace fixtures
