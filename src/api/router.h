// Router: method + path template -> route. Templates are Cloudflare's paths under /client/v4
// with `{name}` for one segment and `{name*}` for the rest of the path (image ids contain '/').
// A literal segment beats a parameter at the same position, so `/user/tokens/verify` wins over
// `/user/tokens/{token_id}`.
//
// Thread-safety: add() during start-up only; match() is const and safe from any thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/context.h"
#include "api/envelope.h"
#include "api/errors.h"
#include "base/result.h"
#include "http/types.h"

namespace nubis::api {

using HandlerFn = std::function<Result<Reply>(Context&)>;

struct Route {
  http::bhttp::verb method = http::bhttp::verb::get;
  std::string pattern;  // e.g. "/client/v4/zones/{zone_id}"
  Access access;
  uint64_t body_limit = 64 * 1024;
  // Runs on the I/O thread when true (no blocking work inside); otherwise on the worker pool.
  bool on_io_thread = false;
  HandlerFn handler;
  std::string summary;  // for /openapi.json
  // The body is JSON: other declared content types are refused (9207). Multipart routes say no.
  bool json_body = true;
  // The error for a body over body_limit (default: 413 6004); image uploads answer 7011.
  std::optional<Err> body_too_large;

  struct Segment {
    std::string text;
    enum Kind { kLiteral, kParam, kRest } kind = kLiteral;
  };
  std::vector<Segment> segments;
};

class Router {
 public:
  void add(Route route);

  struct Match {
    const Route* route = nullptr;
    std::vector<std::pair<std::string, std::string>> params;
    bool other_method = false;  // the path exists with another method
    std::string allowed_methods;  // "GET, PUT" when other_method
  };
  Match match(http::bhttp::verb method, const std::vector<std::string>& segments) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace nubis::api
