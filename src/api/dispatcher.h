// Dispatcher: the API listener's http::Handler. Every request takes the same path, on one
// screen in handle(): route -> client IP -> per-IP limit -> credentials -> principal (cache,
// else the store on the worker pool) -> usability (status, TTL, IP condition) -> per-user
// limit -> authorization through the one policy evaluator -> handler -> envelope. There is no
// other way to reach a handler.
//
// Thread-safety: handle() runs concurrently on every I/O thread; members are thread-safe.
#pragma once

#include <vector>

#include "api/metrics.h"
#include "api/rate_limiter.h"
#include "api/router.h"
#include "auth/authenticator.h"
#include "auth/cidr.h"
#include "auth/sessions.h"
#include "base/clock.h"
#include "base/log.h"
#include "http/types.h"
#include "http/worker_pool.h"
#include "store/store.h"

namespace nubis::api {

struct DispatcherConfig {
  // X-Forwarded-For is believed only from these peers (RELIABILITY A6: no spoofing).
  std::vector<auth::Cidr> trusted_proxies;
  bool access_log = true;
};

class Dispatcher final : public http::Handler {
 public:
  Dispatcher(const Router& router, auth::Authenticator& authn, store::Store& store,
             http::WorkerPool& pool, RateLimiter& limiter, Metrics& metrics, Logger& log,
             const Clock& clock, DispatcherConfig config);

  // http::Handler
  uint64_t bodyLimit(const http::RequestHeader& header) const override;
  boost::asio::awaitable<http::Response> handle(http::Request& req,
                                                const http::ConnInfo& conn) override;
  http::Response transportError(unsigned status, std::string_view reason,
                                std::string_view target) const override;

  // Dashboard sessions (the Cookie credential); without them a session cookie is refused.
  void setSessions(auth::SessionStore* sessions) { sessions_ = sessions; }

  // The client address after trusted-proxy processing.
  std::string clientIp(const http::Request& req, const http::ConnInfo& conn) const;

 private:
  struct Outcome;
  boost::asio::awaitable<Result<Reply>> process(Context& ctx, const Route& route,
                                                RateDecision& rate, std::string& token_id);
  Status authorize(const Context& ctx, const Route& route) const;
  ApiError authFailureError(auth::AuthFailure f, const Access& access,
                            const std::string& client_ip);
  http::Response render(const http::Request& req, const Result<Reply>& result,
                        const RateDecision& rate) const;

  const Router& router_;
  auth::Authenticator& authn_;
  store::Store& store_;
  http::WorkerPool& pool_;
  RateLimiter& limiter_;
  Metrics& metrics_;
  Logger& log_;
  const Clock& clock_;
  DispatcherConfig config_;
  auth::SessionStore* sessions_ = nullptr;
};

}  // namespace nubis::api
