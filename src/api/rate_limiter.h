// RateLimiter: Cloudflare's client API limits (API-SURFACE.md §8): 1200 requests per 5 minutes
// per user (or account token), after which every call is refused for the next window; and a
// per-IP ceiling of 200 requests per second. Windows run on the injected Clock, so tests are
// exact.
//
// Thread-safety: check*() are safe from any thread (one mutex; the critical section is a few
// arithmetic operations).
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "base/clock.h"

namespace nubis::api {

struct RateLimitConfig {
  bool enabled = true;
  int64_t user_limit = 1200;
  int64_t user_window_s = 300;
  int64_t ip_limit = 200;
  int64_t ip_window_s = 1;
};

struct RateDecision {
  bool allowed = true;
  int64_t limit = 0;
  int64_t remaining = 0;
  int64_t reset_s = 0;  // seconds until the window (or the block) ends, rounded up
  int64_t window_s = 0;
};

class RateLimiter {
 public:
  RateLimiter(const Clock& clock, RateLimitConfig config) : clock_(clock), config_(config) {}
  bool enabled() const { return config_.enabled; }
  RateDecision checkUser(const std::string& key) { return check(users_, key, config_.user_limit, config_.user_window_s); }
  RateDecision checkIp(const std::string& ip) { return check(ips_, ip, config_.ip_limit, config_.ip_window_s); }

 private:
  struct Window {
    int64_t start_us = 0;
    int64_t count = 0;
    int64_t blocked_until_us = 0;
  };
  RateDecision check(std::unordered_map<std::string, Window>& map, const std::string& key,
                     int64_t limit, int64_t window_s);

  const Clock& clock_;
  RateLimitConfig config_;
  std::mutex mu_;
  std::unordered_map<std::string, Window> users_, ips_;
};

}  // namespace nubis::api
