// Slows guessing: a growing lock-out per key after a few free failures. Sign-in failures are keyed
// per account; canvasser token failures per (token hash, client address) and per address, and a
// locked address is refused only for unknown tokens (server/links.h), since canvassers share
// carrier NATs. In memory per process; leaves out sharing between
// several endpoint processes (a PostgreSQL backend would keep these counters in a table).
#pragma once
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace doorstep::server {

class RateLimiter {
 public:
  struct Config {
    int free_failures = 5;               // failures before any lock-out
    int64_t base_ms = 1000;              // first lock-out; doubles with each further failure
    int64_t max_ms = 15 * 60 * 1000;     // longest lock-out
    int64_t forget_ms = 60 * 60 * 1000;  // a key quiet this long starts over
    size_t max_keys = 100000;            // memory bound: the stalest keys are dropped first
  };
  RateLimiter() : RateLimiter(Config{}) {}
  explicit RateLimiter(Config c) : cfg_(c) {}

  // Milliseconds until `key` may try again; 0 = now. Checked before the secret is even looked at,
  // so a locked key learns nothing, right or wrong.
  int64_t retry_after_ms(const std::string& key, int64_t now_ms);
  void failure(const std::string& key, int64_t now_ms);
  void success(const std::string& key);
  size_t size();

 private:
  struct Entry {
    int failures = 0;
    int64_t last_ms = 0, locked_until_ms = 0;
  };
  Config cfg_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> map_;
  void evict(int64_t now_ms);
};

// Per-link hourly push quota (docs/sync.md): mutations and body bytes per key in a fixed window.
// In memory per process, like RateLimiter; a phone over it keeps everything and retries.
class Quota {
 public:
  struct Config {
    int64_t mutations = 3000;        // a busy shift is about 300
    int64_t bytes = 8ll << 20;
    int64_t window_ms = 60 * 60 * 1000;
    size_t max_keys = 100000;        // memory bound: windows that ended are dropped first
  };
  Quota() : Quota(Config{}) {}
  explicit Quota(Config c) : cfg_(c) {}
  // Takes (mutations, bytes) from key's current window: 0 when taken, else the ms until the
  // window ends (nothing taken).
  int64_t take(const std::string& key, int64_t mutations, int64_t bytes, int64_t now_ms);

 private:
  struct Window {
    int64_t start_ms = 0, mutations = 0, bytes = 0;
  };
  Config cfg_;
  std::mutex mu_;
  std::unordered_map<std::string, Window> map_;
};

}  // namespace doorstep::server
