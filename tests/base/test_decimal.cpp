// Tests for shared/base/decimal: the fast path gives strtod's double, bit for bit, on random
// coordinates, prices, exponents and edge cases (zero signs, 2^53, 10^22, leading zeros); numbers it
// does not take go to strtod; malformed text is refused. Leaves out the JSON grammar (test_json).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "shared/base/decimal.h"
#include "tests/base/printf_reference.h"

using namespace doorstep;

namespace {
uint64_t bits(double d) {
  uint64_t b;
  std::memcpy(&b, &d, sizeof b);
  return b;
}
// strtod's reading, and decimal::parse's, bit for bit.
void same_as_strtod(const std::string& s) {
  CAPTURE(s);
  double want = std::strtod(s.c_str(), nullptr);
  auto got = decimal::parse(s);
  REQUIRE(got.has_value());
  CHECK(bits(*got) == bits(want));
}
}  // namespace

TEST_CASE("decimal: the fast path reads what strtod reads, bit for bit") {
  for (const char* s : {"0", "-0", "0.0", "-0.0", "+1", "1.", ".5", "-.5", "118.2436849", "-118.2436849", "33.98765",
                        "9007199254740992", "9007199254740993", "1e22", "1e23", "123456789012345e-22", "1e-22",
                        "0.000123", "00012.5000", "4.35", "0.1", "0.3", "2.5e-3", "1E5", "17976931348623157e292",
                        "5e-324", "1e-400", "123456789012345678901234567890", "0.1e1", "1.7976931348623157e308"})
    same_as_strtod(s);
  std::mt19937_64 rng(20261203);
  char buf[64];
  for (int i = 0; i < 200000; ++i) {
    switch (i % 4) {
      case 0:  // a coordinate with 4-8 decimals
        std::snprintf(buf, sizeof buf, "%.*f", 4 + static_cast<int>(rng() % 5), (static_cast<double>(rng() % 3600000000ull) / 1e7) - 180);
        break;
      case 1:  // money and scores
        std::snprintf(buf, sizeof buf, "%llu.%02llu", static_cast<unsigned long long>(rng() % 100000),
                      static_cast<unsigned long long>(rng() % 100));
        break;
      case 2:  // a mantissa up to 2^53 with an exponent either way, some beyond 22
        std::snprintf(buf, sizeof buf, "%llue%d", static_cast<unsigned long long>(rng() % (1ull << 54)),
                      static_cast<int>(rng() % 61) - 30);
        break;
      default:  // what %.17g writes for a random double (the shortest form is often longer than 15 digits)
        std::snprintf(buf, sizeof buf, "%.17g", std::ldexp(static_cast<double>(rng() >> 11), static_cast<int>(rng() % 80) - 60));
        break;
    }
    same_as_strtod(buf);
  }
}

TEST_CASE("decimal: the fast path takes the usual numbers and leaves the rest to strtod") {
  CHECK(decimal::parse_fast("-118.2436849").has_value());
  CHECK(decimal::parse_fast("1e22").has_value());
  CHECK(decimal::parse_fast("9007199254740992").has_value());
  CHECK_FALSE(decimal::parse_fast("9007199254740993").has_value());  // above 2^53
  CHECK_FALSE(decimal::parse_fast("1e23").has_value());
  CHECK_FALSE(decimal::parse_fast("1e-23").has_value());
  CHECK_FALSE(decimal::parse_fast("12345678901234567890123").has_value());
}

TEST_CASE("decimal: append_shortest_g writes what the printf loop writes, or declines") {
  std::mt19937_64 rng(20261204);
  int taken = 0, coordinates = 0, coordinates_taken = 0;
  auto check = [&](double d) {
    std::string got;
    if (!decimal::append_shortest_g(got, d)) {
      CHECK(got.empty());
      return false;
    }
    CAPTURE(d);
    CHECK(got == testing::printf_shortest(d));
    ++taken;
    return true;
  };
  for (double d : {0.1, -0.1, 0.3, 1.5, 1500.0, -1500.0, 123456789.0, 1e15, 1e-5, 1.5e-5, 0.0001, 0.00012, 9.96,
                   99.5, 1e21, 123e20, 4.35, 33.98765, -118.2436849, 1234567890123456.0, 0.0, -0.0, 1.0, 2.0, 0.5,
                   std::nextafter(1.0, 2.0), 5e-324, 1.7976931348623157e308})
    check(d);
  for (int i = 0; i < 200000; ++i) {
    switch (i % 5) {
      case 0: {  // a coordinate, as the package and the importer hold them
        double v = std::round((static_cast<double>(rng() % 3600000000ull) / 1e7 - 180) * 1e7) / 1e7;
        ++coordinates;
        if (check(v)) ++coordinates_taken;
        break;
      }
      case 1: check(static_cast<double>(rng() % 10000000) / 100); break;                 // money
      case 2: check(static_cast<double>(rng() % 100000) * std::pow(10.0, static_cast<int>(rng() % 12))); break;
      case 3: {  // a random decimal of 1-17 digits at a random scale, as read
        char buf[48];
        std::snprintf(buf, sizeof buf, "%llue%d", static_cast<unsigned long long>(rng() % 100000000000000000ull),
                      static_cast<int>(rng() % 50) - 30);
        check(std::strtod(buf, nullptr));
        break;
      }
      default: {  // any bit pattern of a finite double
        uint64_t bits = rng();
        double d;
        std::memcpy(&d, &bits, sizeof d);
        if (std::isfinite(d)) check(d);
      }
    }
  }
  MESSAGE("taken by the fast path: " << taken << "; coordinates " << coordinates_taken << " of " << coordinates);
  CHECK(coordinates_taken == coordinates);  // every 7-decimal coordinate is short and exact
}

TEST_CASE("decimal: malformed text is refused") {
  for (const char* s : {"", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "1x", "--1", " 1", "1 ", "0x10", "inf", "nan"}) {
    CAPTURE(s);
    CHECK_FALSE(decimal::parse(s).has_value());
  }
}
