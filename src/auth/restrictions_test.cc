#include "auth/restrictions.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace nubis::auth {
namespace {

std::optional<Condition> cond(const char* json) {
  if (!json) return std::nullopt;
  auto c = parseCondition(boost::json::parse(json));
  EXPECT_TRUE(c.ok()) << json;
  return c.ok() ? *c : std::nullopt;
}

struct Case {
  const char* requested;
  const char* creator;
  bool within;
};

TEST(Restrictions, ConditionWithin) {
  const Case cases[] = {
      {nullptr, nullptr, true},
      {R"({"request.ip":{"in":["10.1.0.0/16"]}})", nullptr, true},
      {nullptr, R"({"request.ip":{"in":["10.0.0.0/8"]}})", false},
      {R"({"request.ip":{"in":["10.1.0.0/16"]}})", R"({"request.ip":{"in":["10.0.0.0/8"]}})", true},
      {R"({"request.ip":{"in":["10.0.0.0/8"]}})", R"({"request.ip":{"in":["10.0.0.0/8"]}})", true},
      {R"({"request.ip":{"in":["10.0.0.0/7"]}})", R"({"request.ip":{"in":["10.0.0.0/8"]}})", false},
      {R"({"request.ip":{"in":["11.0.0.0/8"]}})", R"({"request.ip":{"in":["10.0.0.0/8"]}})", false},
      {R"({"request.ip":{"in":["10.1.2.3","192.168.1.0/24"]}})",
       R"({"request.ip":{"in":["10.0.0.0/8","192.168.0.0/16"]}})", true},
      {R"({"request.ip":{"in":["2001:db8:1::/48"]}})", R"({"request.ip":{"in":["2001:db8::/32"]}})", true},
      {R"({"request.ip":{"in":["10.0.0.0/8"]}})", R"({"request.ip":{"in":["2001:db8::/32"]}})", false},
      {R"({"request.ip":{"not_in":["10.1.0.0/16"]}})", R"({"request.ip":{"not_in":["10.1.2.0/24"]}})", true},
      {nullptr, R"({"request.ip":{"not_in":["10.1.2.0/24"]}})", false},
      {R"({"request.ip":{"not_in":["10.1.3.0/24"]}})", R"({"request.ip":{"not_in":["10.1.2.0/24"]}})", false},
      {R"({"request.ip":{"in":["10.0.0.0/8"],"not_in":["10.9.0.0/16"]}})",
       R"({"request.ip":{"in":["10.0.0.0/8"],"not_in":["10.9.9.0/24"]}})", true},
  };
  for (const auto& c : cases)
    EXPECT_EQ(conditionWithin(cond(c.requested), cond(c.creator)), c.within)
        << (c.requested ? c.requested : "none") << " within " << (c.creator ? c.creator : "none");
}

TEST(Restrictions, ExpiryWithin) {
  EXPECT_TRUE(expiryWithin(std::nullopt, std::nullopt));
  EXPECT_TRUE(expiryWithin(5, std::nullopt));
  EXPECT_FALSE(expiryWithin(std::nullopt, 10));
  EXPECT_TRUE(expiryWithin(10, 10));
  EXPECT_TRUE(expiryWithin(9, 10));
  EXPECT_FALSE(expiryWithin(11, 10));
}

}  // namespace
}  // namespace nubis::auth
