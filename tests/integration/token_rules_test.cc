// Token rules beyond the basic lifecycle: the privilege ceiling with deny policies and for
// account-owned tokens (A3), the quotas under concurrent creates, roll under concurrent use, and
// secret hygiene (A4): a secret appears only in the response that issued it, never in logs,
// other responses or the data dir.
#include <gtest/gtest.h>

#include <chrono>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <atomic>
#include <mutex>
#include <sstream>
#include <thread>

#include "api_helpers.h"
#include "test_server.h"

namespace nubis::testing {
namespace {
namespace json = boost::json;

TEST(TokenRulesTest, CeilingHonoursTheCreatorsDenyPolicies) {
  TestServer srv;
  const std::string a = createZone(srv, "alpha-example.com");
  const std::string b = createZone(srv, "bravo-example.com");
  const std::string me = userRes(srv.boot().user_id);
  Created creator = createToken(srv, srv.boot().api_token,
                                tokenBody("creator", {policy({pg::kApiTokensWrite}, {me}),
                                                      policy({pg::kDnsRead}, {zoneRes("*")}),
                                                      policy({pg::kDnsRead}, {zoneRes(b)}, false)}));
  ASSERT_EQ(creator.res.status, 200u) << creator.res.describe();
  auto attempt = [&](const json::object& body) {
    return srv.call("POST", "/user/tokens", creator.secret, body).status;
  };
  EXPECT_EQ(attempt(tokenBody("all", {policy({pg::kDnsRead}, {zoneRes("*")})})), 403u)
      << "all zones includes the denied zone B";
  EXPECT_EQ(attempt(tokenBody("b", {policy({pg::kDnsRead}, {zoneRes(b)})})), 403u);
  EXPECT_EQ(attempt(tokenBody("a", {policy({pg::kDnsRead}, {zoneRes(a)})})), 200u);
  EXPECT_EQ(attempt(tokenBody("same", {policy({pg::kDnsRead}, {zoneRes("*")}),
                                       policy({pg::kDnsRead}, {zoneRes(b)}, false)})),
            200u);
  // Denying something one does not hold only narrows.
  EXPECT_EQ(attempt(tokenBody("deny-extra", {policy({pg::kDnsRead}, {zoneRes(a)}),
                                             policy({pg::kDnsWrite}, {zoneRes(b)}, false)})),
            200u);
  // A deny policy in the new token does not lift the creator's own deny.
  EXPECT_EQ(attempt(tokenBody("trick", {policy({pg::kDnsRead}, {zoneRes(b)}),
                                        policy({pg::kDnsRead}, {zoneRes(a)}, false)})),
            403u);
}

TEST(TokenRulesTest, CeilingForAccountOwnedTokens) {
  TestServer srv;
  const std::string acct = srv.boot().account_id;
  const std::string prefix = "/accounts/" + acct + "/tokens";
  // A user token that may manage the account's tokens but only read its settings.
  Created mgr = createToken(srv, srv.boot().api_token,
                            tokenBody("mgr", {policy({pg::kAccountApiTokensWrite, pg::kAccountSettingsRead},
                                                     {accountRes(acct)})}));
  ASSERT_EQ(mgr.res.status, 200u) << mgr.res.describe();
  auto create = [&](const std::string& token, std::string_view group) {
    return createToken(srv, token, tokenBody("t", {policy({group}, {accountRes(acct)})}), prefix);
  };
  EXPECT_EQ(create(mgr.secret, pg::kAccountSettingsWrite).res.status, 403u);
  Created child = create(mgr.secret, pg::kAccountSettingsRead);
  EXPECT_EQ(child.res.status, 200u) << child.res.describe();
  // Without Account API Tokens Write it cannot create account tokens at all.
  Created reader = createToken(srv, srv.boot().api_token,
                               tokenBody("reader", {policy({pg::kAccountSettingsRead}, {accountRes(acct)})}));
  ASSERT_EQ(reader.res.status, 200u);
  EXPECT_EQ(create(reader.secret, pg::kAccountSettingsRead).res.status, 403u);
  // An account token that manages tokens cannot mint a broader one either.
  Created acct_mgr = createToken(
      srv, srv.boot().api_token,
      tokenBody("acct-mgr", {policy({pg::kAccountApiTokensWrite, pg::kAccountSettingsRead}, {accountRes(acct)})}),
      prefix);
  ASSERT_EQ(acct_mgr.res.status, 200u) << acct_mgr.res.describe();
  EXPECT_EQ(create(acct_mgr.secret, pg::kAccountSettingsWrite).res.status, 403u);
  EXPECT_EQ(create(acct_mgr.secret, pg::kAccountSettingsRead).res.status, 200u);
  // Nor update itself to broader.
  Response up = srv.call("PUT", prefix + "/" + acct_mgr.id, acct_mgr.secret,
                         tokenBody("acct-mgr", {policy({pg::kAccountApiTokensWrite, pg::kAccountSettingsWrite},
                                                       {accountRes(acct)})}));
  EXPECT_EQ(up.status, 403u) << up.describe();
}

TEST(TokenRulesTest, QuotaIs500AccountTokens) {
  TestServer srv;
  const std::string prefix = "/accounts/" + srv.boot().account_id + "/tokens";
  json::object body =
      tokenBody("acct", {policy({pg::kAccountSettingsRead}, {accountRes(srv.boot().account_id)})});
  for (int i = 1; i <= 500; ++i) {
    Response r = srv.call("POST", prefix, srv.boot().api_token, body);
    ASSERT_EQ(r.status, 200u) << "account token #" << i << ": " << r.describe();
  }
  Response over = srv.call("POST", prefix, srv.boot().api_token, body);
  EXPECT_EQ(over.status, 400u) << over.describe();
  EXPECT_FALSE(over.success());
  // User tokens have their own quota.
  EXPECT_EQ(createSimpleToken(srv, "user-token").res.status, 200u);
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(TokenRulesTest, SecretsAppearOnlyInTheResponseThatIssuedThem) {
  TestServerOptions opts;
  opts.access_log = true;
  TestServer srv(opts);
  const std::string& admin = srv.boot().api_token;
  std::vector<std::string> secrets;
  std::vector<std::string> other_bodies;  // every response that must not carry a secret

  for (int i = 0; i < 5; ++i) {
    Created t = createSimpleToken(srv, "hygiene-" + std::to_string(i));
    ASSERT_EQ(t.res.status, 200u);
    secrets.push_back(t.secret);
    other_bodies.push_back(verify(srv, t.secret).body);
    other_bodies.push_back(srv.call("GET", "/user/tokens/" + t.id, admin).body);
    Response roll = srv.call("PUT", "/user/tokens/" + t.id + "/value", admin, json::object{});
    ASSERT_EQ(roll.status, 200u);
    std::string fresh(roll.result().as_string());
    secrets.push_back(fresh);
    other_bodies.push_back(verify(srv, fresh).body);
    other_bodies.push_back(verify(srv, t.secret).body);  // refused old secret
    other_bodies.push_back(srv.call("PUT", "/user/tokens/" + t.id, admin,
                                    tokenBody("renamed", {policy({pg::kZoneRead}, {zoneRes("*")})}))
                               .body);
    if (i % 2) other_bodies.push_back(srv.call("DELETE", "/user/tokens/" + t.id, admin).body);
  }
  other_bodies.push_back(srv.call("GET", "/user/tokens", admin).body);
  other_bodies.push_back(srv.request("GET", "/metrics").body);
  // Wrong secrets in headers of failed requests.
  other_bodies.push_back(srv.call("GET", "/zones/0123456789abcdef0123456789abcdef", secrets[0]).body);

  for (const auto& s : secrets) {
    for (const auto& b : other_bodies) EXPECT_EQ(b.find(s), std::string::npos) << "secret in: " << b;
    for (const auto& line : srv.log().lines())
      EXPECT_EQ(line.find(s), std::string::npos) << "secret in log: " << line;
  }
  EXPECT_FALSE(srv.log().lines().empty()) << "the access log recorded nothing";
  for (const auto& line : srv.log().lines())
    EXPECT_EQ(line.find(admin), std::string::npos) << "bootstrap secret in log: " << line;

  // The data dir keeps hashes only (bootstrap.json holds the bootstrap secret by design).
  for (const auto& entry : std::filesystem::recursive_directory_iterator(srv.dataDir())) {
    if (!entry.is_regular_file()) continue;
    std::string bytes = slurp(entry.path());
    for (const auto& s : secrets)
      EXPECT_EQ(bytes.find(s), std::string::npos) << "secret stored in " << entry.path();
    if (entry.path().filename() != "bootstrap.json") {
      EXPECT_EQ(bytes.find(admin), std::string::npos) << "bootstrap secret stored in " << entry.path();
    }
  }
}

TEST(TokenRulesTest, QuotaHoldsUnderConcurrentCreates) {
  TestServer srv;
  for (int i = 2; i <= 45; ++i) ASSERT_EQ(createSimpleToken(srv, "pre-" + std::to_string(i)).res.status, 200u);
  std::atomic<int> ok{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto c = srv.connect();
      for (int i = 0; i < 3; ++i) {
        Response r = c->request("POST", "/client/v4/user/tokens",
                                {{"Authorization", "Bearer " + srv.boot().api_token},
                                 {"Content-Type", "application/json"}},
                                json::serialize(tokenBody("race-" + std::to_string(t) + "-" + std::to_string(i),
                                                          {policy({pg::kZoneRead}, {zoneRes("*")})})));
        (r.status == 200 ? ok : r.status == 400 ? refused : other)++;
      }
    });
  }
  for (auto& th : threads) th.join();
  // BUG: TokenService::create counts the owner's tokens (listTokens) and inserts in two separate
  // store calls, so concurrent creates all pass the count: observed 52 user tokens (7 of 24
  // concurrent creates accepted with 45 existing). The check and the insert need one transaction.
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(ok.load(), 5) << "the user's 50-token quota was exceeded by concurrent creates";
  EXPECT_EQ(refused.load(), 19);
  Response list = srv.call("GET", "/user/tokens?per_page=50&page=2", srv.boot().api_token);
  ASSERT_EQ(list.status, 200u);
  EXPECT_EQ(list.json.at("result_info").at("total_count").to_number<int64_t>(), 50) << list.body;
}

TEST(TokenRulesTest, RolledAwaySecretRefusedAtOnceUnderConcurrentUse) {
  TestServer srv;
  Created t = createSimpleToken(srv, "busy");
  ASSERT_EQ(t.res.status, 200u);
  std::mutex mu;
  std::string current = t.secret;
  std::vector<std::string> retired;  // secrets whose roll was acknowledged
  std::atomic<bool> stop{false};
  std::atomic<int> violations{0}, verified{0};
  std::vector<std::thread> users;
  for (int u = 0; u < 4; ++u) {
    users.emplace_back([&] {
      auto c = srv.connect();
      while (!stop) {
        std::string secret;
        std::vector<std::string> dead;
        {
          std::lock_guard lock(mu);
          secret = current;
          dead = retired;  // every secret retired before this request starts
        }
        for (const auto& d : dead) {
          if (c->request("GET", "/client/v4/user/tokens/verify", {{"Authorization", "Bearer " + d}}).status != 401)
            ++violations;
        }
        if (c->request("GET", "/client/v4/user/tokens/verify", {{"Authorization", "Bearer " + secret}}).status == 200)
          ++verified;
      }
    });
  }
  auto admin = srv.connect();
  for (int i = 0; i < 20; ++i) {
    Response r = admin->request("PUT", "/client/v4/user/tokens/" + t.id + "/value",
                                {{"Authorization", "Bearer " + srv.boot().api_token}});
    if (r.status != 200) {  // no ASSERT here: the user threads must be joined first
      ADD_FAILURE() << "roll #" << i << ": " << r.describe();
      break;
    }
    std::lock_guard lock(mu);
    retired.push_back(current);
    current = std::string(r.result().as_string());
    if (retired.size() > 3) retired.erase(retired.begin());
  }
  // The rolls come back to back, so a user's verify may lose every race with the next roll
  // (seen: 3 runs in 12 under load). Give the last secret a moment of quiet: it must then work
  // for the users still hammering, as the refusals above must still hold.
  const int before_quiet = verified.load();
  for (int i = 0; i < 200 && verified.load() == before_quiet; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stop = true;
  for (auto& th : users) th.join();
  EXPECT_EQ(violations.load(), 0) << "a rolled-away secret was accepted after the roll was acknowledged";
  EXPECT_GT(verified.load(), before_quiet) << "the current secret did not verify once the rolls stopped";
}

TEST(TokenRulesTest, ConcurrentRollsLeaveExactlyOneValidSecret) {
  TestServer srv;
  Created t = createSimpleToken(srv, "contended");
  ASSERT_EQ(t.res.status, 200u);
  std::mutex mu;
  std::vector<std::string> issued;
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto c = srv.connect();
      Response r = c->request("PUT", "/client/v4/user/tokens/" + t.id + "/value",
                              {{"Authorization", "Bearer " + srv.boot().api_token}});
      if (r.status != 200) return;
      std::lock_guard lock(mu);
      issued.emplace_back(r.result().as_string());
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(issued.size(), 8u);
  int valid = 0;
  for (const auto& s : issued) valid += verify(srv, s).status == 200;
  EXPECT_EQ(valid, 1);
  EXPECT_EQ(verify(srv, t.secret).status, 401u);
}

}  // namespace
}  // namespace nubis::testing
