// Failure counting with exponential lock-out (see rate_limit.h).
#include "server/rate_limit.h"

#include <algorithm>
#include <vector>

namespace doorstep::server {

int64_t RateLimiter::retry_after_ms(const std::string& key, int64_t now_ms) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = map_.find(key);
  if (it == map_.end()) return 0;
  if (now_ms - it->second.last_ms > cfg_.forget_ms) {
    map_.erase(it);
    return 0;
  }
  return std::max<int64_t>(0, it->second.locked_until_ms - now_ms);
}

void RateLimiter::failure(const std::string& key, int64_t now_ms) {
  std::lock_guard<std::mutex> l(mu_);
  if (map_.size() >= cfg_.max_keys && !map_.count(key)) evict(now_ms);
  Entry& e = map_[key];
  if (e.failures > 0 && now_ms - e.last_ms > cfg_.forget_ms) e = Entry{};
  e.failures++;
  e.last_ms = now_ms;
  int over = e.failures - cfg_.free_failures;
  if (over > 0) {
    int64_t wait = cfg_.base_ms;
    for (int i = 1; i < over && wait < cfg_.max_ms; ++i) wait *= 2;
    e.locked_until_ms = now_ms + std::min(wait, cfg_.max_ms);
  }
}

void RateLimiter::success(const std::string& key) {
  std::lock_guard<std::mutex> l(mu_);
  map_.erase(key);
}

size_t RateLimiter::size() {
  std::lock_guard<std::mutex> l(mu_);
  return map_.size();
}

void RateLimiter::evict(int64_t now_ms) {
  // Drop forgotten keys; if that frees nothing, drop the quieter half.
  for (auto it = map_.begin(); it != map_.end();)
    it = now_ms - it->second.last_ms > cfg_.forget_ms ? map_.erase(it) : std::next(it);
  if (map_.size() < cfg_.max_keys) return;
  std::vector<int64_t> times;
  times.reserve(map_.size());
  for (auto& [k, e] : map_) times.push_back(e.last_ms);
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  int64_t median = times[times.size() / 2];
  for (auto it = map_.begin(); it != map_.end();)
    it = it->second.last_ms <= median ? map_.erase(it) : std::next(it);
}

void GlobalRate::refill(int64_t now_ms) {
  if (last_ms_ == 0 || now_ms < last_ms_) last_ms_ = now_ms;
  int64_t add = cfg_.every_ms > 0 ? (now_ms - last_ms_) / cfg_.every_ms : cfg_.burst;
  if (add <= 0) return;
  tokens_ = std::min(cfg_.burst, tokens_ + add);
  last_ms_ = tokens_ == cfg_.burst ? now_ms : last_ms_ + add * cfg_.every_ms;
}

int64_t GlobalRate::retry_after_ms(int64_t now_ms) {
  std::lock_guard<std::mutex> l(mu_);
  refill(now_ms);
  if (tokens_ > 0) return 0;
  // Tokens come back one every every_ms from last_ms_; wait for the one that makes it positive.
  return std::max<int64_t>(1, last_ms_ + (1 - tokens_) * cfg_.every_ms - now_ms);
}

void GlobalRate::spend(int64_t now_ms) {
  std::lock_guard<std::mutex> l(mu_);
  refill(now_ms);
  --tokens_;
}

int64_t Quota::take(const std::string& key, int64_t mutations, int64_t bytes, int64_t now_ms) {
  return take(key, mutations, bytes, now_ms, 0, 0);
}

int64_t Quota::take(const std::string& key, int64_t mutations, int64_t bytes, int64_t now_ms, int64_t max_mutations,
                    int64_t max_bytes) {
  if (max_mutations <= 0) max_mutations = cfg_.mutations;
  if (max_bytes <= 0) max_bytes = cfg_.bytes;
  std::lock_guard<std::mutex> lock(mu_);
  if (map_.size() >= cfg_.max_keys && !map_.count(key))
    for (auto it = map_.begin(); it != map_.end();)
      it = now_ms - it->second.start_ms >= cfg_.window_ms ? map_.erase(it) : std::next(it);
  Window& w = map_[key];
  if (now_ms - w.start_ms >= cfg_.window_ms) w = Window{now_ms, 0, 0};
  if (w.mutations + mutations > max_mutations || w.bytes + bytes > max_bytes)
    return std::max<int64_t>(1, w.start_ms + cfg_.window_ms - now_ms);
  w.mutations += mutations;
  w.bytes += bytes;
  return 0;
}


}  // namespace doorstep::server
