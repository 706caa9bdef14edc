#include "api/rate_limiter.h"

namespace nubis::api {

RateDecision RateLimiter::check(std::unordered_map<std::string, Window>& map,
                                const std::string& key, int64_t limit, int64_t window_s) {
  RateDecision d;
  d.limit = limit;
  d.window_s = window_s;
  if (!config_.enabled) return d;
  const int64_t now = clock_.nowMicros();
  const int64_t window_us = window_s * 1000000;
  auto ceilSeconds = [](int64_t us) { return us <= 0 ? 0 : (us + 999999) / 1000000; };
  std::lock_guard lock(mu_);
  if (map.size() > 200000) {
    // Forget windows that have ended: bounds memory under many distinct keys.
    for (auto it = map.begin(); it != map.end();) {
      bool over = now - it->second.start_us >= window_us && now >= it->second.blocked_until_us;
      it = over ? map.erase(it) : std::next(it);
    }
  }
  Window& w = map[key];
  if (now < w.blocked_until_us) {
    d.allowed = false;
    d.remaining = 0;
    d.reset_s = ceilSeconds(w.blocked_until_us - now);
    return d;
  }
  if (w.count == 0 || now - w.start_us >= window_us) {
    w.start_us = now;
    w.count = 0;
  }
  ++w.count;
  if (w.count > limit) {
    // Exceeding the limit blocks the caller for a whole window from now (Cloudflare's rule).
    w.blocked_until_us = now + window_us;
    w.count = 0;
    d.allowed = false;
    d.remaining = 0;
    d.reset_s = window_s;
    return d;
  }
  d.remaining = limit - w.count;
  d.reset_s = ceilSeconds(w.start_us + window_us - now);
  return d;
}

}  // namespace nubis::api
