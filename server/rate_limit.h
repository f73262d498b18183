// Slows guessing: a growing lock-out per key after a few free failures, and a server-wide rate
// (GlobalRate). Sign-in failures are keyed per account and per client address, and counted
// server-wide; canvasser token failures per (token hash, client address) and per address, and a
// locked address is refused only for unknown tokens (server/links.h), since canvassers share
// carrier NATs. In memory per process; leaves out sharing between several endpoint processes (a
// PostgreSQL backend would keep these counters in a table).
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

// One server-wide budget (a token bucket): up to `burst` events at once, then one more every
// `every_ms`. The global sign-in rate spends it on failed sign-ins from anywhere, so guesses spread
// over many addresses and accounts are slowed too; it is a rate, never a lock: the answer says when
// the next event fits (Retry-After). In memory per process, like RateLimiter.
class GlobalRate {
 public:
  struct Config {
    int64_t burst = 100;       // failed sign-ins at once before any slowing
    int64_t every_ms = 1000;   // then one more each second (3,600 an hour at most)
  };
  GlobalRate() : GlobalRate(Config{}) {}
  explicit GlobalRate(Config c) : cfg_(c), tokens_(c.burst) {}
  // Milliseconds until the next event fits; 0 = now.
  int64_t retry_after_ms(int64_t now_ms);
  void spend(int64_t now_ms);  // one event (it may go below zero under a burst of parallel ones)

 private:
  void refill(int64_t now_ms);
  Config cfg_;
  std::mutex mu_;
  int64_t tokens_, last_ms_ = 0;
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
  // The same against other limits than the configured ones (a campaign's own quota); 0 = configured.
  int64_t take(const std::string& key, int64_t mutations, int64_t bytes, int64_t now_ms, int64_t max_mutations,
               int64_t max_bytes);
  const Config& config() const { return cfg_; }

 private:
  struct Window {
    int64_t start_ms = 0, mutations = 0, bytes = 0;
  };
  Config cfg_;
  std::mutex mu_;
  std::unordered_map<std::string, Window> map_;
};

}  // namespace doorstep::server
