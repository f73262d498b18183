// Tests for shared/json: strictness (UTF-8, depth, duplicates, numbers) and round trips.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "shared/base/json.h"
#include "tests/base/printf_reference.h"

using namespace doorstep;

TEST_CASE("json parses and dumps a round trip") {
  auto v = json::parse(R"({"a":1,"b":[true,false,null],"c":"x\"y\u00e9","d":-2.5e3,"e":9007199254740993})");
  REQUIRE(v.ok());
  CHECK(v->find("a")->as_int() == 1);
  CHECK(v->find("b")->size() == 3);
  CHECK(v->find("c")->as_string() == "x\"y\xC3\xA9");
  CHECK(v->find("d")->as_double() == -2500.0);
  CHECK(v->find("e")->as_int() == 9007199254740993LL);  // exact beyond double precision
  auto again = json::parse(json::dump(*v));
  REQUIRE(again.ok());
  CHECK(*again == *v);
}

TEST_CASE("json rejects what strict JSON forbids") {
  for (const char* bad : {"", "{", "[1,]", "{\"a\":1,}", "01", "1.", "NaN", "\"\\x\"", "{\"a\":1,\"a\":2}",
                          "\"\\ud800\"", "[1] x", "\"a\nb\"", "tru", "1e999"}) {
    CAPTURE(bad);
    CHECK_FALSE(json::parse(bad).ok());
  }
  CHECK_FALSE(json::parse("\"\xC0\xAF\"").ok());  // overlong UTF-8
  CHECK_FALSE(json::parse("\"\xED\xA0\x80\"").ok());  // encoded surrogate
}

TEST_CASE("json bounds nesting and size") {
  std::string deep(40, '[');
  deep += std::string(40, ']');
  auto r = json::parse(deep);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("nesting") != std::string::npos);
  json::ParseLimits lim;
  lim.max_bytes = 10;
  CHECK(json::parse("[1,2,3,4,5,6,7]", lim).error().code == Code::too_large);
}

TEST_CASE("json escapes control characters when writing") {
  json::Value v = json::Value::object();
  v.set("k", std::string("a\x01" "b\n"));
  CHECK(json::dump(v) == "{\"k\":\"a\\u0001b\\n\"}");
}

TEST_CASE("regression: duplicate keys are found in linear time, also in a huge object") {
  // Issue 10 item 5: the check was a scan per key, quadratic in the keys of one object.
  std::string big = "{";
  const int n = 200000;
  for (int i = 0; i < n; ++i) big += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
  auto ok = json::parse(big + "}");
  REQUIRE(ok.ok());
  CHECK(ok->size() == static_cast<size_t>(n));
  auto dup = json::parse(big + ",\"k7\":2}");
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().message.find("duplicate key") != std::string::npos);
  auto small = json::parse(R"({"a":1,"b":2,"a":3})");
  CHECK_FALSE(small.ok());
  std::string sixteen = "{";
  for (int i = 0; i < 16; ++i) sixteen += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
  CHECK_FALSE(json::parse(sixteen + ",\"k15\":1}").ok());  // the key that starts the set is in it
  CHECK_FALSE(json::parse(sixteen + ",\"k0\":1}").ok());
  CHECK(json::parse(sixteen + ",\"k16\":1}").ok());
}

// The writer's former number format (tests/base/printf_reference.h) is the reference.
TEST_CASE("json writes doubles byte for byte as the %.*g loop did") {
  long checked = 0, differ = 0;
  auto check = [&](double d) {
    if (!std::isfinite(d)) return;
    ++checked;
    std::string want = testing::printf_shortest(d), got = json::dump(json::Value(d));
    if (got != want && differ++ < 10) {
      CAPTURE(d);
      CHECK(got == want);
    }
  };
  for (double d : {0.0, -0.0, 0.1, -0.1, 1.0, 100.0, 120.0, 1200.0, 12345.0, 1e15, 1e16, 1e17, 1e20, 1e21, 1e22,
                   1e-4, 1e-5, 0.00012345, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 34.0093,
                   -118.456, 9007199254740993.0, 0.30000000000000004, 123456789012345678.0})
    check(d);
  for (int e = -1074; e <= 1023; ++e) {  // powers of two (uneven gaps) and their neighbours
    double p = std::ldexp(1.0, e);
    for (double d : {p, -p, std::nextafter(p, 0.0), std::nextafter(p, INFINITY)}) check(d);
  }
  std::mt19937_64 rng(20261202);
  for (int i = 0; i < 200000; ++i) {  // random bit patterns: every exponent and digit count
    uint64_t bits = rng();
    double d;
    std::memcpy(&d, &bits, sizeof d);
    check(d);
  }
  std::uniform_real_distribution<double> deg(-180, 180);
  for (int i = 0; i < 50000; ++i) {  // coordinates as phones send them: raw, rounded to 6 and 4 places
    double d = deg(rng);
    check(d);
    check(std::round(d * 1e6) / 1e6);
    check(std::round(d * 1e4) / 1e4);
    check(std::round(d * 10) / 10);
  }
  MESSAGE("doubles compared: " << checked);
  CHECK(differ == 0);
  CHECK(json::dump(json::Value(NAN)) == "null");  // as before: not JSON numbers
  CHECK(json::dump(json::Value(INFINITY)) == "null");
}

TEST_CASE("json quotes strings as the per-character writer did") {
  auto reference = [](std::string_view s) {
    std::string out = "\"";
    for (char ch : s) {
      auto c = static_cast<unsigned char>(ch);
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
          if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
          } else {
            out += ch;
          }
      }
    }
    return out + "\"";
  };
  std::mt19937_64 rng(11);
  const std::string alphabet = std::string("ab\"\\\n\r\t\b\f\x01\x1f ", 13) + "\xc3\xa9";
  for (int i = 0; i < 20000; ++i) {
    std::string s;
    for (size_t n = rng() % 12; n > 0; --n) s += alphabet[rng() % alphabet.size()];
    std::string got = "x";
    json::append_quoted(got, s);
    CAPTURE(s);
    REQUIRE(got == "x" + reference(s));
  }
}

TEST_CASE("dumped_size counts exactly what dump writes") {
  for (const char* doc :
       {"null", "true", "false", "0", "-1", "9", "10", "-9223372036854775808", "9223372036854775807", "\"\"",
        R"("a\"b\\c\n\r\t\b\f\u0001\u001f é")", "[]", "{}", "[1,[2,[]],{}]", R"({"a":1,"b":[true,false,null]})",
        R"({"door":"0192f0c4-7b00-7000-8000-000000000101","answers":{"q":"2","v":true},"lat":33.9993,"lon":-118.43911,"accuracy_m":12,"x":1e-7,"y":-2.5e300})"}) {
    auto v = json::parse(doc);
    REQUIRE_MESSAGE(v.ok(), doc);
    CHECK_MESSAGE(json::dumped_size(*v) == json::dump(*v).size(), doc);
  }
  json::Value nan(std::nan(""));
  CHECK(json::dumped_size(nan) == json::dump(nan).size());
}
