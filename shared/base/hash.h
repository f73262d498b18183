// The project's one non-cryptographic hash: 64-bit FNV-1a (content hashes on the sync wire, import
// keys, determinism checksums) and the splitmix64 finaliser for spreading counters. Values of both
// are stored and sent, so they never change. Leaves out anything meant to resist an attacker
// (secrets and tokens come from libsodium).
#pragma once
#include <cstdint>
#include <string_view>

namespace doorstep::hash {

constexpr uint64_t kFnv1aOffset = 0xcbf29ce484222325ull;  // FNV's offset basis, 14695981039346656037
constexpr uint64_t kFnv1aPrime = 0x100000001b3ull;
// The basis the sync content hash, the import keys and the backoff salt were first written with:
// FNV's basis short of its last digit (1469598103934665603). Content hashes are stored on both
// ends of the sync protocol and synthetic source ids in campaign databases, so those callers keep
// it; new callers use kFnv1aOffset.
constexpr uint64_t kStoredOffset = 1469598103934665603ull;

// FNV-1a over s, continuing from h (pass a previous result to hash a sequence of pieces).
constexpr uint64_t fnv1a(std::string_view s, uint64_t h) {
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= kFnv1aPrime;
  }
  return h;
}

// FNV-1a over the 4 bytes of v, least significant first (the same on every platform).
constexpr uint64_t fnv1a_u32(uint32_t v, uint64_t h) {
  for (int b = 0; b < 4; ++b) {
    h ^= (v >> (8 * b)) & 0xff;
    h *= kFnv1aPrime;
  }
  return h;
}

// splitmix64's finaliser (Steele, Lea, Flood 2014): a bijection that spreads nearby inputs.
constexpr uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

}  // namespace doorstep::hash
