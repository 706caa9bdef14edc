#include "api/dispatcher.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>

#include "api/authorize.h"
#include "api/credentials.h"
#include "api/errors.h"
#include "auth/evaluator.h"
#include "base/ids.h"

namespace nubis::api {
namespace asio = boost::asio;
using http::bhttp::field;

Dispatcher::Dispatcher(const Router& router, auth::Authenticator& authn, store::Store& store,
                       http::WorkerPool& pool, RateLimiter& limiter, Metrics& metrics,
                       Logger& log, const Clock& clock, DispatcherConfig config)
    : router_(router),
      authn_(authn),
      store_(store),
      pool_(pool),
      limiter_(limiter),
      metrics_(metrics),
      log_(log),
      clock_(clock),
      config_(std::move(config)) {}

uint64_t Dispatcher::bodyLimit(const http::RequestHeader& header) const {
  auto target = parseTarget(header.target());
  if (!target) return 0;
  auto m = router_.match(header.method(), target->segments);
  return m.route ? m.route->body_limit : 64 * 1024;
}

std::string Dispatcher::clientIp(const http::Request& req, const http::ConnInfo& conn) const {
  auto peer = auth::parseClientAddress(conn.peer.to_string());
  std::string ip = peer ? auth::toString(*peer) : conn.peer.to_string();
  auto trusted = [&](std::string_view addr) {
    auto a = auth::parseClientAddress(addr);
    if (!a) return false;
    for (const auto& c : config_.trusted_proxies)
      if (auth::contains(c, *a)) return true;
    return false;
  };
  if (config_.trusted_proxies.empty() || !trusted(ip)) return ip;
  // Walk X-Forwarded-For from the right: the first hop that is not a trusted proxy is the
  // client. Anything left of it was written by the client and is not believed.
  std::string xff;
  for (const auto& f : req)
    if (f.name_string() == "X-Forwarded-For" || f.name_string() == "x-forwarded-for" ||
        boost::beast::iequals(f.name_string(), "X-Forwarded-For")) xff += (xff.empty() ? "" : ",") + std::string(f.value());
  if (xff.empty()) return ip;
  std::vector<std::string> hops;
  size_t pos = 0;
  while (pos <= xff.size()) {
    size_t comma = xff.find(',', pos);
    if (comma == std::string::npos) comma = xff.size();
    std::string hop = xff.substr(pos, comma - pos);
    hop.erase(0, hop.find_first_not_of(" \t"));
    hop.erase(hop.find_last_not_of(" \t") + 1);
    hops.push_back(hop);
    pos = comma + 1;
  }
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    auto a = auth::parseClientAddress(*it);
    if (!a) return ip;  // garbage in the chain: fall back to the proxy itself
    std::string s = auth::toString(*a);
    if (!trusted(s)) return s;
    ip = s;
  }
  return ip;
}

ApiError Dispatcher::authFailureError(auth::AuthFailure f, const Access& access,
                                      const std::string& client_ip) {
  metrics_.authFailure(auth::toString(f));
  switch (f) {
    case auth::AuthFailure::kUnknownKey:
      return error(Err::UnknownKey);
    case auth::AuthFailure::kIpNotAllowed:
      return error(Err::IpNotAllowed, client_ip);
    default:
      return access.verify_style ? error(Err::InvalidApiToken) : error(Err::InvalidAccessToken);
  }
}

Status Dispatcher::authorize(const Context& ctx, const Route& route) const {
  const Access& access = route.access;
  if (access.kind == Access::Kind::kInstanceAdmin) {
    // The user who bootstrapped the instance, by its Global API Key: tokens cannot carry this
    // right (no permission group names it), so a leaked token cannot mint users.
    auto admin = store_.getMeta("instance_admin");
    if (!admin) return admin.error();
    const auth::Principal& p = *ctx.principal;
    if (p.kind != auth::Principal::Kind::kGlobalKey || !*admin || **admin != p.user_id)
      return error(Err::Unauthorized);
    return Ok{};
  }
  if (access.kind != Access::Kind::kGroups) return Ok{};
  const auth::Principal& p = *ctx.principal;
  const ApiError denied = access.deny_as_unauthorized ? error(Err::Unauthorized)
                                                      : error(Err::AuthenticationError);
  auth::Target target;
  switch (access.scope) {
    case Scope::kNone:
      return Ok{};
    case Scope::kUser:
      if (p.kind == auth::Principal::Kind::kAccountToken) return denied;
      target = auth::Target::user(p.user_id);
      break;
    case Scope::kAccount: {
      std::string account(ctx.param("account_id"));
      if (!ids::isId(account)) return noRoute(ctx.path);
      if (!p.reaches(account)) return denied;
      target = auth::Target::account(account);
      break;
    }
    case Scope::kZone: {
      std::string zone_id(ctx.param("zone_id"));
      if (!ids::isId(zone_id)) return noRoute(ctx.path);
      auto zone = store_.getZone(zone_id);
      if (!zone) return zone.error();
      // An unknown zone and a zone outside the caller's accounts look the same: no oracle.
      if (!*zone || !p.reaches((*zone)->account_id)) return noRoute(ctx.path);
      target = auth::Target::zone((*zone)->account_id, zone_id);
      break;
    }
  }
  if (!allowed(p, access.groups, target)) return denied;
  return Ok{};
}

asio::awaitable<Result<Reply>> Dispatcher::process(Context& ctx, const Route& route,
                                                   RateDecision& rate, std::string& token_id) {
  const Access& access = route.access;
  if (limiter_.enabled() && access.kind != Access::Kind::kPublic) {
    // Every response carries rate-limit headers: the per-IP window until the caller is known,
    // then the per-user window.
    rate = limiter_.checkIp(ctx.client_ip);
    if (!rate.allowed) {
      metrics_.rateLimited("ip");
      co_return error(Err::RateLimited);
    }
  }
  if (access.kind != Access::Kind::kPublic) {
    auto cred = parseCredentials(ctx.req.base());
    if (!cred) {
      metrics_.authFailure("malformed_or_missing");
      co_return cred.error();
    }
    std::shared_ptr<const auth::Principal> principal;
    if (auto* bearer = std::get_if<BearerToken>(&*cred)) {
      std::string key = authn_.tokenKey(bearer->secret);
      principal = authn_.cached(key);
      if (!principal) {
        auto loaded = co_await pool_.run([&] { return authn_.loadToken(key); });
        if (!loaded) co_return loaded.error();
        if (loaded->failure != auth::AuthFailure::kNone)
          co_return authFailureError(loaded->failure, access, ctx.client_ip);
        principal = loaded->principal;
      }
    } else if (auto* cookie = std::get_if<SessionCookie>(&*cred)) {
      // A dashboard session: live, its CSRF token echoed on anything but a read, then the user
      // itself with its member roles. Verify endpoints are for tokens.
      const int64_t now = clock_.nowMicros();
      std::optional<auth::Session> session;
      if (sessions_ != nullptr && !access.verify_style) session = sessions_->find(cookie->secret, now);
      if (!session) {
        metrics_.authFailure("session");
        co_return error(Err::SessionInvalid);
      }
      const auto method = ctx.req.method();
      if (method != http::bhttp::verb::get && method != http::bhttp::verb::head &&
          !sessions_->csrfMatches(cookie->secret, cookie->csrf, now)) {
        metrics_.authFailure("csrf");
        co_return error(Err::CsrfRefused);
      }
      auto loaded = co_await pool_.run([&] { return authn_.sessionPrincipal(session->user_id); });
      if (!loaded) co_return loaded.error();
      if (!*loaded) {
        metrics_.authFailure("session");
        co_return error(Err::SessionInvalid);
      }
      principal = *loaded;
    } else {
      const auto& gk = std::get<GlobalKey>(*cred);
      if (access.token_only) {
        metrics_.authFailure("key_on_token_route");
        co_return error(Err::MissingAuthorization);
      }
      std::string key = authn_.globalKeyKey(gk.email, gk.key);
      principal = authn_.cached(key);
      if (!principal) {
        auto loaded = co_await pool_.run([&] { return authn_.loadGlobalKey(gk.email, gk.key, key); });
        if (!loaded) co_return loaded.error();
        if (loaded->failure != auth::AuthFailure::kNone)
          co_return authFailureError(loaded->failure, access, ctx.client_ip);
        principal = loaded->principal;
      }
    }
    auto failure = auth::checkUsable(*principal, clock_.nowMicros(), ctx.client_ip);
    if (failure != auth::AuthFailure::kNone)
      co_return authFailureError(failure, access, ctx.client_ip);
    bool is_account_token = principal->kind == auth::Principal::Kind::kAccountToken;
    bool is_user_token = principal->kind == auth::Principal::Kind::kUserToken;
    if ((is_account_token && !access.allow_account_tokens) ||
        (is_user_token && !access.allow_user_tokens)) {
      metrics_.authFailure("wrong_token_kind");
      co_return access.verify_style ? error(Err::InvalidApiToken)
                                    : (access.deny_as_unauthorized ? error(Err::Unauthorized)
                                                                   : error(Err::AuthenticationError));
    }
    token_id = principal->token_id;
    if (limiter_.enabled()) {
      rate = limiter_.checkUser(is_account_token ? "a:" + principal->account_id
                                                 : "u:" + principal->user_id);
      if (!rate.allowed) {
        metrics_.rateLimited("user");
        co_return error(Err::RateLimited);
      }
    }
    if (principal->isToken()) authn_.recordUse(principal->token_id, clock_.nowMicros());
    ctx.principal = std::move(principal);
  }

  if (route.json_body && !ctx.req.body().empty()) {
    // curl -d sends application/x-www-form-urlencoded, and Cloudflare's own docs rely on that
    // (the Windows examples), so it is read as JSON too; anything else declared is refused.
    std::string_view ct = ctx.req[field::content_type];
    std::string lower(ct.substr(0, ct.find(';')));
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    while (!lower.empty() && lower.back() == ' ') lower.pop_back();
    bool ok = lower.empty() || lower == "application/json" || lower.ends_with("+json") ||
              lower == "application/x-www-form-urlencoded";
    if (!ok) co_return error(Err::ContentType);
  }

  auto run = [&]() -> Result<Reply> {
    try {
      if (Status st = authorize(ctx, route); !st) {
        if (st.error().http_status == 403) metrics_.authFailure("permission");
        return st.error();
      }
      return route.handler(ctx);
    } catch (const std::exception& e) {
      return ApiError::internal(std::string("handler threw: ") + e.what());
    }
  };
  bool needs_store = access.scope == Scope::kZone && access.kind == Access::Kind::kGroups;
  if (route.on_io_thread && !needs_store) co_return run();
  co_return co_await pool_.run(run);
}

asio::awaitable<http::Response> Dispatcher::handle(http::Request& req, const http::ConnInfo& conn) {
  const int64_t t0 = clock_.nowMicros();
  RateDecision rate;
  std::string token_id;
  std::string_view route_name = "unmatched";
  Result<Reply> result = error(Err::NoRoute);
  std::string allow;  // for 405: the methods the path does serve

  auto target = parseTarget(req.target());
  std::string client_ip = clientIp(req, conn);
  if (!target) {
    result = error(Err::MalformedRequest, ": the request target is not a valid URI");
  } else {
    auto m = router_.match(req.method(), target->segments);
    if (!m.route) {
      result = m.other_method ? error(Err::MethodNotAllowed) : noRoute(target->path);
      allow = m.allowed_methods;
    } else {
      route_name = m.route->pattern;
      Context ctx{req, conn, target->path, std::move(target->query), std::move(m.params),
                  client_ip, nullptr};
      try {
        result = co_await process(ctx, *m.route, rate, token_id);
      } catch (const http::PoolBusy&) {
        result = error(Err::Busy);
      }
    }
  }
  if (!result.ok() && result.error().http_status >= 500)
    log_.error("request_failed", result.error().detail.empty() ? result.error().message
                                                               : result.error().detail);
  http::Response res = render(req, result, rate);
  if (!allow.empty()) res.set(field::allow, allow);
  const int64_t elapsed = clock_.nowMicros() - t0;
  metrics_.request(route_name, res.result_int(), elapsed);
  if (config_.access_log) {
    std::string line;
    line.reserve(256);
    line.append("{\"event\":\"access\",\"method\":\"")
        .append(jsonEscape(req.method_string()))
        .append("\",\"path\":\"")
        .append(jsonEscape(target ? std::string_view(target->path) : std::string_view(req.target())))
        .append("\",\"route\":\"")
        .append(jsonEscape(route_name))
        .append("\",\"status\":")
        .append(std::to_string(res.result_int()))
        .append(",\"duration_us\":")
        .append(std::to_string(elapsed))
        .append(",\"ip\":\"")
        .append(jsonEscape(client_ip))
        .push_back('"');
    if (!token_id.empty()) line.append(",\"token_id\":\"").append(token_id).push_back('"');
    line.push_back('}');
    log_.access(line);
  }
  co_return res;
}

http::Response Dispatcher::render(const http::Request& req, const Result<Reply>& result,
                                  const RateDecision& rate) const {
  http::Response res;
  res.version(req.version());
  if (result.ok() && result->raw) {
    res.result(result->status);
    res.set(field::content_type, result->content_type);
    res.body() = result->raw_body;
  } else if (result.ok()) {
    res.result(result->status);
    res.set(field::content_type, "application/json");
    res.body() = successBody(*result);
  } else {
    res.result(static_cast<unsigned>(result.error().http_status));
    res.set(field::content_type, "application/json");
    res.body() = errorBody(result.error());
  }
  if (result.ok())
    for (const auto& [k, v] : result->headers) res.set(k, v);
  if (rate.limit > 0) {
    res.set("Ratelimit", "\"default\";r=" + std::to_string(rate.remaining) +
                             ";t=" + std::to_string(rate.reset_s));
    res.set("Ratelimit-Policy",
            "\"default\";q=" + std::to_string(rate.limit) + ";w=" + std::to_string(rate.window_s));
    if (!rate.allowed) res.set(field::retry_after, std::to_string(rate.reset_s));
  }
  return res;
}

http::Response Dispatcher::transportError(unsigned status, std::string_view reason,
                                          std::string_view target) const {
  ApiError e;
  if (status == 413) {
    e = error(Err::BodyTooLarge);
    // Uploads are POSTs; the route may name its own error (image uploads: 7011).
    if (auto t = parseTarget(target)) {
      auto m = router_.match(http::bhttp::verb::post, t->segments);
      if (m.route && m.route->body_too_large) e = error(*m.route->body_too_large);
    }
  } else if (status == 431) {
    e = error(Err::HeaderTooLarge);
  } else if (status >= 500) {
    e = error(Err::Internal);
  } else {
    e = error(Err::MalformedRequest, std::string(": ") + std::string(reason));
  }
  http::Response res;
  res.version(11);
  res.result(status);
  res.set(field::content_type, "application/json");
  res.set(field::connection, "close");
  res.body() = errorBody(e);
  return res;
}

}  // namespace nubis::api
