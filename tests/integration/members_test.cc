// Members and invites against a whole server, where a test needs what the SDK suite cannot do on
// its shared server: moving the clock (invites expire after 7 days) and racing the removal of an
// account's Super Administrators (one must always stay).
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/serialize.hpp>
#include <thread>

#include "test_server.h"

namespace nubis::testing {
namespace {

namespace json = boost::json;
constexpr const char* kSuperAdmin = "33666b9c79b9a5273fc7344ff42f953d";
constexpr const char* kAdmin = "05784afa30c1afe1440e79d9351c7430";

struct User {
  std::string id, email, key, token;
};

User newUser(TestServer& srv, const std::string& email) {
  const Headers admin{{"X-Auth-Email", srv.boot().email}, {"X-Auth-Key", srv.boot().global_api_key},
                      {"Content-Type", "application/json"}};
  Response r = srv.request("POST", "/client/v4/nubis/users", admin,
                           json::serialize(json::object{{"email", email}}));
  EXPECT_EQ(r.status, 200u) << r.describe();
  if (r.status != 200) return {};
  const auto& o = r.result().as_object();
  return {std::string(o.at("id").as_string()), email, std::string(o.at("global_api_key").as_string()),
          std::string(o.at("api_token").as_string())};
}

std::string invite(TestServer& srv, const std::string& email, const char* role,
                   const char* status = "pending") {
  Response r = srv.call("POST", "/accounts/" + srv.boot().account_id + "/members", srv.boot().api_token,
                        json::object{{"email", email}, {"roles", json::array{role}}, {"status", status}});
  EXPECT_EQ(r.status, 200u) << r.describe();
  return r.status == 200 ? std::string(r.result().at("id").as_string()) : "";
}

TEST(MembersIt, AnInviteExpiresAfterSevenDaysAndCanThenBeSentAgain) {
  TestServer srv;
  User u = newUser(srv, "late@example.com");
  const std::string id = invite(srv, u.email, kAdmin);
  srv.advance(7 * 24 * 3600 * kSecond - kSecond);
  EXPECT_EQ(srv.call("GET", "/user/invites/" + id, u.token).result().at("status").as_string(), "pending");
  srv.advance(kSecond);
  Response got = srv.call("GET", "/user/invites/" + id, u.token);
  EXPECT_EQ(got.result().at("status").as_string(), "expired") << got.describe();
  Response late = srv.call("PATCH", "/user/invites/" + id, u.token, json::object{{"status", "accepted"}});
  EXPECT_EQ(late.status, 400u) << late.describe();
  EXPECT_EQ(late.errorCode(), 1001);
  Response reach = srv.call("GET", "/accounts/" + srv.boot().account_id, u.token);
  EXPECT_EQ(reach.status, 403u) << reach.describe();

  // A new invite replaces the expired one, and can be accepted (with the user's token: the
  // seed's Bearer variant of the same PATCH).
  const std::string again = invite(srv, u.email, kAdmin);
  ASSERT_NE(again, id);
  Response ok = srv.call("PATCH", "/user/invites/" + again, u.token, json::object{{"status", "accepted"}});
  ASSERT_EQ(ok.status, 200u) << ok.describe();
  EXPECT_EQ(ok.result().at("status").as_string(), "accepted");
  EXPECT_EQ(srv.call("GET", "/accounts/" + srv.boot().account_id, u.token).status, 200u);
}

// Two Super Administrators each remove the other at the same moment: the store transaction makes
// the "one must stay" rule hold, so exactly one removal succeeds, every round. The loser is told
// so (1001), or has already lost the account (403) when the winner's removal landed first.
TEST(MembersIt, RacingRemovalsNeverLeaveTheAccountWithoutASuperAdministrator) {
  for (int round = 0; round < 8; ++round) {
    TestServer srv(TestServerOptions{.seed = 0x5eed + static_cast<uint64_t>(round)});
    const std::string account = srv.boot().account_id;
    const std::string owner =
        std::string(srv.call("GET", "/memberships", srv.boot().api_token).result().at(0).at("id").as_string());
    User u = newUser(srv, "super@example.com");
    const std::string other = invite(srv, u.email, kSuperAdmin, "accepted");
    const Headers by_owner{{"X-Auth-Email", srv.boot().email}, {"X-Auth-Key", srv.boot().global_api_key}};
    const Headers by_other{{"Authorization", "Bearer " + u.token}};
    std::atomic<int> ok{0};
    auto remove = [&](const std::string& victim, const Headers& auth) {
      auto conn = srv.connect();
      Response r = conn->request("DELETE", "/client/v4/accounts/" + account + "/members/" + victim, auth);
      if (r.status == 200) {
        ok++;
      } else {
        EXPECT_TRUE((r.status == 400 && r.errorCode() == 1001) || r.status == 403) << r.describe();
      }
    };
    std::thread a(remove, other, by_owner);
    std::thread b(remove, owner, by_other);
    a.join();
    b.join();
    EXPECT_EQ(ok.load(), 1) << "round " << round;
    // Whoever is left lists the members: one accepted Super Administrator.
    Response left = srv.request("GET", "/client/v4/accounts/" + account + "/members", by_owner);
    if (left.status != 200) left = srv.request("GET", "/client/v4/accounts/" + account + "/members", by_other);
    ASSERT_EQ(left.status, 200u) << left.describe();
    int supers = 0;
    for (const auto& m : left.result().as_array()) {
      for (const auto& r : m.at("roles").as_array()) {
        if (r.at("id").as_string() == kSuperAdmin && m.at("status").as_string() == "accepted") supers++;
      }
    }
    EXPECT_EQ(supers, 1) << "round " << round << ": " << left.describe();
  }
}

}  // namespace
}  // namespace nubis::testing
