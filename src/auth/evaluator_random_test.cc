// A2 randomized agreement: the evaluator and the reference evaluator must agree on thousands of
// generated (policies, accepted groups, target) cases from a fixed seed.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "auth/auth_test_util.h"

namespace nubis::auth {
namespace {

using namespace testing;  // NOLINT: test fixtures
namespace g = groups;

TEST(EvaluatorRandom, AgreesWithReferenceOnGeneratedCases) {
  Gen gen(20260824);
  constexpr int kCases = 5000;
  int allowed = 0, overruled = 0;
  for (int i = 0; i < kCases; ++i) {
    Target target = gen.target();
    std::vector<Policy> policies;
    int np = gen.upTo(5);
    for (int j = 0; j < np; ++j) policies.push_back(gen.policy(gen.coin(80) ? &target : nullptr));
    std::vector<std::string_view> accepted = gen.accepted(target);
    bool got = evaluate(policies, accepted, target);
    ASSERT_EQ(got, referenceEvaluate(policies, accepted, target))
        << "case " << i << ": " << boost::json::serialize(policiesToJson(policies));
    allowed += got ? 1 : 0;
    // Deny precedence exercised: the allow policies alone would have granted it.
    std::vector<Policy> allows;
    for (const Policy& p : policies) {
      if (p.allow) allows.push_back(p);
    }
    overruled += (!got && evaluate(allows, accepted, target)) ? 1 : 0;
  }
  // The generator must exercise both outcomes, or agreement proves little.
  EXPECT_GT(allowed, kCases / 10);
  EXPECT_LT(allowed, kCases - kCases / 10);
  EXPECT_GT(overruled, kCases / 50);
  std::printf("evaluator random: %d cases, %d allowed, %d allowed-then-denied\n", kCases, allowed,
              overruled);
}

}  // namespace
}  // namespace nubis::auth
