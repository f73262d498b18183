// Record ids (UUIDv7, RFC 9562) and hybrid logical clocks. Ids are made where a record is created,
// offline too, and travel as lowercase hyphenated text. Randomness and time are passed in, so the
// functions stay pure and testable; random_bytes() is the one place that asks the platform.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace doorstep {

// 16 bytes from the platform's cryptographic source (std::random_device: /dev/urandom natively,
// crypto.getRandomValues in the browser).
std::array<uint8_t, 16> random_bytes();

// UUIDv7 text for unix time `unix_ms` using the 10 random bytes in `rnd` (bytes 6..15 used).
std::string uuid_v7(int64_t unix_ms, const std::array<uint8_t, 16>& rnd);
std::string new_uuid_v7(int64_t unix_ms);
bool is_uuid(std::string_view s);  // lowercase hyphenated 8-4-4-4-12 hex

// 128-bit random token as 32 lowercase hex characters (canvasser links).
std::string new_token_hex();

// Hybrid logical clock stamp: physical milliseconds, a logical counter, and the writing node.
// Total order: (wall_ms, counter, node). Text form "wwwwwwwwwwww-cccc-node" sorts like the order.
struct Hlc {
  int64_t wall_ms = 0;
  uint32_t counter = 0;
  std::string node;

  std::string to_string() const;
  static std::optional<Hlc> parse(std::string_view s);
  friend bool operator<(const Hlc& a, const Hlc& b);
  friend bool operator==(const Hlc& a, const Hlc& b);
};

// The clock of one node. tick() stamps a local event; observe() merges a remote stamp so that the
// next local stamp sorts after it. max_drift_ms bounds how far ahead of physical time a remote
// stamp may drag this clock (a phone with a wrong clock must not win every merge).
class HlcClock {
 public:
  explicit HlcClock(std::string node, int64_t max_drift_ms = 5 * 60 * 1000)
      : node_(std::move(node)), max_drift_ms_(max_drift_ms) {}
  Hlc tick(int64_t now_ms);
  // Returns the stamp as accepted: remote clamped to now + max_drift when it runs too far ahead.
  Hlc observe(const Hlc& remote, int64_t now_ms);
  const Hlc& last() const { return last_; }
  void restore(const Hlc& last) { last_ = last; }

 private:
  std::string node_;
  int64_t max_drift_ms_;
  Hlc last_;
};

}  // namespace doorstep
