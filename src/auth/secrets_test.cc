// SecretHasher against an independent HMAC-SHA-256 (Python's hmac module), so a change of
// implementation can never silently change what is stored (every token would stop working).
#include "auth/secrets.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace nubis::auth {
namespace {

TEST(SecretHasher, MatchesHmacSha256OfDomainNulSecret) {
  SecretHasher h(std::string(32, 'k'));
  // python3: hmac.new(b'k'*32, b'token\x00abc', hashlib.sha256).hexdigest()
  EXPECT_EQ(h.hash("token", "abc"),
            "48180037ec2d7327ede7d11d4ad9d6794880007a93de29c115105931ae54545c");
  EXPECT_NE(h.hash("token", "abc"), h.hash("global_key", "abc"));
  EXPECT_NE(h.hash("token", "abc"), SecretHasher(std::string(32, 'j')).hash("token", "abc"));
}

TEST(SecretHasher, SameAnswerFromManyThreads) {
  SecretHasher h(std::string(32, 'k'));
  const std::string want = h.hash("token", "abc");
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i)
        if (h.hash("token", "abc") != want) ++wrong;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(SecretHasher, ConstantTimeEqualsComparesWholeStrings) {
  EXPECT_TRUE(constantTimeEquals("abc", "abc"));
  EXPECT_FALSE(constantTimeEquals("abc", "abd"));
  EXPECT_FALSE(constantTimeEquals("abc", "abcd"));
  EXPECT_TRUE(constantTimeEquals("", ""));
}

}  // namespace
}  // namespace nubis::auth
