// Users beyond the bootstrap one (app/user_admin.h, `nubis user create`): made on the data dir of
// a running server, they authenticate at once with their own Global API Key, see only
// themselves, belong to no account, and their secrets are stored only as hashes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/user_admin.h"
#include "base/random.h"
#include "test_server.h"

namespace nubis::testing {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(UsersIt, ACreatedUserAuthenticatesWithItsOwnKeyWhileTheServerRuns) {
  TestServer srv;
  SeededRandom rng(71);  // the server's own generator is not shared across threads
  auto made = app::createUser(srv.dataDir(), "New.User@Example.com", "", srv.clock(), rng);
  ASSERT_TRUE(made.ok()) << made.error().detail;
  EXPECT_EQ(made->email, "new.user@example.com");
  EXPECT_EQ(made->global_api_key.size(), 37u);
  EXPECT_GE(made->password.size(), 20u);

  const Headers key{{"X-Auth-Email", "new.user@example.com"}, {"X-Auth-Key", made->global_api_key}};
  Response me = srv.request("GET", "/client/v4/user", key);
  ASSERT_EQ(me.status, 200u) << me.describe();
  EXPECT_EQ(me.result().at("id").as_string(), made->id);
  Response memberships = srv.request("GET", "/client/v4/memberships", key);
  ASSERT_EQ(memberships.status, 200u) << memberships.describe();
  EXPECT_TRUE(memberships.result().as_array().empty()) << "a new user belongs to no account";
  // Not the admin: the bootstrap account is out of reach.
  Response account = srv.request("GET", "/client/v4/accounts/" + srv.boot().account_id, key);
  EXPECT_EQ(account.status / 100, 4u) << account.describe();
  // Someone else's e-mail with this key: refused.
  Response wrong = srv.request("GET", "/client/v4/user",
                               {{"X-Auth-Email", srv.boot().email}, {"X-Auth-Key", made->global_api_key}});
  EXPECT_EQ(wrong.status / 100, 4u);

  // The first token works at once, and reaches no account either.
  const Headers bearer{{"Authorization", "Bearer " + made->api_token}};
  Response verify = srv.request("GET", "/client/v4/user/tokens/verify", bearer);
  ASSERT_EQ(verify.status, 200u) << verify.describe();
  EXPECT_EQ(verify.result().at("id").as_string(), made->api_token_id);
  Response by_token = srv.request("GET", "/client/v4/accounts/" + srv.boot().account_id, bearer);
  EXPECT_EQ(by_token.status / 100, 4u) << by_token.describe();

  // The secrets are nowhere in the data dir.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(srv.dataDir())) {
    if (!entry.is_regular_file()) continue;
    const std::string bytes = slurp(entry.path());
    EXPECT_EQ(bytes.find(made->global_api_key), std::string::npos) << entry.path();
    EXPECT_EQ(bytes.find(made->password), std::string::npos) << entry.path();
    EXPECT_EQ(bytes.find(made->api_token), std::string::npos) << entry.path();
  }
}

TEST(UsersIt, RefusesTakenAndMalformedEmailsShortPasswordsAndMissingData) {
  TestServer srv;
  SeededRandom rng(72);
  EXPECT_FALSE(app::createUser(srv.dataDir(), srv.boot().email, "", srv.clock(), rng).ok());
  auto upper = srv.boot().email;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_FALSE(app::createUser(srv.dataDir(), upper, "", srv.clock(), rng).ok())
      << "e-mails compare without case";
  for (const char* bad : {"", "nope", "a@", "@b.c", "a@b", "a b@c.d", "a@b@c.d"}) {
    EXPECT_FALSE(app::createUser(srv.dataDir(), bad, "", srv.clock(), rng).ok()) << bad;
  }
  EXPECT_FALSE(app::createUser(srv.dataDir(), "short@example.com", "1234567", srv.clock(), rng).ok());
  auto chosen = app::createUser(srv.dataDir(), "chosen@example.com", "correct horse", srv.clock(), rng);
  ASSERT_TRUE(chosen.ok()) << chosen.error().detail;
  EXPECT_EQ(chosen->password, "correct horse");
  EXPECT_FALSE(app::createUser(srv.dataDir() + "/missing", "x@example.com", "", srv.clock(), rng).ok());
}

}  // namespace
}  // namespace nubis::testing
