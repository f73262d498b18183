// Tests for shared/base/hash: FNV-1a against the published test vectors, the stored-offset variant
// pinned to values already on phones and servers, and splitmix64's first output.
#include <doctest/doctest.h>

#include "shared/base/hash.h"

using namespace doorstep;

TEST_CASE("fnv1a matches the FNV reference vectors") {
  CHECK(hash::fnv1a("", hash::kFnv1aOffset) == 0xcbf29ce484222325ull);
  CHECK(hash::fnv1a("a", hash::kFnv1aOffset) == 0xaf63dc4c8601ec8cull);
  CHECK(hash::fnv1a("foobar", hash::kFnv1aOffset) == 0x85944171f73967e8ull);
  // Hashing in pieces is hashing the whole.
  CHECK(hash::fnv1a("bar", hash::fnv1a("foo", hash::kFnv1aOffset)) == 0x85944171f73967e8ull);
}

TEST_CASE("fnv1a_u32 hashes the four bytes least significant first") {
  const char bytes[4] = {'\x04', '\x03', '\x02', '\x01'};
  CHECK(hash::fnv1a_u32(0x01020304u, hash::kFnv1aOffset) == hash::fnv1a(std::string_view(bytes, 4), hash::kFnv1aOffset));
  CHECK(hash::fnv1a_u32(0xffffffffu, 7) == hash::fnv1a("\xff\xff\xff\xff", 7));
}

TEST_CASE("the stored offset keeps the values phones and servers already hold") {
  CHECK(hash::kStoredOffset == 1469598103934665603ull);
  CHECK(hash::kStoredOffset != hash::kFnv1aOffset);
  CHECK(hash::fnv1a("client-1", hash::kStoredOffset) == 0xcbbbec81d539667eull);
}

TEST_CASE("splitmix64 finaliser") {
  CHECK(hash::splitmix64(0) == 0xe220a8397b1dcdafull);
  CHECK(hash::splitmix64(1) != hash::splitmix64(2));
}

static_assert(hash::fnv1a("a", hash::kFnv1aOffset) == 0xaf63dc4c8601ec8cull, "usable at compile time");
