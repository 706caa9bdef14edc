// Policy and condition JSON: round trips, stored form, and every validation error.
#include "auth/policy.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "auth/catalog.h"

namespace nubis::auth {
namespace {

namespace json = boost::json;

constexpr const char* kDns = "4755a26eedb94da69e1066d98aa820be";  // DNS Write
constexpr const char* kAcc = "01a7362d577a6c3019a474fd6f485823";

std::function<std::string()> counter() {
  auto n = std::make_shared<int>(0);
  return [n] {
    std::string id = std::to_string(++*n);
    return std::string(32 - id.size(), '0') + id;
  };
}

Result<std::vector<Policy>> parse(const std::string& text) {
  return parsePolicies(json::parse(text), counter());
}

TEST(Policy, RoundTripsToCloudflareShape) {
  const std::string in = R"([
    {"id":"ignored","effect":"allow",
     "permission_groups":[{"id":"4755a26eedb94da69e1066d98aa820be","name":"whatever","meta":{}},
                          {"id":"c8fed203ed3043cba015a93ad1616f1f"}],
     "resources":{"com.cloudflare.api.account.zone.023e105f4ecef8ad9ca31a8372d0c353":"*",
                  "com.cloudflare.api.account.01a7362d577a6c3019a474fd6f485823":
                     {"com.cloudflare.api.account.zone.*":"*"}}},
    {"effect":"deny","permission_groups":[{"id":"c1fde68c7bcc44588cbb6ddbc16d6480"}],
     "resources":{"com.cloudflare.api.account.*":"*"}},
    {"effect":"allow","permission_groups":[{"id":"686d18d5ac6c441c867cbf6771e58a0a"}],
     "resources":{"com.cloudflare.api.user.11111111111111111111111111111111":"*"}}])";
  auto policies = parse(in);
  ASSERT_TRUE(policies.ok()) << policies.error().message;
  ASSERT_EQ(policies->size(), 3u);
  EXPECT_EQ((*policies)[0].id, "00000000000000000000000000000001");
  EXPECT_FALSE((*policies)[1].allow);
  const std::string want =
      R"([{"id":"00000000000000000000000000000001","effect":"allow","resources":{)"
      R"("com.cloudflare.api.account.zone.023e105f4ecef8ad9ca31a8372d0c353":"*",)"
      R"("com.cloudflare.api.account.01a7362d577a6c3019a474fd6f485823":)"
      R"({"com.cloudflare.api.account.zone.*":"*"}},"permission_groups":[)"
      R"({"id":"4755a26eedb94da69e1066d98aa820be","name":"DNS Write","meta":{}},)"
      R"({"id":"c8fed203ed3043cba015a93ad1616f1f","name":"Zone Read","meta":{}}]},)"
      R"({"id":"00000000000000000000000000000002","effect":"deny","resources":)"
      R"({"com.cloudflare.api.account.*":"*"},"permission_groups":[)"
      R"({"id":"c1fde68c7bcc44588cbb6ddbc16d6480","name":"Account Settings Read","meta":{}}]},)"
      R"({"id":"00000000000000000000000000000003","effect":"allow","resources":)"
      R"({"com.cloudflare.api.user.11111111111111111111111111111111":"*"},"permission_groups":[)"
      R"({"id":"686d18d5ac6c441c867cbf6771e58a0a","name":"API Tokens Write","meta":{}}]}])";
  EXPECT_EQ(json::serialize(policiesToJson(*policies)), want);

  // Stored form keeps ids and loads back to the same model; output re-parses identically.
  auto loaded = loadPolicies(storePolicies(*policies));
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(*loaded, *policies);
  auto again = parsePolicies(policiesToJson(*policies), counter());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *policies);
}

TEST(Policy, StoredFormProblemsAreInternalErrors) {
  EXPECT_EQ(loadPolicies("not json").error().http_status, 500);
  auto no_id = loadPolicies(
      R"([{"effect":"allow","permission_groups":[{"id":"4755a26eedb94da69e1066d98aa820be"}],)"
      R"("resources":{"com.cloudflare.api.account.zone.*":"*"}}])");
  ASSERT_FALSE(no_id.ok());
  EXPECT_EQ(no_id.error().http_status, 500);
  EXPECT_NE(no_id.error().detail.find("policies[0].id"), std::string::npos);
}

std::string group(const char* id) { return std::string(R"({"id":")") + id + R"("})"; }

std::string policy(const std::string& effect, const std::string& groups,
                   const std::string& resources) {
  return R"({"effect":)" + effect + R"(,"permission_groups":)" + groups + R"(,"resources":)" +
         resources + "}";
}

std::string many(int n, const std::string& item) {
  std::string out;
  for (int i = 0; i < n; ++i) out += (i ? "," : "") + item;
  return out;
}

std::string manyKeys(int n, bool nested) {
  std::string out = "{";
  for (int i = 0; i < n; ++i) {
    std::string id = std::to_string(i);
    id = std::string(32 - id.size(), 'a') + id;
    if (i) out += ",";
    out += R"("com.cloudflare.api.account.zone.)" + id + R"(":"*")";
  }
  out += "}";
  if (!nested) return out;
  return R"({"com.cloudflare.api.account.)" + std::string(kAcc) + R"(":)" + out + "}";
}

TEST(Policy, EveryValidationErrorNamesTheField) {
  const std::string ok_groups = "[" + group(kDns) + "]";
  const std::string ok_res = R"({"com.cloudflare.api.account.zone.*":"*"})";
  const std::string ok = policy(R"("allow")", ok_groups, ok_res);
  auto p = [&](const std::string& res) { return "[" + policy(R"("allow")", ok_groups, res) + "]"; };
  struct Case {
    std::string input;
    std::string message;
  };
  const Case cases[] = {
      {"{}", "policies must be an array"},
      {"[]", "policies must contain at least one policy"},
      {"[" + many(51, ok) + "]", "policies must contain at most 50 policies"},
      {"[" + ok + ",3]", "policies[1] must be an object"},
      {"[" + policy(R"("permit")", ok_groups, ok_res) + "]",
       R"(policies[0].effect must be "allow" or "deny")"},
      {"[" + policy("true", ok_groups, ok_res) + "]",
       R"(policies[0].effect must be "allow" or "deny")"},
      {R"([{"permission_groups":[],"resources":{}}])",
       R"(policies[0].effect must be "allow" or "deny")"},
      {R"([{"effect":"deny","resources":{}}])", "policies[0].permission_groups is required"},
      {"[" + policy(R"("allow")", "{}", ok_res) + "]",
       "policies[0].permission_groups must be an array"},
      {"[" + policy(R"("allow")", "[]", ok_res) + "]",
       "policies[0].permission_groups must not be empty"},
      {"[" + policy(R"("allow")", "[" + many(101, group(kDns)) + "]", ok_res) + "]",
       "policies[0].permission_groups must have at most 100 items"},
      {"[" + policy(R"("allow")", R"(["4755a26eedb94da69e1066d98aa820be"])", ok_res) + "]",
       "policies[0].permission_groups[0] must be an object with an id"},
      {"[" + policy(R"("allow")", R"([{"name":"DNS Write"}])", ok_res) + "]",
       "policies[0].permission_groups[0].id must be a string"},
      {"[" + ok + "," + policy(R"("deny")", "[" + group(kDns) + "," + group("abc") + "]", ok_res) +
           "]",
       R"(policies[1].permission_groups[1].id "abc" is not a known permission group)"},
      {R"([{"effect":"allow","permission_groups":)" + ok_groups + "}]",
       "policies[0].resources is required"},
      {p("[]"), "policies[0].resources must be an object"},
      {p("{}"), "policies[0].resources must not be empty"},
      {p(manyKeys(101, false)), "policies[0].resources must have at most 100 keys"},
      {p(manyKeys(100, true)), "policies[0].resources must have at most 100 keys"},
      {p(R"({"com.cloudflare.api.foo":"*"})"),
       R"(policies[0].resources key "com.cloudflare.api.foo" is not a valid resource)"},
      {p(R"({"com.cloudflare.api.user.*":"*"})"),
       R"(policies[0].resources key "com.cloudflare.api.user.*" is not a valid resource)"},
      {p(R"({"com.cloudflare.api.account.zone.023E105F4ECEF8AD9CA31A8372D0C353":"*"})"),
       R"(policies[0].resources key "com.cloudflare.api.account.zone.023E105F4ECEF8AD9CA31A8372D0C353" is not a valid resource)"},
      {p(R"({"com.cloudflare.api.account.zone":"*"})"),
       R"(policies[0].resources key "com.cloudflare.api.account.zone" is not a valid resource)"},
      {p(R"({"com.cloudflare.edge.r2.bucket.*":"*"})"),
       R"(policies[0].resources key "com.cloudflare.edge.r2.bucket.*" is not a valid resource)"},
      {p(R"({"com.cloudflare.api.account.zone.*":"read"})"),
       R"(policies[0].resources["com.cloudflare.api.account.zone.*"] must be "*")"},
      {p(R"({"com.cloudflare.api.account.zone.*":{"com.cloudflare.api.account.zone.*":"*"}})"),
       R"(policies[0].resources["com.cloudflare.api.account.zone.*"] must be "*")"},
      {p(R"({"com.cloudflare.api.account.*":1})"),
       R"(policies[0].resources["com.cloudflare.api.account.*"] must be "*" or an object of zone keys)"},
      {p(R"({"com.cloudflare.api.account.*":{}})"),
       R"(policies[0].resources["com.cloudflare.api.account.*"] must not be empty)"},
      {p(R"({"com.cloudflare.api.account.*":{"com.cloudflare.api.account.*":"*"}})"),
       R"(policies[0].resources["com.cloudflare.api.account.*"] key "com.cloudflare.api.account.*" is not a valid zone resource)"},
      {p(R"({"com.cloudflare.api.account.*":{"com.cloudflare.api.account.zone.*":{}}})"),
       R"(policies[0].resources["com.cloudflare.api.account.*"]["com.cloudflare.api.account.zone.*"] must be "*")"},
  };
  for (const Case& c : cases) {
    auto r = parse(c.input);
    ASSERT_FALSE(r.ok()) << c.input.substr(0, 200);
    EXPECT_EQ(r.error().http_status, 400);
    EXPECT_EQ(r.error().code, kValidationCode);
    EXPECT_EQ(r.error().message, c.message);
  }
}

TEST(Policy, EchoedClientTextIsBoundedAndSanitised) {
  std::string id = "\\n" + std::string(300, 'x');  // JSON escape: a real newline once parsed
  auto r = parse("[" + policy(R"("allow")", "[" + group(id.c_str()) + "]", "{}") + "]");
  ASSERT_FALSE(r.ok());
  EXPECT_LT(r.error().message.size(), 200u);
  EXPECT_EQ(r.error().message.find('\n'), std::string::npos);
}

TEST(Condition, RoundTripsAndAcceptsBothSpellings) {
  auto dot = parseCondition(json::parse(R"({"request.ip":{"in":["10.0.0.0/8","2001:db8::/32"]}})"));
  auto underscore = parseCondition(json::parse(
      R"({"request_ip":{"in":["10.0.0.0/8","2001:db8::/32"],"not_in":["10.1.0.0/16"]}})"));
  ASSERT_TRUE(dot.ok() && underscore.ok());
  EXPECT_EQ(json::serialize(conditionToJson(**dot)),
            R"({"request.ip":{"in":["10.0.0.0/8","2001:db8::/32"]}})");
  EXPECT_EQ(json::serialize(conditionToJson(**underscore)),
            R"({"request.ip":{"in":["10.0.0.0/8","2001:db8::/32"],"not_in":["10.1.0.0/16"]}})");
  EXPECT_EQ(storeCondition(std::nullopt), "");
  auto none = loadCondition("");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto back = loadCondition(storeCondition(*underscore));
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_EQ(json::serialize(conditionToJson(**back)),
            json::serialize(conditionToJson(**underscore)));
  auto null = parseCondition(json::value());
  ASSERT_TRUE(null.ok());
  EXPECT_FALSE(null->has_value());
  EXPECT_EQ(loadCondition("{").error().http_status, 500);
}

TEST(Condition, EveryValidationErrorNamesTheField) {
  std::string hundred_and_one = "[" + many(101, R"("10.0.0.0/8")") + "]";
  const std::pair<std::string, std::string> cases[] = {
      {"[]", "condition must be an object"},
      {R"({"request.IP":{}})", R"(condition has unknown key "request.IP")"},
      {R"({"request.ip":{},"request_ip":{}})",
       R"(condition must not contain both "request.ip" and "request_ip")"},
      {R"({"request.ip":["10.0.0.0/8"]})", "condition.request.ip must be an object"},
      {R"({"request.ip":{"allow":[]}})", R"(condition.request.ip has unknown key "allow")"},
      {R"({"request.ip":{"in":"10.0.0.0/8"}})",
       "condition.request.ip.in must be an array of CIDR strings"},
      {R"({"request_ip":{"not_in":)" + hundred_and_one + "}}",
       "condition.request_ip.not_in must have at most 100 items"},
      {R"({"request.ip":{"in":["10.0.0.0/8",7]}})", "condition.request.ip.in[1] must be a string"},
      {R"({"request.ip":{"in":["10.0.0.0/8","10.0.0.1","10.0.0.300/8"]}})",
       R"(condition.request.ip.in[2] "10.0.0.300/8" is not a valid CIDR)"},
      {R"({"request_ip":{"not_in":["::1/129"]}})",
       R"(condition.request_ip.not_in[0] "::1/129" is not a valid CIDR)"},
  };
  for (const auto& [input, message] : cases) {
    auto r = parseCondition(json::parse(input));
    ASSERT_FALSE(r.ok()) << input;
    EXPECT_EQ(r.error().http_status, 400);
    EXPECT_EQ(r.error().message, message);
  }
}

}  // namespace
}  // namespace nubis::auth
