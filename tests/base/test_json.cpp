// Tests for shared/json: strictness (UTF-8, depth, duplicates, numbers) and round trips.
#include <doctest/doctest.h>

#include "shared/base/json.h"

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
