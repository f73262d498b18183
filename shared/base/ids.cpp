// UUIDv7, tokens and hybrid logical clocks (see ids.h).
#include "shared/base/ids.h"

#include <cstdio>
#include <algorithm>
#include <random>

namespace doorstep {

std::array<uint8_t, 16> random_bytes() {
  static std::random_device rd;  // non-deterministic on both targets; never seeded PRNGs for ids
  std::array<uint8_t, 16> b{};
  for (size_t i = 0; i < b.size(); i += 4) {
    uint32_t r = rd();
    for (size_t k = 0; k < 4; ++k) b[i + k] = static_cast<uint8_t>(r >> (8 * k));
  }
  return b;
}

static const char kHex[] = "0123456789abcdef";

std::string uuid_v7(int64_t unix_ms, const std::array<uint8_t, 16>& rnd) {
  std::array<uint8_t, 16> b = rnd;
  auto ms = static_cast<uint64_t>(unix_ms);
  for (int i = 0; i < 6; ++i) b[i] = static_cast<uint8_t>(ms >> (8 * (5 - i)));
  b[6] = static_cast<uint8_t>(0x70 | (b[6] & 0x0F));  // version 7
  b[8] = static_cast<uint8_t>(0x80 | (b[8] & 0x3F));  // variant 10
  std::string s;
  s.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += kHex[b[i] >> 4];
    s += kHex[b[i] & 15];
  }
  return s;
}

std::string new_uuid_v7(int64_t unix_ms) { return uuid_v7(unix_ms, random_bytes()); }

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    char c = s[i];
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string new_token_hex() {
  auto b = random_bytes();
  std::string s;
  for (auto x : b) {
    s += kHex[x >> 4];
    s += kHex[x & 15];
  }
  return s;
}

std::string Hlc::to_string() const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%012llx-%04x-", static_cast<unsigned long long>(wall_ms), counter & 0xFFFFu);
  return buf + node;
}

std::optional<Hlc> Hlc::parse(std::string_view s) {
  if (s.size() < 18 || s[12] != '-' || s[17] != '-') return std::nullopt;
  auto hex = [](std::string_view h, uint64_t& out) {
    out = 0;
    for (char c : h) {
      out <<= 4;
      if (c >= '0' && c <= '9') out |= uint64_t(c - '0');
      else if (c >= 'a' && c <= 'f') out |= uint64_t(c - 'a' + 10);
      else return false;
    }
    return true;
  };
  uint64_t w, c;
  if (!hex(s.substr(0, 12), w) || !hex(s.substr(13, 4), c)) return std::nullopt;
  Hlc h;
  h.wall_ms = static_cast<int64_t>(w);
  h.counter = static_cast<uint32_t>(c);
  h.node = std::string(s.substr(18));
  if (h.node.empty() || h.node.size() > 64) return std::nullopt;
  return h;
}

bool operator<(const Hlc& a, const Hlc& b) {
  if (a.wall_ms != b.wall_ms) return a.wall_ms < b.wall_ms;
  if (a.counter != b.counter) return a.counter < b.counter;
  return a.node < b.node;
}
bool operator==(const Hlc& a, const Hlc& b) {
  return a.wall_ms == b.wall_ms && a.counter == b.counter && a.node == b.node;
}

Hlc HlcClock::tick(int64_t now_ms) {
  if (now_ms > last_.wall_ms) {
    last_.wall_ms = now_ms;
    last_.counter = 0;
  } else {
    ++last_.counter;
  }
  last_.node = node_;
  return last_;
}

Hlc HlcClock::observe(const Hlc& remote, int64_t now_ms) {
  Hlc r = remote;
  if (r.wall_ms > now_ms + max_drift_ms_) {
    r.wall_ms = now_ms + max_drift_ms_;
    r.counter = 0;
  }
  int64_t wall = std::max({last_.wall_ms, r.wall_ms, now_ms});
  uint32_t counter = 0;
  if (wall == last_.wall_ms && wall == r.wall_ms) counter = std::max(last_.counter, r.counter) + 1;
  else if (wall == last_.wall_ms) counter = last_.counter + 1;
  else if (wall == r.wall_ms) counter = r.counter + 1;
  last_.wall_ms = wall;
  last_.counter = counter;
  last_.node = node_;
  return r;
}

}  // namespace doorstep
