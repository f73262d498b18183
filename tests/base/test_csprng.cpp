// Tests for shared/base/csprng: the ChaCha20 block function against RFC 8439's test vector
// (section 2.3.2), and streams that differ per key and never repeat a block.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "shared/base/csprng.h"

using namespace doorstep;

TEST_CASE("chacha20_block matches RFC 8439 section 2.3.2") {
  std::array<uint32_t, 8> key{};
  for (uint32_t i = 0; i < 8; ++i)
    key[i] = (4 * i) | ((4 * i + 1) << 8) | ((4 * i + 2) << 16) | ((4 * i + 3) << 24);  // bytes 00..1f
  auto b = csprng::chacha20_block(key, 1, {0x09000000, 0x4a000000, 0x00000000});
  const uint8_t want[64] = {0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15, 0x50, 0x0f, 0xdd, 0x1f, 0xa3,
                            0x20, 0x71, 0xc4, 0xc7, 0xd1, 0xf4, 0xc7, 0x33, 0xc0, 0x68, 0x03, 0x04, 0x22,
                            0xaa, 0x9a, 0xc3, 0xd4, 0x6c, 0x4e, 0xd2, 0x82, 0x64, 0x46, 0x07, 0x9f, 0xaa,
                            0x09, 0x14, 0xc2, 0xd7, 0x05, 0xd9, 0x8b, 0x02, 0xa2, 0xb5, 0x12, 0x9c, 0xd1,
                            0xde, 0x16, 0x4e, 0xb9, 0xcb, 0xd0, 0x83, 0xe8, 0xa2, 0x50, 0x3c, 0x4e};
  for (int i = 0; i < 64; ++i) CHECK_MESSAGE(b[i] == want[i], "byte " << i);
}

TEST_CASE("streams keyed from the platform differ and do not repeat") {
  csprng::Stream a, b;
  std::set<uint64_t> seen;
  for (int i = 0; i < 1000; ++i) {
    seen.insert(a.next_u64());
    seen.insert(b.next_u64());
  }
  CHECK(seen.size() == 2000);
}
