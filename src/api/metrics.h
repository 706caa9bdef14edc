// Metrics: the Prometheus counters and the latency histogram, declared once here.
//
//   nubis_http_requests_total{route,status}
//   nubis_auth_failures_total{reason}
//   nubis_rate_limited_total{kind}
//   nubis_http_request_duration_seconds (histogram, all routes)
//
// Thread-safety: all methods are safe from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace nubis::api {

class Metrics {
 public:
  // `route` must outlive the Metrics (route patterns live in the Router; literals are static).
  void request(std::string_view route, unsigned status, int64_t micros);
  void authFailure(std::string_view reason);
  void rateLimited(std::string_view kind);
  std::string render() const;

  static constexpr std::array<double, 12> kBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                                      0.005,  0.01,    0.025,  0.05,  0.1,
                                                      0.5,    2.5};

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string_view, unsigned>, uint64_t> requests_;
  std::map<std::string, uint64_t> auth_failures_;
  std::map<std::string, uint64_t> rate_limited_;
  std::array<std::atomic<uint64_t>, kBuckets.size() + 1> buckets_{};
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_us_{0};
};

}  // namespace nubis::api
