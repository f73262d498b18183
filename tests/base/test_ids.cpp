// Tests for shared/ids: UUIDv7 layout and ordering, tokens, hybrid logical clocks.
#include <doctest/doctest.h>

#include <set>

#include "shared/base/ids.h"

using namespace doorstep;

TEST_CASE("uuid v7 has version, variant and time order") {
  std::array<uint8_t, 16> zero{};
  auto a = uuid_v7(1700000000000, zero);
  CHECK(a == "018bcfe5-6800-7000-8000-000000000000");
  CHECK(is_uuid(a));
  CHECK(new_uuid_v7(1700000000001) > a);
  CHECK_FALSE(is_uuid("018BCFE5-6800-7000-8000-000000000000"));
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(new_uuid_v7(1700000000000));
  CHECK(seen.size() == 1000);
}

TEST_CASE("tokens are 128-bit hex and distinct") {
  auto t = new_token_hex();
  CHECK(t.size() == 32);
  CHECK(t != new_token_hex());
}

TEST_CASE("hlc orders local and remote events and clamps runaway clocks") {
  HlcClock a("phone-a"), b("phone-b");
  Hlc a1 = a.tick(1000);
  Hlc a2 = a.tick(1000);  // same millisecond: counter moves
  CHECK(a1 < a2);
  b.observe(a2, 900);     // b's clock is behind; its next stamp still sorts after a2
  CHECK(a2 < b.tick(900));
  auto parsed = Hlc::parse(a2.to_string());
  REQUIRE(parsed);
  CHECK(*parsed == a2);
  CHECK_FALSE(Hlc::parse("zz"));

  HlcClock server("server", 5 * 60 * 1000);
  Hlc future{1000 + 3600 * 1000, 0, "bad-phone"};
  Hlc accepted = server.observe(future, 1000);
  CHECK(accepted.wall_ms == 1000 + 5 * 60 * 1000);
  CHECK(server.last().wall_ms <= 1000 + 5 * 60 * 1000);
}
