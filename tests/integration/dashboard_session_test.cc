// The dashboard's sign-in over HTTP (src/dashboard/session_routes.h) and the session cookie as a
// v4 API credential (api::SessionCookie): cookie flags, CSRF on every state-changing call,
// session fixation, sign-out, lockout, expiry, and precedence of API credentials.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

#include <boost/json/serialize.hpp>

#include "dashboard/assets.h"
#include "test_server.h"

namespace nubis::testing {
namespace {

namespace json = boost::json;

struct SignIn {
  Response response;
  std::string cookie;  // "nubis_session=<secret>"
  std::string csrf;
};

SignIn signIn(TestServer& srv, const std::string& email, const std::string& password,
              Headers extra = {}) {
  extra.emplace_back("Content-Type", "application/json");
  SignIn out;
  out.response = srv.request("POST", "/dashboard/api/session", extra,
                             json::serialize(json::object{{"email", email}, {"password", password}}));
  const std::string set = out.response.header("Set-Cookie");
  out.cookie = set.substr(0, set.find(';'));
  if (out.response.status == 200) out.csrf = std::string(out.response.result().at("csrf_token").as_string());
  return out;
}

TEST(DashboardSessionIt, SignInSetsAStrictHttpOnlyCookieThatActsAsTheUser) {
  TestServer srv;
  SignIn s = signIn(srv, srv.boot().email, srv.boot().password);
  ASSERT_EQ(s.response.status, 200u) << s.response.describe();
  const std::string set = s.response.header("Set-Cookie");
  EXPECT_EQ(set.rfind("nubis_session=", 0), 0u) << set;
  for (const char* flag : {"; HttpOnly", "; SameSite=Strict", "; Path=/", "; Max-Age=604800"}) {
    EXPECT_NE(set.find(flag), std::string::npos) << flag << " in " << set;
  }
  EXPECT_EQ(s.response.header("Cache-Control"), "no-store");
  EXPECT_EQ(s.response.result().at("user").at("id").as_string(), srv.boot().user_id);
  EXPECT_EQ(s.csrf.size(), 64u);

  Response me = srv.request("GET", "/client/v4/user", {{"Cookie", s.cookie}});
  ASSERT_EQ(me.status, 200u) << me.describe();
  EXPECT_EQ(me.result().at("id").as_string(), srv.boot().user_id);
  Response zones = srv.request("GET", "/client/v4/accounts/" + srv.boot().account_id, {{"Cookie", s.cookie}});
  EXPECT_EQ(zones.status, 200u) << zones.describe();
  Response again = srv.request("GET", "/dashboard/api/session", {{"Cookie", "theme=dark; " + s.cookie}});
  ASSERT_EQ(again.status, 200u) << again.describe();
  EXPECT_EQ(again.result().at("csrf_token").as_string(), s.csrf) << "the same token on a reload";
}

// Served over TLS (a proxy in front, --public-url https://…), the cookie is Secure as well; over
// plain HTTP it cannot be (the browser would drop it).
TEST(DashboardSessionIt, TheCookieIsSecureWhenThePublicUrlIsHttps) {
  TestServerOptions o;
  o.public_url = "https://nubis.example.test";
  TestServer tls(o);
  SignIn s = signIn(tls, tls.boot().email, tls.boot().password);
  ASSERT_EQ(s.response.status, 200u) << s.response.describe();
  EXPECT_NE(s.response.header("Set-Cookie").find("; Secure"), std::string::npos) << s.response.header("Set-Cookie");
  TestServer plain;
  SignIn p = signIn(plain, plain.boot().email, plain.boot().password);
  EXPECT_EQ(p.response.header("Set-Cookie").find("Secure"), std::string::npos) << p.response.header("Set-Cookie");
}

TEST(DashboardSessionIt, StateChangingCallsNeedTheSessionsCsrfToken) {
  TestServer srv;
  SignIn s = signIn(srv, srv.boot().email, srv.boot().password);
  SignIn other = signIn(srv, srv.boot().email, srv.boot().password);
  const std::string body = R"({"name":"from the dashboard","policies":[{"effect":"allow",)"
                           R"("permission_groups":[{"id":"8acbe5bb0d54464ab867149d7f7cf8ac"}],)"
                           R"("resources":{"com.cloudflare.api.user.)" + srv.boot().user_id + R"(":"*"}}]})";
  auto post = [&](Headers h) {
    h.emplace_back("Cookie", s.cookie);
    h.emplace_back("Content-Type", "application/json");
    return srv.request("POST", "/client/v4/user/tokens", h, body);
  };
  for (const Headers& bad : {Headers{}, Headers{{"X-CSRF-Token", ""}}, Headers{{"X-CSRF-Token", other.csrf}},
                             Headers{{"X-CSRF-Token", s.cookie.substr(14)}}}) {
    Response r = post(bad);
    EXPECT_EQ(r.status, 403u) << r.describe();
    EXPECT_EQ(r.errorCode(), 10000);
  }
  // With it, the session may manage tokens (the Global API Key may not: /user/tokens is token-only).
  Response ok = post({{"X-CSRF-Token", s.csrf}});
  ASSERT_EQ(ok.status, 200u) << ok.describe();
  EXPECT_EQ(ok.result().at("value").as_string().size(), 40u);
  // Reads need no token; verify is for tokens, not sessions.
  EXPECT_EQ(srv.request("GET", "/client/v4/user/tokens", {{"Cookie", s.cookie}}).status, 200u);
  Response verify = srv.request("GET", "/client/v4/user/tokens/verify", {{"Cookie", s.cookie}});
  EXPECT_EQ(verify.status, 401u) << verify.describe();
}

TEST(DashboardSessionIt, SignOutEndsTheSessionAndSignInNeverKeepsAGivenCookie) {
  TestServer srv;
  SignIn planted = signIn(srv, srv.boot().email, srv.boot().password);
  // Signing in with a cookie already set (planted by someone) issues a new one and ends the old.
  SignIn s = signIn(srv, srv.boot().email, srv.boot().password, {{"Cookie", planted.cookie}});
  ASSERT_EQ(s.response.status, 200u);
  EXPECT_NE(s.cookie, planted.cookie);
  EXPECT_EQ(srv.request("GET", "/client/v4/user", {{"Cookie", planted.cookie}}).status, 401u);
  // A made-up cookie is no session.
  EXPECT_EQ(srv.request("GET", "/client/v4/user", {{"Cookie", "nubis_session=" + std::string(40, 'A')}}).status, 401u);

  Response no_csrf = srv.request("DELETE", "/dashboard/api/session", {{"Cookie", s.cookie}});
  EXPECT_EQ(no_csrf.status, 403u) << no_csrf.describe();
  Response out = srv.request("DELETE", "/dashboard/api/session", {{"Cookie", s.cookie}, {"X-CSRF-Token", s.csrf}});
  ASSERT_EQ(out.status, 200u) << out.describe();
  EXPECT_NE(out.header("Set-Cookie").find("nubis_session=; "), std::string::npos);
  EXPECT_NE(out.header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(srv.request("GET", "/client/v4/user", {{"Cookie", s.cookie}}).status, 401u);
  EXPECT_EQ(srv.request("GET", "/dashboard/api/session", {{"Cookie", s.cookie}}).status, 401u);
}

TEST(DashboardSessionIt, WrongPasswordsAreOneAnswerAndFiveLockTheEmail) {
  TestServer srv;
  SignIn unknown = signIn(srv, "nobody@example.com", "whatever-it-is");
  SignIn wrong = signIn(srv, srv.boot().email, "not-the-password");
  for (const SignIn* s : {&unknown, &wrong}) {
    EXPECT_EQ(s->response.status, 401u) << s->response.describe();
    EXPECT_EQ(s->response.errorCode(), 9103);
    EXPECT_EQ(s->response.errorMessage(), "Invalid e-mail or password");
    EXPECT_FALSE(s->response.hasHeader("Set-Cookie"));
  }
  for (int i = 0; i < 4; ++i) signIn(srv, srv.boot().email, "still-wrong");
  SignIn locked = signIn(srv, srv.boot().email, srv.boot().password);
  EXPECT_EQ(locked.response.status, 429u) << locked.response.describe();
  EXPECT_EQ(locked.response.errorCode(), 971);
  srv.advance(15 * 60 * kSecond);
  EXPECT_EQ(signIn(srv, srv.boot().email, srv.boot().password).response.status, 200u);
}

// Wrong passwords sent all at once (each on its own connection, the argon2 checks overlapping on
// the worker threads): the lock still admits five, since each attempt is counted with its check.
TEST(DashboardSessionIt, ParallelWrongPasswordsGetNoMoreThanFiveTries) {
  TestServer srv;
  constexpr int kParallel = 12;
  std::vector<unsigned> status(kParallel, 0);
  std::vector<std::thread> threads;
  const std::string body = json::serialize(json::object{{"email", srv.boot().email}, {"password", "wrong-wrong"}});
  for (int i = 0; i < kParallel; ++i) {
    threads.emplace_back([&, i] {
      auto conn = srv.connect();
      status[i] = conn->request("POST", "/dashboard/api/session", {{"Content-Type", "application/json"}}, body).status;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(status.begin(), status.end(), 401u), 5);
  EXPECT_EQ(std::count(status.begin(), status.end(), 429u), kParallel - 5);
  EXPECT_EQ(signIn(srv, srv.boot().email, srv.boot().password).response.status, 429u);
}

TEST(DashboardSessionIt, ExpiresWhenIdleAndApiCredentialsWinOverTheCookie) {
  TestServer srv;
  SignIn s = signIn(srv, srv.boot().email, srv.boot().password);
  srv.advance(11 * 3600 * kSecond);
  EXPECT_EQ(srv.request("GET", "/client/v4/user", {{"Cookie", s.cookie}}).status, 200u);
  srv.advance(12 * 3600 * kSecond);
  EXPECT_EQ(srv.request("GET", "/client/v4/user", {{"Cookie", s.cookie}}).status, 401u);

  SignIn t = signIn(srv, srv.boot().email, srv.boot().password);
  // A bearer token and the cookie: the token decides (an unknown token is refused, whatever the
  // cookie).
  Response bearer = srv.request("GET", "/client/v4/user",
                                {{"Cookie", t.cookie}, {"Authorization", "Bearer " + std::string(40, 'x')}});
  EXPECT_EQ(bearer.status, 403u) << bearer.describe();
  // The cookie twice: neither is used.
  Response twice = srv.request("GET", "/client/v4/user", {{"Cookie", t.cookie + "; " + t.cookie}});
  EXPECT_EQ(twice.status, 400u) << twice.describe();
  EXPECT_EQ(twice.errorCode(), 9106);
}

// My Profile → Global API Key: the key is rolled with the session, its CSRF token and the password
// typed again; the new key is shown once and works, the old one stops at once.
TEST(DashboardSessionIt, TheGlobalApiKeyIsRolledWithThePasswordTypedAgain) {
  TestServer srv;
  SignIn s = signIn(srv, srv.boot().email, srv.boot().password);
  ASSERT_EQ(s.response.status, 200u);
  const std::string path = "/dashboard/api/global_api_key/roll";
  auto roll = [&](std::string password, Headers h) {
    h.emplace_back("Content-Type", "application/json");
    return srv.request("POST", path, h, json::serialize(json::object{{"password", password}}));
  };
  auto withKey = [&](const std::string& key) {
    return srv.request("GET", "/client/v4/user",
                       {{"X-Auth-Email", srv.boot().email}, {"X-Auth-Key", key}});
  };
  ASSERT_EQ(withKey(srv.boot().global_api_key).status, 200u);
  // No session, no CSRF token, another credential: refused before the password is looked at.
  EXPECT_EQ(roll(srv.boot().password, {}).status, 403u);
  EXPECT_EQ(roll(srv.boot().password, {{"Cookie", s.cookie}}).status, 403u);
  EXPECT_EQ(roll(srv.boot().password, {{"X-Auth-Email", srv.boot().email}, {"X-Auth-Key", srv.boot().global_api_key},
                                       {"X-CSRF-Token", s.csrf}}).status, 403u);
  // A wrong password: the sign-in's answer, and the key unchanged.
  Response wrong = roll("not the password", {{"Cookie", s.cookie}, {"X-CSRF-Token", s.csrf}});
  EXPECT_EQ(wrong.status, 401u) << wrong.describe();
  EXPECT_EQ(wrong.errorCode(), 9103);
  EXPECT_EQ(withKey(srv.boot().global_api_key).status, 200u);

  Response ok = roll(srv.boot().password, {{"Cookie", s.cookie}, {"X-CSRF-Token", s.csrf}});
  ASSERT_EQ(ok.status, 200u) << ok.describe();
  EXPECT_EQ(ok.header("Cache-Control"), "no-store");
  const std::string key(ok.result().at("global_api_key").as_string());
  EXPECT_EQ(key.size(), 37u);
  EXPECT_NE(key, srv.boot().global_api_key);
  EXPECT_EQ(withKey(key).status, 200u);
  EXPECT_EQ(withKey(srv.boot().global_api_key).status, 403u) << "the old key stops at once";
  // Never logged.
  for (const std::string& line : srv.log().lines()) EXPECT_EQ(line.find(key), std::string::npos) << line;
  // The session goes on.
  EXPECT_EQ(srv.request("GET", "/client/v4/user", {{"Cookie", s.cookie}}).status, 200u);
}

// The page and its files come from the binary, with headers that keep the page to itself.
TEST(DashboardSessionIt, ThePageIsServedAtTheRootWithAStrictPolicy) {
  TestServer srv;
  Response page = srv.request("GET", "/");
  ASSERT_EQ(page.status, 200u) << page.describe();
  EXPECT_EQ(page.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("<form id=\"sign-in-form\""), std::string::npos);
  const std::string csp = page.header("Content-Security-Policy");
  for (const char* d : {"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "connect-src 'self'"}) {
    EXPECT_NE(csp.find(d), std::string::npos) << d << " in " << csp;
  }
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
  EXPECT_EQ(page.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(page.header("X-Frame-Options"), "DENY");
  EXPECT_EQ(page.header("Referrer-Policy"), "no-referrer");
  // No inline script: every script is a file of the same origin.
  EXPECT_EQ(page.body.find("<script>"), std::string::npos);
  // Images come from this origin and the delivery origin only.
  const std::string& delivery = srv.app().deliveryBaseUrl();
  EXPECT_NE(csp.find("img-src 'self' data: blob: " + delivery + ";"), std::string::npos) << csp;
  Response lib = srv.request("GET", "/dashboard/assets/lib.js");
  ASSERT_EQ(lib.status, 200u);
  EXPECT_EQ(lib.header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_NE(lib.body.find("X-CSRF-Token"), std::string::npos);
  // API text is always set as text: no script of the page writes markup.
  int scripts = 0;
  for (const dashboard::Asset& a : dashboard::embeddedAssets()) {
    if (!a.name.ends_with(".js")) continue;
    ++scripts;
    Response js = srv.request("GET", "/dashboard/assets/" + std::string(a.name));
    ASSERT_EQ(js.status, 200u) << a.name;
    EXPECT_EQ(js.body, a.body) << a.name;
    for (const char* sink : {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("})
      EXPECT_EQ(js.body.find(sink), std::string::npos) << sink << " in " << a.name;
  }
  EXPECT_GE(scripts, 2);
  EXPECT_EQ(srv.request("GET", "/dashboard/assets/app.css").header("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(srv.request("GET", "/dashboard/assets/secrets.txt").status / 100, 4u);
  EXPECT_EQ(srv.request("GET", "/dashboard/assets/..%2f..%2fnubis.db").status / 100, 4u);
}

}  // namespace
}  // namespace nubis::testing
