// A7: token validity windows on the FakeClock. The rule (auth/principal.h): usable iff
// not_before <= now < expires_on; the API reports "expired" once now >= expires_on.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api_helpers.h"
#include "test_server.h"

namespace nubis::testing {
namespace {
namespace json = boost::json;

struct Point {
  const char* label;
  int64_t offset_us;  // from t
  bool usable;
  const char* reported;  // status in GET /user/tokens/{id}
};

TEST(TtlTest, ValidityWindowEdges) {
  TestServer srv;
  const std::string& admin = srv.boot().api_token;
  const int64_t t = kStartMicros + 100 * kSecond;
  json::object body = tokenBody("ttl", {policy({pg::kApiTokensRead}, {userRes(srv.boot().user_id)})});
  body["not_before"] = rfc3339(t);
  body["expires_on"] = rfc3339(t + 60 * kSecond);
  Created tok = createToken(srv, admin, body);
  ASSERT_EQ(tok.res.status, 200u) << tok.res.describe();
  EXPECT_EQ(str(tok.res.result(), "not_before"), "2026-01-01T00:01:40Z");
  EXPECT_EQ(str(tok.res.result(), "expires_on"), "2026-01-01T00:02:40Z");

  const Point points[] = {
      {"t-1s", -1 * kSecond, false, "active"},
      {"t-1us", -1, false, "active"},
      {"t", 0, true, "active"},
      {"t+59s", 59 * kSecond, true, "active"},
      {"t+60s-1us", 60 * kSecond - 1, true, "active"},
      {"t+60s", 60 * kSecond, false, "expired"},
      {"t+61s", 61 * kSecond, false, "expired"},
  };
  for (const Point& p : points) {
    SCOPED_TRACE(p.label);
    srv.clock().set(t + p.offset_us);

    Response v = verify(srv, tok.secret);
    if (p.usable) {
      ASSERT_EQ(v.status, 200u) << v.describe();
      EXPECT_EQ(str(v.result(), "status"), "active");
      EXPECT_EQ(str(v.result(), "id"), tok.id);
      EXPECT_EQ(str(v.result(), "not_before"), rfc3339(t));
      EXPECT_EQ(str(v.result(), "expires_on"), rfc3339(t + 60 * kSecond));
    } else {
      EXPECT_EQ(v.status, 401u) << v.describe();
      EXPECT_EQ(v.errorCode(), 1000);
      EXPECT_FALSE(v.success());
    }

    // A permission-checked route with the token itself.
    Response use = srv.call("GET", "/user/tokens/" + tok.id, tok.secret);
    if (p.usable) {
      EXPECT_EQ(use.status, 200u) << use.describe();
    } else {
      EXPECT_EQ(use.status, 403u) << use.describe();
      EXPECT_EQ(use.errorCode(), 9109);
    }

    // What the owner sees.
    Response got = srv.call("GET", "/user/tokens/" + tok.id, admin);
    ASSERT_EQ(got.status, 200u) << got.describe();
    EXPECT_EQ(str(got.result(), "status"), p.reported);

    // Lists hide expired tokens unless include_expired=true.
    Response list = srv.call("GET", "/user/tokens", admin);
    ASSERT_EQ(list.status, 200u);
    bool listed = list.body.find(tok.id) != std::string::npos;
    EXPECT_EQ(listed, std::string(p.reported) != "expired") << list.body;
    Response all = srv.call("GET", "/user/tokens?include_expired=true", admin);
    EXPECT_NE(all.body.find(tok.id), std::string::npos);
  }
}

TEST(TtlTest, OnlyNotBeforeOrOnlyExpiresOn) {
  TestServer srv;
  const std::string& admin = srv.boot().api_token;
  const int64_t t = kStartMicros + 10 * kSecond;

  json::object later = tokenBody("later", {policy({pg::kZoneRead}, {zoneRes("*")})});
  later["not_before"] = rfc3339(t);
  Created a = createToken(srv, admin, later);
  ASSERT_EQ(a.res.status, 200u) << a.res.describe();
  EXPECT_FALSE(a.res.result().as_object().contains("expires_on"));

  json::object soon = tokenBody("soon", {policy({pg::kZoneRead}, {zoneRes("*")})});
  soon["expires_on"] = rfc3339(t);
  Created b = createToken(srv, admin, soon);
  ASSERT_EQ(b.res.status, 200u) << b.res.describe();

  srv.clock().set(t - kSecond);
  EXPECT_EQ(verify(srv, a.secret).status, 401u);
  EXPECT_EQ(verify(srv, b.secret).status, 200u);
  srv.clock().set(t);
  EXPECT_EQ(verify(srv, a.secret).status, 200u);
  EXPECT_EQ(verify(srv, b.secret).status, 401u);
  srv.clock().set(t + 3650LL * 86400 * kSecond);  // ten years on: never expires
  EXPECT_EQ(verify(srv, a.secret).status, 200u);
}

TEST(TtlTest, UpdateMovesTheWindowAndClearsIt) {
  TestServer srv;
  const std::string& admin = srv.boot().api_token;
  json::object body = tokenBody("moving", {policy({pg::kZoneRead}, {zoneRes("*")})});
  body["expires_on"] = rfc3339(kStartMicros + 5 * kSecond);
  Created tok = createToken(srv, admin, body);
  ASSERT_EQ(tok.res.status, 200u);
  srv.clock().set(kStartMicros + 6 * kSecond);
  EXPECT_EQ(verify(srv, tok.secret).status, 401u);

  body["expires_on"] = rfc3339(kStartMicros + 600 * kSecond);
  ASSERT_EQ(srv.call("PUT", "/user/tokens/" + tok.id, admin, body).status, 200u);
  EXPECT_EQ(verify(srv, tok.secret).status, 200u);

  body["expires_on"] = rfc3339(kStartMicros + 1 * kSecond);
  ASSERT_EQ(srv.call("PUT", "/user/tokens/" + tok.id, admin, body).status, 200u);
  EXPECT_EQ(verify(srv, tok.secret).status, 401u);

  // An update without the TTL fields removes them (PUT replaces).
  body.erase("expires_on");
  Response up = srv.call("PUT", "/user/tokens/" + tok.id, admin, body);
  ASSERT_EQ(up.status, 200u);
  EXPECT_FALSE(up.result().as_object().contains("expires_on"));
  EXPECT_EQ(verify(srv, tok.secret).status, 200u);
}

TEST(TtlTest, OffsetsAreNormalisedAndBadTimesRefused) {
  TestServer srv;
  const std::string& admin = srv.boot().api_token;
  json::object body = tokenBody("tz", {policy({pg::kZoneRead}, {zoneRes("*")})});
  body["not_before"] = "2026-01-01T01:01:40+01:00";  // = t of the edge test
  body["expires_on"] = "2025-12-31T19:02:40-05:00";
  Created tok = createToken(srv, admin, body);
  ASSERT_EQ(tok.res.status, 200u) << tok.res.describe();
  EXPECT_EQ(str(tok.res.result(), "not_before"), "2026-01-01T00:01:40Z");
  EXPECT_EQ(str(tok.res.result(), "expires_on"), "2026-01-01T00:02:40Z");

  json::object inverted = tokenBody("inv", {policy({pg::kZoneRead}, {zoneRes("*")})});
  inverted["not_before"] = rfc3339(kStartMicros + 60 * kSecond);
  inverted["expires_on"] = rfc3339(kStartMicros + 60 * kSecond);
  Response r = srv.call("POST", "/user/tokens", admin, inverted);
  EXPECT_EQ(r.status, 400u) << r.describe();
  EXPECT_NE(r.errorMessage().find("expires_on"), std::string::npos) << r.body;

  json::object garbage = tokenBody("junk", {policy({pg::kZoneRead}, {zoneRes("*")})});
  garbage["expires_on"] = "next tuesday";
  Response g = srv.call("POST", "/user/tokens", admin, garbage);
  EXPECT_EQ(g.status, 400u) << g.describe();
  EXPECT_NE(g.errorMessage().find("expires_on"), std::string::npos) << g.body;
}

}  // namespace
}  // namespace nubis::testing
