#include "dashboard/session_routes.h"

#include "api/credentials.h"
#include "api/errors.h"
#include "api/fields.h"
#include "auth/passwords.h"
#include "base/ids.h"
#include "base/text.h"

namespace nubis::dashboard {
namespace json = boost::json;
using api::Access;
using api::Context;
using api::Need;
using api::Reply;
using verb = http::bhttp::verb;

namespace {

constexpr const char* kPath = "/dashboard/api/session";

// The cookie: never readable by scripts, never sent by another site's page, for the whole
// origin; it lasts as long as a session may (the server ends it sooner when idle). Secure when
// the dashboard is served over TLS (--public-url https://…, behind a TLS proxy): then the
// browser never sends it over plain HTTP.
std::string setCookie(const SessionDeps& d, std::string_view value, int64_t max_age_s) {
  return std::string(api::kSessionCookie) + "=" + std::string(value) +
         "; Path=/; HttpOnly; SameSite=Strict" + (d.secure_cookie ? "; Secure" : "") +
         "; Max-Age=" + std::to_string(max_age_s);
}

json::object userJson(const store::UserRow& u) { return json::object{{"id", u.id}, {"email", u.email}}; }

// The password check of sign-in and of the key roll: refused while the e-mail or the address is
// locked; a wrong password counts towards the lock; an unknown e-mail costs the same as a known
// one (a decoy hash) and gets the same answer. The user on success.
Result<store::UserRow> checkPassword(const SessionDeps& d, std::string_view email, std::string_view password,
                                     std::string_view ip) {
  const int64_t now = d.clock.nowMicros();
  // Counted before the check of the password (given back on success): see LoginThrottle::begin.
  if (!d.throttle.begin(email, ip, now)) return api::error(api::Err::SignInLocked);
  auto user = d.store.findUserByEmail(text::asciiLower(email));
  if (!user) return user.error();
  const bool ok = *user ? auth::passwordMatches((*user)->password_hash, password)
                        : (auth::checkNoPassword(password), false);
  if (!ok) return api::error(api::Err::SignInRefused);
  d.throttle.succeeded(email, ip, now);
  return std::move(**user);
}

// The session behind the request's cookie, for a state-changing call: its CSRF token must be in
// X-CSRF-Token. The cookie's value on success.
Result<std::string> sessionWithCsrf(const SessionDeps& d, Context& ctx) {
  std::string secret = api::sessionCookieValue(ctx.req.base());
  if (secret.empty() || !d.sessions.csrfMatches(secret, ctx.req["X-CSRF-Token"], d.clock.nowMicros()))
    return api::error(api::Err::CsrfRefused);
  return secret;
}

}  // namespace

void registerSessionRoutes(api::Router& router, SessionDeps d) {
  router.add({verb::post, kPath, Access::only(Access::Kind::kPublic), 16 * 1024, false,
              [d](Context& ctx) -> Result<Reply> {
                auto body = api::parseJsonObject(ctx.req.body(), false);
                if (!body) return body.error();
                api::FieldReader r(*body);
                r.rejectUnknown({"email", "password"});
                auto email = r.str("email", 254, Need::kRequired);
                auto password = r.str("password", 1024, Need::kRequired);
                if (!r.ok()) return r.error();
                auto user = checkPassword(d, *email, *password, ctx.client_ip);
                if (!user) return user.error();
                const int64_t now = d.clock.nowMicros();
                // A cookie the browser already had is never carried over (session fixation):
                // it ends, and the sign-in gets a secret of its own.
                if (std::string old = api::sessionCookieValue(ctx.req.base()); !old.empty())
                  d.sessions.destroy(old);
                auth::NewSession s = d.sessions.create(user->id, now);
                Reply out = Reply::ok(json::object{{"user", userJson(*user)}, {"csrf_token", s.csrf}});
                out.headers.emplace_back("Set-Cookie",
                                         setCookie(d, s.secret, auth::SessionStore::kAbsolute / 1000000));
                out.headers.emplace_back("Cache-Control", "no-store");
                return out;
              },
              "Dashboard sign-in"});

  router.add({verb::get, kPath, Access::only(Access::Kind::kPublic), 0, false,
              [d](Context& ctx) -> Result<Reply> {
                const std::string secret = api::sessionCookieValue(ctx.req.base());
                auto session = secret.empty() ? std::nullopt
                                              : d.sessions.find(secret, d.clock.nowMicros());
                if (!session) return api::error(api::Err::SessionInvalid);
                auto user = d.store.getUser(session->user_id);
                if (!user) return user.error();
                if (!*user) return api::error(api::Err::SessionInvalid);
                Reply out = Reply::ok(json::object{{"user", userJson(**user)},
                                                   {"csrf_token", d.sessions.csrfFor(secret)}});
                out.headers.emplace_back("Cache-Control", "no-store");
                return out;
              },
              "Dashboard session"});

  router.add({verb::delete_, kPath, Access::only(Access::Kind::kPublic), 0, false,
              [d](Context& ctx) -> Result<Reply> {
                auto secret = sessionWithCsrf(d, ctx);
                if (!secret) return secret.error();
                d.sessions.destroy(*secret);
                Reply out = Reply::ok(json::object{});
                out.headers.emplace_back("Set-Cookie", setCookie(d, "", 0));
                return out;
              },
              "Dashboard sign-out"});

  router.add({verb::post, "/dashboard/api/global_api_key/roll", Access::only(Access::Kind::kPublic), 16 * 1024,
              false,
              [d](Context& ctx) -> Result<Reply> {
                auto secret = sessionWithCsrf(d, ctx);
                if (!secret) return secret.error();
                auto session = d.sessions.find(*secret, d.clock.nowMicros());
                if (!session) return api::error(api::Err::SessionInvalid);
                auto body = api::parseJsonObject(ctx.req.body(), false);
                if (!body) return body.error();
                api::FieldReader r(*body);
                r.rejectUnknown({"password"});
                auto password = r.str("password", 1024, Need::kRequired);
                if (!r.ok()) return r.error();
                auto owner = d.store.getUser(session->user_id);
                if (!owner) return owner.error();
                if (!*owner) return api::error(api::Err::SessionInvalid);
                // The password is the session user's own: typed again, throttled as a sign-in.
                auto user = checkPassword(d, (*owner)->email, *password, ctx.client_ip);
                if (!user) return user.error();
                const std::string key = ids::newGlobalKey(d.rng);
                user->global_key_hash = auth::globalKeyHash(d.authn.hasher(), key);
                user->modified_on = d.clock.nowMicros();
                if (Status st = d.store.updateUser(*user); !st) return st.error();
                // Cached principals of the old key go with it.
                d.authn.invalidateAll();
                Reply out = Reply::ok(json::object{{"global_api_key", key}});
                out.headers.emplace_back("Cache-Control", "no-store");
                return out;
              },
              "Dashboard Global API Key roll"});
}

}  // namespace nubis::dashboard
