#include "api/metrics.h"

#include <cstdio>

namespace nubis::api {

void Metrics::request(std::string_view route, unsigned status, int64_t micros) {
  {
    std::lock_guard lock(mu_);
    ++requests_[{route, status}];
  }
  double secs = static_cast<double>(micros) / 1e6;
  size_t i = 0;
  while (i < kBuckets.size() && secs > kBuckets[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_us_.fetch_add(static_cast<uint64_t>(micros < 0 ? 0 : micros), std::memory_order_relaxed);
}

void Metrics::authFailure(std::string_view reason) {
  std::lock_guard lock(mu_);
  ++auth_failures_[std::string(reason)];
}

void Metrics::rateLimited(std::string_view kind) {
  std::lock_guard lock(mu_);
  ++rate_limited_[std::string(kind)];
}

std::string Metrics::render() const {
  std::string out;
  char buf[256];
  std::lock_guard lock(mu_);
  out += "# HELP nubis_http_requests_total Requests answered, by route template and status.\n";
  out += "# TYPE nubis_http_requests_total counter\n";
  for (const auto& [k, v] : requests_) {
    std::snprintf(buf, sizeof buf, "nubis_http_requests_total{route=\"%s\",status=\"%u\"} %llu\n",
                  std::string(k.first).c_str(), k.second, static_cast<unsigned long long>(v));
    out += buf;
  }
  out += "# HELP nubis_auth_failures_total Refused credentials, by reason.\n";
  out += "# TYPE nubis_auth_failures_total counter\n";
  for (const auto& [k, v] : auth_failures_) {
    std::snprintf(buf, sizeof buf, "nubis_auth_failures_total{reason=\"%s\"} %llu\n", k.c_str(),
                  static_cast<unsigned long long>(v));
    out += buf;
  }
  out += "# HELP nubis_rate_limited_total Requests refused with 429, by limit.\n";
  out += "# TYPE nubis_rate_limited_total counter\n";
  for (const auto& [k, v] : rate_limited_) {
    std::snprintf(buf, sizeof buf, "nubis_rate_limited_total{kind=\"%s\"} %llu\n", k.c_str(),
                  static_cast<unsigned long long>(v));
    out += buf;
  }
  out += "# HELP nubis_http_request_duration_seconds Time from request read to response ready.\n";
  out += "# TYPE nubis_http_request_duration_seconds histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += buckets_[i].load();
    std::snprintf(buf, sizeof buf, "nubis_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                  kBuckets[i], static_cast<unsigned long long>(cumulative));
    out += buf;
  }
  cumulative += buckets_[kBuckets.size()].load();
  std::snprintf(buf, sizeof buf,
                "nubis_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
                "nubis_http_request_duration_seconds_sum %.6f\n"
                "nubis_http_request_duration_seconds_count %llu\n",
                static_cast<unsigned long long>(cumulative),
                static_cast<double>(sum_us_.load()) / 1e6,
                static_cast<unsigned long long>(count_.load()));
  out += buf;
  return out;
}

}  // namespace nubis::api
