// The API-token lifecycle over HTTP (RELIABILITY §1): secret shown once, update replaces, disable,
// roll (old secret dead at once), delete; the 50-token quota; the privilege ceiling (A3);
// account-owned tokens; the verify response exactly as Cloudflare's documented example.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api_helpers.h"
#include "test_server.h"

namespace nubis::testing {
namespace {
namespace json = boost::json;

bool hasKey(const json::value& v, std::string_view key) {
  return v.is_object() && v.as_object().contains(key);
}

std::vector<std::string> groupIds(const json::value& token) {
  std::vector<std::string> out;
  for (const auto& p : token.at("policies").as_array())
    for (const auto& g : p.at("permission_groups").as_array())
      out.emplace_back(g.at("id").as_string());
  return out;
}

TEST(TokensTest, CreateShowsSecretOnceAndReadsNeverShowIt) {
  TestServer srv;
  Created t = createSimpleToken(srv, "ci-token");
  ASSERT_EQ(t.res.status, 200u) << t.res.describe();
  EXPECT_TRUE(t.res.success());
  EXPECT_EQ(t.id.size(), 32u);
  EXPECT_EQ(t.secret.size(), 40u);
  EXPECT_EQ(str(t.res.result(), "status"), "active");
  EXPECT_EQ(str(t.res.result(), "name"), "ci-token");

  Response got = srv.call("GET", "/user/tokens/" + t.id, srv.boot().api_token);
  ASSERT_EQ(got.status, 200u) << got.describe();
  EXPECT_EQ(str(got.result(), "id"), t.id);
  EXPECT_FALSE(hasKey(got.result(), "value"));
  EXPECT_EQ(got.body.find(t.secret), std::string::npos);

  Response list = srv.call("GET", "/user/tokens", srv.boot().api_token);
  ASSERT_EQ(list.status, 200u) << list.describe();
  bool listed = false;
  for (const auto& item : list.result().as_array()) {
    EXPECT_FALSE(hasKey(item, "value"));
    listed = listed || str(item, "id") == t.id;
  }
  EXPECT_TRUE(listed);
  EXPECT_EQ(list.body.find(t.secret), std::string::npos);
  EXPECT_EQ(list.body.find(srv.boot().api_token), std::string::npos);

  Response v = verify(srv, t.secret);
  ASSERT_EQ(v.status, 200u) << v.describe();
  EXPECT_EQ(str(v.result(), "id"), t.id);
}

TEST(TokensTest, VerifyResponseIsExactlyCloudflares) {
  TestServer srv;
  Created t = createSimpleToken(srv, "verify-shape");
  ASSERT_EQ(t.res.status, 200u) << t.res.describe();
  Response v = verify(srv, t.secret);
  ASSERT_EQ(v.status, 200u) << v.describe();
  EXPECT_EQ(v.header("Content-Type"), "application/json");
  json::value expected = json::object{
      {"result", json::object{{"id", t.id}, {"status", "active"}}},
      {"success", true},
      {"errors", json::array()},
      {"messages", json::array{json::object{{"code", 10000},
                                            {"message", "This API Token is valid and active"},
                                            {"type", nullptr}}}}};
  EXPECT_EQ(v.json, expected) << v.body;
}

TEST(TokensTest, UpdateReplacesNamePoliciesAndStatus) {
  TestServer srv;
  const std::string& admin = srv.boot().api_token;
  Created t = createSimpleToken(srv, "before");
  ASSERT_EQ(t.res.status, 200u) << t.res.describe();

  json::object body = tokenBody("after", {policy({pg::kDnsRead}, {zoneRes("*")})});
  Response up = srv.call("PUT", "/user/tokens/" + t.id, admin, body);
  ASSERT_EQ(up.status, 200u) << up.describe();
  EXPECT_EQ(str(up.result(), "name"), "after");
  EXPECT_FALSE(hasKey(up.result(), "value"));
  EXPECT_EQ(groupIds(up.result()), std::vector<std::string>{std::string(pg::kDnsRead)});

  Response got = srv.call("GET", "/user/tokens/" + t.id, admin);
  ASSERT_EQ(got.status, 200u);
  EXPECT_EQ(str(got.result(), "name"), "after");
  EXPECT_EQ(groupIds(got.result()), std::vector<std::string>{std::string(pg::kDnsRead)});
  EXPECT_EQ(got.result().at("policies").as_array().size(), 1u);
  // The secret did not change with the update.
  EXPECT_EQ(verify(srv, t.secret).status, 200u);

  // Disabled: refused everywhere, reported "disabled"; re-enabled: works again.
  body["status"] = "disabled";
  Response off = srv.call("PUT", "/user/tokens/" + t.id, admin, body);
  ASSERT_EQ(off.status, 200u) << off.describe();
  EXPECT_EQ(str(off.result(), "status"), "disabled");
  Response v = verify(srv, t.secret);
  EXPECT_EQ(v.status, 401u) << v.describe();
  EXPECT_EQ(v.errorCode(), 1000);
  EXPECT_FALSE(v.success());
  Response use = srv.call("GET", "/zones", t.secret);
  EXPECT_EQ(use.status, 403u) << use.describe();
  EXPECT_EQ(use.errorCode(), 9109);

  body["status"] = "active";
  ASSERT_EQ(srv.call("PUT", "/user/tokens/" + t.id, admin, body).status, 200u);
  EXPECT_EQ(verify(srv, t.secret).status, 200u);

  // Refused input names the field.
  json::object bad = tokenBody("x", {policy({pg::kDnsRead}, {zoneRes("*")})});
  bad["status"] = "paused";
  Response r = srv.call("PUT", "/user/tokens/" + t.id, admin, bad);
  EXPECT_EQ(r.status, 400u);
  EXPECT_NE(r.errorMessage().find("status"), std::string::npos) << r.body;
}

TEST(TokensTest, RollKillsOldSecretAtOnceAndKeepsId) {
  TestServer srv;
  const std::string& admin = srv.boot().api_token;
  Created t = createSimpleToken(srv, "roll-me");
  ASSERT_EQ(t.res.status, 200u);
  ASSERT_EQ(verify(srv, t.secret).status, 200u);  // also warms the authenticator's cache

  Response roll = srv.call("PUT", "/user/tokens/" + t.id + "/value", admin, json::object{});
  ASSERT_EQ(roll.status, 200u) << roll.describe();
  ASSERT_TRUE(roll.result().is_string()) << roll.body;
  std::string fresh(roll.result().get_string());
  EXPECT_EQ(fresh.size(), 40u);
  EXPECT_NE(fresh, t.secret);

  Response old = verify(srv, t.secret);
  EXPECT_EQ(old.status, 401u) << old.describe();
  EXPECT_EQ(old.errorCode(), 1000);
  Response now = verify(srv, fresh);
  ASSERT_EQ(now.status, 200u) << now.describe();
  EXPECT_EQ(str(now.result(), "id"), t.id);

  // Same token, same policies; the new secret is not readable afterwards either.
  Response got = srv.call("GET", "/user/tokens/" + t.id, admin);
  ASSERT_EQ(got.status, 200u);
  EXPECT_EQ(groupIds(got.result()), std::vector<std::string>{std::string(pg::kZoneRead)});
  EXPECT_EQ(got.body.find(fresh), std::string::npos);

  // Roll without any body (what the SDK sends) works too.
  Response again = srv.request("PUT", "/client/v4/user/tokens/" + t.id + "/value",
                               {{"Authorization", "Bearer " + admin}});
  ASSERT_EQ(again.status, 200u) << again.describe();
  EXPECT_EQ(verify(srv, fresh).status, 401u);
}

TEST(TokensTest, DeleteRefusesSecretAndGetIs404) {
  TestServer srv;
  const std::string& admin = srv.boot().api_token;
  Created t = createSimpleToken(srv, "delete-me");
  ASSERT_EQ(t.res.status, 200u);
  ASSERT_EQ(verify(srv, t.secret).status, 200u);

  Response del = srv.call("DELETE", "/user/tokens/" + t.id, admin);
  ASSERT_EQ(del.status, 200u) << del.describe();
  EXPECT_EQ(str(del.result(), "id"), t.id);

  Response v = verify(srv, t.secret);
  EXPECT_EQ(v.status, 401u) << v.describe();
  EXPECT_EQ(v.errorCode(), 1000);
  Response got = srv.call("GET", "/user/tokens/" + t.id, admin);
  EXPECT_EQ(got.status, 404u) << got.describe();
  EXPECT_EQ(got.errorCode(), 1003);
  EXPECT_EQ(srv.call("DELETE", "/user/tokens/" + t.id, admin).status, 404u);
  EXPECT_EQ(srv.call("PUT", "/user/tokens/" + t.id + "/value", admin, json::object{}).status, 404u);
}

TEST(TokensTest, QuotaIs50UserTokens) {
  TestServer srv;
  // The bootstrap token is the first of the user's 50.
  for (int i = 2; i <= 50; ++i) {
    Created t = createSimpleToken(srv, "quota-" + std::to_string(i));
    ASSERT_EQ(t.res.status, 200u) << "token #" << i << ": " << t.res.describe();
  }
  Created over = createSimpleToken(srv, "quota-51");
  EXPECT_EQ(over.res.status, 400u) << over.res.describe();
  EXPECT_FALSE(over.res.success());
  EXPECT_TRUE(over.secret.empty());
  Response list = srv.call("GET", "/user/tokens?per_page=50", srv.boot().api_token);
  ASSERT_EQ(list.status, 200u);
  EXPECT_EQ(list.result().as_array().size(), 50u);

  // Deleting one frees one slot.
  std::string victim = str(list.result().as_array()[1], "id");
  if (victim == srv.boot().api_token_id) victim = str(list.result().as_array()[2], "id");
  ASSERT_EQ(srv.call("DELETE", "/user/tokens/" + victim, srv.boot().api_token).status, 200u);
  EXPECT_EQ(createSimpleToken(srv, "quota-again").res.status, 200u);
  EXPECT_EQ(createSimpleToken(srv, "quota-over-again").res.status, 400u);
}

TEST(TokensTest, NoEscalationThroughCreateOrUpdate) {
  TestServer srv;
  const std::string zone_a = createZone(srv, "alpha-example.com");
  const std::string zone_b = createZone(srv, "bravo-example.com");
  ASSERT_FALSE(zone_a.empty());
  ASSERT_FALSE(zone_b.empty());
  const std::string me = userRes(srv.boot().user_id);

  // Limited: API Tokens Write on the user + DNS Read on zone A.
  Created lim = createToken(srv, srv.boot().api_token,
                            tokenBody("limited", {policy({pg::kApiTokensWrite}, {me}),
                                                  policy({pg::kDnsRead}, {zoneRes(zone_a)})}));
  ASSERT_EQ(lim.res.status, 200u) << lim.res.describe();

  auto refused = [&](const json::object& body, const char* what) {
    Response r = srv.call("POST", "/user/tokens", lim.secret, body);
    EXPECT_EQ(r.status, 403u) << what << ": " << r.describe();
    EXPECT_FALSE(r.success()) << what;
    EXPECT_TRUE(str(r.result(), "value").empty()) << what;
  };
  refused(tokenBody("w", {policy({pg::kDnsWrite}, {zoneRes(zone_a)})}), "DNS Write on A");
  refused(tokenBody("b", {policy({pg::kDnsRead}, {zoneRes(zone_b)})}), "DNS Read on B");
  refused(tokenBody("all", {policy({pg::kDnsRead}, {zoneRes("*")})}), "DNS Read on all zones");
  json::object nested = policy({pg::kDnsRead}, {});
  nested["resources"] = json::object{
      {accountRes(srv.boot().account_id), json::object{{zoneRes("*"), "*"}}}};
  refused(tokenBody("acct", {nested}), "DNS Read on every zone of the account");
  refused(tokenBody("zr", {policy({pg::kZoneRead}, {zoneRes(zone_a)})}), "Zone Read on A");
  refused(tokenBody("mixed", {policy({pg::kDnsRead}, {zoneRes(zone_a)}),
                              policy({pg::kDnsWrite}, {zoneRes(zone_b)})}),
          "narrow + broad policies together");

  // Nothing was created by the refused attempts.
  Response list = srv.call("GET", "/user/tokens", srv.boot().api_token);
  ASSERT_EQ(list.status, 200u);
  EXPECT_EQ(list.result().as_array().size(), 2u) << list.body;

  // Narrower (and equal) tokens are fine.
  Created narrow = createToken(srv, lim.secret,
                               tokenBody("narrow", {policy({pg::kDnsRead}, {zoneRes(zone_a)})}));
  EXPECT_EQ(narrow.res.status, 200u) << narrow.res.describe();
  EXPECT_EQ(verify(srv, narrow.secret).status, 200u);
  Created same = createToken(srv, lim.secret,
                             tokenBody("same", {policy({pg::kApiTokensWrite}, {me}),
                                                policy({pg::kDnsRead}, {zoneRes(zone_a)})}));
  EXPECT_EQ(same.res.status, 200u) << same.res.describe();

  // Updating itself (or its child) to something broader is refused and changes nothing.
  json::object broader = tokenBody("limited", {policy({pg::kApiTokensWrite}, {me}),
                                               policy({pg::kDnsWrite}, {zoneRes(zone_a)})});
  Response self = srv.call("PUT", "/user/tokens/" + lim.id, lim.secret, broader);
  EXPECT_EQ(self.status, 403u) << self.describe();
  Response child = srv.call("PUT", "/user/tokens/" + narrow.id, lim.secret,
                            tokenBody("narrow", {policy({pg::kDnsRead}, {zoneRes(zone_b)})}));
  EXPECT_EQ(child.status, 403u) << child.describe();
  Response got = srv.call("GET", "/user/tokens/" + lim.id, srv.boot().api_token);
  ASSERT_EQ(got.status, 200u);
  EXPECT_EQ(groupIds(got.result()),
            (std::vector<std::string>{std::string(pg::kApiTokensWrite), std::string(pg::kDnsRead)}));
  // Narrowing its child is allowed.
  Response ok = srv.call("PUT", "/user/tokens/" + narrow.id, lim.secret,
                         tokenBody("narrow2", {policy({pg::kDnsRead}, {zoneRes(zone_a)})}));
  EXPECT_EQ(ok.status, 200u) << ok.describe();
}

TEST(TokensTest, AccountOwnedTokens) {
  TestServer srv;
  const std::string acct = srv.boot().account_id;
  const std::string prefix = "/accounts/" + acct + "/tokens";
  Created t = createToken(srv, srv.boot().api_token,
                          tokenBody("acct-token", {policy({pg::kAccountSettingsRead}, {accountRes(acct)})}),
                          prefix);
  ASSERT_EQ(t.res.status, 200u) << t.res.describe();
  EXPECT_EQ(t.secret.size(), 40u);

  Response v = srv.call("GET", prefix + "/verify", t.secret);
  ASSERT_EQ(v.status, 200u) << v.describe();
  json::value expected = json::object{
      {"result", json::object{{"id", t.id}, {"status", "active"}}},
      {"success", true},
      {"errors", json::array()},
      {"messages", json::array{json::object{{"code", 10000},
                                            {"message", "This API Token is valid and active"},
                                            {"type", nullptr}}}}};
  EXPECT_EQ(v.json, expected) << v.body;

  Response uv = verify(srv, t.secret);
  EXPECT_EQ(uv.status, 401u) << uv.describe();
  EXPECT_EQ(uv.errorCode(), 1000);
  // A user token is not an account token either.
  Response wrong_kind = srv.call("GET", prefix + "/verify", srv.boot().api_token);
  EXPECT_EQ(wrong_kind.status, 401u) << wrong_kind.describe();
  EXPECT_EQ(wrong_kind.errorCode(), 1000);
  // Another account's verify path.
  Response other = srv.call("GET", "/accounts/0123456789abcdef0123456789abcdef/tokens/verify", t.secret);
  EXPECT_EQ(other.status, 401u) << other.describe();

  Response accounts = srv.call("GET", "/accounts", t.secret);
  EXPECT_EQ(accounts.status, 400u) << accounts.describe();
  EXPECT_EQ(accounts.errorCode(), 1001);
  EXPECT_EQ(accounts.errorMessage(), "List accounts endpoint does not support account owned tokens.");
  EXPECT_EQ(srv.call("GET", "/accounts/" + acct, t.secret).status, 200u);
  // Account tokens cannot manage user tokens.
  EXPECT_NE(srv.call("GET", "/user/tokens", t.secret).status, 200u);

  // Not listed among user tokens; listed among the account's.
  Response ul = srv.call("GET", "/user/tokens", srv.boot().api_token);
  EXPECT_EQ(ul.body.find(t.id), std::string::npos);
  Response al = srv.call("GET", prefix, srv.boot().api_token);
  ASSERT_EQ(al.status, 200u) << al.describe();
  EXPECT_NE(al.body.find(t.id), std::string::npos);
  EXPECT_EQ(al.body.find(t.secret), std::string::npos);

  // Roll and delete through the account path.
  Response roll = srv.call("PUT", prefix + "/" + t.id + "/value", srv.boot().api_token, json::object{});
  ASSERT_EQ(roll.status, 200u) << roll.describe();
  std::string fresh(roll.result().as_string());
  EXPECT_EQ(srv.call("GET", prefix + "/verify", t.secret).status, 401u);
  EXPECT_EQ(srv.call("GET", prefix + "/verify", fresh).status, 200u);
  ASSERT_EQ(srv.call("DELETE", prefix + "/" + t.id, srv.boot().api_token).status, 200u);
  EXPECT_EQ(srv.call("GET", prefix + "/verify", fresh).status, 401u);
  EXPECT_EQ(srv.call("GET", prefix + "/" + t.id, srv.boot().api_token).status, 404u);

  // User permission groups cannot go into an account-owned token.
  Created bad = createToken(srv, srv.boot().api_token,
                            tokenBody("bad", {policy({pg::kApiTokensRead}, {userRes(srv.boot().user_id)})}),
                            prefix);
  EXPECT_EQ(bad.res.status, 400u) << bad.res.describe();
}

}  // namespace
}  // namespace nubis::testing
