// Dashboard sessions and the sign-in throttle: secrets kept only as keyed hashes, CSRF per
// session, idle and absolute expiry, sign-out, per-user revocation, bounded memory; lockouts per
// e-mail and per address within a window.
#include "auth/sessions.h"

#include <gtest/gtest.h>

namespace nubis::auth {
namespace {

constexpr int64_t kSec = 1000000;
constexpr int64_t kT0 = 1767225600LL * kSec;

class SessionsTest : public ::testing::Test {
 protected:
  SecretHasher hasher_{std::string(32, 'p')};
  SeededRandom rng_{7};
  SessionStore store_{hasher_, rng_};
};

TEST_F(SessionsTest, ASessionIsFoundByItsSecretOnlyAndCarriesItsUser) {
  NewSession s = store_.create("u1", kT0);
  EXPECT_EQ(s.secret.size(), 40u);
  EXPECT_NE(s.secret, s.csrf);
  auto found = store_.find(s.secret, kT0 + kSec);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->user_id, "u1");
  EXPECT_FALSE(store_.find(s.csrf, kT0).has_value()) << "the CSRF token is no session";
  EXPECT_FALSE(store_.find("", kT0).has_value());
  EXPECT_FALSE(store_.find(s.secret.substr(1), kT0).has_value());
}

TEST_F(SessionsTest, CsrfBelongsToItsSessionOnly) {
  NewSession a = store_.create("u1", kT0);
  NewSession b = store_.create("u1", kT0);
  EXPECT_EQ(a.csrf, store_.csrfFor(a.secret)) << "the same token for the session, in any tab";
  EXPECT_NE(a.csrf, b.csrf);
  EXPECT_TRUE(store_.csrfMatches(a.secret, a.csrf, kT0));
  EXPECT_FALSE(store_.csrfMatches(a.secret, b.csrf, kT0)) << "another session's token";
  EXPECT_FALSE(store_.csrfMatches(a.secret, "", kT0));
  EXPECT_FALSE(store_.csrfMatches(a.secret, a.secret, kT0)) << "the cookie is not the token";
  store_.destroy(a.secret);
  EXPECT_FALSE(store_.csrfMatches(a.secret, a.csrf, kT0)) << "no session, no token";
}

TEST_F(SessionsTest, IdleAndAbsoluteExpiry) {
  NewSession s = store_.create("u1", kT0);
  EXPECT_TRUE(store_.find(s.secret, kT0 + SessionStore::kIdle - 1).has_value());
  // Used just now: the idle clock restarts.
  EXPECT_TRUE(store_.find(s.secret, kT0 + 2 * SessionStore::kIdle - 2).has_value());
  EXPECT_FALSE(store_.find(s.secret, kT0 + 3 * SessionStore::kIdle).has_value());
  EXPECT_EQ(store_.size(), 0u) << "an expired session is ended";

  NewSession busy = store_.create("u2", kT0);
  int64_t t = kT0;
  while (t + SessionStore::kIdle / 2 < kT0 + SessionStore::kAbsolute) {
    t += SessionStore::kIdle / 2;
    ASSERT_TRUE(store_.find(busy.secret, t).has_value());
  }
  EXPECT_FALSE(store_.find(busy.secret, kT0 + SessionStore::kAbsolute).has_value())
      << "a session in constant use still ends after the absolute limit";
}

TEST_F(SessionsTest, SignOutAndRevokingAUsersSessions) {
  NewSession a = store_.create("u1", kT0), b = store_.create("u1", kT0), c = store_.create("u2", kT0);
  store_.destroy(a.secret);
  EXPECT_FALSE(store_.find(a.secret, kT0).has_value());
  EXPECT_TRUE(store_.find(b.secret, kT0).has_value());
  store_.destroyUser("u1");
  EXPECT_FALSE(store_.find(b.secret, kT0).has_value());
  EXPECT_TRUE(store_.find(c.secret, kT0).has_value());
}

TEST_F(SessionsTest, OneUserSigningInAgainAndAgainEndsOnlyItsOwnOldestSessions) {
  NewSession other = store_.create("other", kT0);
  NewSession first = store_.create("looper", kT0 + 1);
  for (int i = 0; i < 500; ++i) store_.create("looper", kT0 + 2 + i);
  EXPECT_EQ(store_.size(), SessionStore::kMaxPerUser + 1);
  EXPECT_TRUE(store_.find(other.secret, kT0 + kSec).has_value());
  EXPECT_FALSE(store_.find(first.secret, kT0 + kSec).has_value());
}

TEST_F(SessionsTest, MemoryIsBoundedByEndingTheOldestSessions) {
  NewSession first = store_.create("first", kT0);
  for (size_t i = 0; i < SessionStore::kMaxSessions; ++i) {
    store_.create("u" + std::to_string(i), kT0 + 1 + static_cast<int64_t>(i));
  }
  EXPECT_EQ(store_.size(), SessionStore::kMaxSessions);
  EXPECT_FALSE(store_.find(first.secret, kT0 + kSec).has_value());
}

TEST(LoginThrottle, LocksAnEmailAfterFiveFailuresForTheWindow) {
  LoginThrottle t;
  for (int i = 0; i < LoginThrottle::kMaxFailures - 1; ++i) t.begin("Ana@Example.com", "10.0.0.1", kT0 + i);
  EXPECT_FALSE(t.locked("ana@example.com", "10.0.0.2", kT0 + 10));
  t.begin("ana@example.com", "10.0.0.3", kT0 + 10);
  EXPECT_TRUE(t.locked("ANA@example.com", "10.0.0.9", kT0 + 11)) << "whatever the address or case";
  EXPECT_FALSE(t.locked("bob@example.com", "10.0.0.9", kT0 + 11));
  // Locked for the window from the fifth failure, even once the first ones are old.
  EXPECT_TRUE(t.locked("ana@example.com", "10.0.0.9", kT0 + 10 + LoginThrottle::kWindow - 1));
  EXPECT_FALSE(t.locked("ana@example.com", "10.0.0.9", kT0 + 10 + LoginThrottle::kWindow));
  // Failures spread wider than the window never lock.
  LoginThrottle slow;
  for (int i = 0; i < 3 * LoginThrottle::kMaxFailures; ++i) {
    slow.begin("slow@example.com", "10.0.0.1", kT0 + i * (LoginThrottle::kWindow / 4));
    EXPECT_FALSE(slow.locked("slow@example.com", "10.0.0.2", kT0 + i * (LoginThrottle::kWindow / 4) + 1)) << i;
  }
}

TEST(LoginThrottle, LocksAnAddressTryingManyEmailsAndASuccessClearsTheEmail) {
  LoginThrottle t;
  for (int i = 0; i < LoginThrottle::kMaxFailuresPerIp; ++i) {
    t.begin("user" + std::to_string(i) + "@example.com", "192.0.2.7", kT0 + i);
  }
  EXPECT_TRUE(t.locked("someone@example.com", "192.0.2.7", kT0 + 100));
  EXPECT_FALSE(t.locked("someone@example.com", "192.0.2.8", kT0 + 100));
  LoginThrottle u;
  for (int i = 0; i < LoginThrottle::kMaxFailures - 1; ++i) u.begin("c@example.com", "a", kT0 + i);
  ASSERT_TRUE(u.begin("c@example.com", "a", kT0 + 5));
  u.succeeded("c@example.com", "a", kT0 + 5);
  u.begin("c@example.com", "a", kT0 + 10);
  EXPECT_FALSE(u.locked("c@example.com", "b", kT0 + 11));
}

// Parallel guesses: each attempt is counted in the same step as the check, so ten attempts in
// flight at once (none finished) get five tries, not ten.
TEST(LoginThrottle, AttemptsInFlightAreCountedBeforeTheirAnswer) {
  LoginThrottle t;
  int admitted = 0;
  for (int i = 0; i < 2 * LoginThrottle::kMaxFailures; ++i) admitted += t.begin("ana@example.com", "10.0.0.1", kT0) ? 1 : 0;
  EXPECT_EQ(admitted, LoginThrottle::kMaxFailures);
}

// A success gives its attempt back: the address's 20th sign-in, a good one, locks nothing.
TEST(LoginThrottle, ASuccessGivesItsAttemptBack) {
  LoginThrottle t;
  for (int i = 0; i < LoginThrottle::kMaxFailuresPerIp - 1; ++i)
    ASSERT_TRUE(t.begin("user" + std::to_string(i) + "@example.com", "192.0.2.7", kT0 + i));
  const int64_t at = kT0 + 100;
  ASSERT_TRUE(t.begin("good@example.com", "192.0.2.7", at));
  EXPECT_TRUE(t.locked("other@example.com", "192.0.2.7", at + 1)) << "counted while in flight";
  t.succeeded("good@example.com", "192.0.2.7", at);
  EXPECT_FALSE(t.locked("other@example.com", "192.0.2.7", at + 1));
  EXPECT_TRUE(t.begin("other@example.com", "192.0.2.7", at + 2)) << "one more failure allowed";
  EXPECT_TRUE(t.locked("other@example.com", "192.0.2.7", at + 3)) << "that one reaches the limit";
}

}  // namespace
}  // namespace nubis::auth
