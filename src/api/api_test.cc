// Unit tests of the API framework: routing, pagination, credentials, envelope, rate limits.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "api/credentials.h"
#include "api/envelope.h"
#include "api/errors.h"
#include "api/fields.h"
#include "api/pagination.h"
#include "api/rate_limiter.h"
#include "api/router.h"

namespace nubis::api {
namespace {
namespace json = boost::json;
using verb = http::bhttp::verb;

Route route(verb m, std::string p) {
  Route r;
  r.method = m;
  r.pattern = std::move(p);
  r.summary = r.pattern;
  return r;
}

std::vector<std::string> segs(std::string_view target) { return parseTarget(target)->segments; }

TEST(Router, LiteralBeatsParameterAndRestCapturesSlashes) {
  Router r;
  r.add(route(verb::get, "/client/v4/user/tokens/{token_id}"));
  r.add(route(verb::get, "/client/v4/user/tokens/verify"));
  r.add(route(verb::get, "/client/v4/accounts/{account_id}/images/v1/{image_id*}"));
  r.add(route(verb::get, "/client/v4/accounts/{account_id}/images/v1/keys"));
  auto m = r.match(verb::get, segs("/client/v4/user/tokens/verify"));
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->pattern, "/client/v4/user/tokens/verify");
  m = r.match(verb::get, segs("/client/v4/user/tokens/abc"));
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at(0).second, "abc");
  m = r.match(verb::get, segs("/client/v4/accounts/a/images/v1/keys"));
  EXPECT_EQ(m.route->pattern, "/client/v4/accounts/{account_id}/images/v1/keys");
  m = r.match(verb::get, segs("/client/v4/accounts/a/images/v1/x%2Fy/z"));
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.params.at(1).second, "x/y/z");
}

TEST(Router, HeadFallsBackToGet) {
  Router r;
  r.add({verb::get, "/client/v4/user/tokens/verify", {}, 0, true, nullptr, "verify"});
  r.add({verb::put, "/client/v4/user/tokens/{id}/value", {}, 0, true, nullptr, "roll"});
  auto m = r.match(verb::head, {"client", "v4", "user", "tokens", "verify"});
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->method, verb::get);
  auto roll = r.match(verb::head, {"client", "v4", "user", "tokens", "x", "value"});
  EXPECT_EQ(roll.route, nullptr);
  EXPECT_TRUE(roll.other_method);
}

TEST(Router, ReportsOtherMethodAndNoMatch) {
  Router r;
  r.add(route(verb::get, "/client/v4/zones"));
  auto m = r.match(verb::put, segs("/client/v4/zones"));
  EXPECT_EQ(m.route, nullptr);
  EXPECT_TRUE(m.other_method);
  m = r.match(verb::get, segs("/client/v4/nothing"));
  EXPECT_EQ(m.route, nullptr);
  EXPECT_FALSE(m.other_method);
  m = r.match(verb::get, segs("/client/v4/zones/"));
  EXPECT_NE(m.route, nullptr) << "a trailing slash routes like the path without it";
}

TEST(Target, DecodesQueryAndPath) {
  auto t = parseTarget("/client/v4/zones?name=contains%3A.org&account.id=abc&type=full&type=partial");
  ASSERT_TRUE(t);
  EXPECT_EQ(*t->query.get("name"), "contains:.org");
  EXPECT_EQ(*t->query.get("account.id"), "abc");
  EXPECT_EQ(t->query.all("type").size(), 2u);
  EXPECT_FALSE(parseTarget("not a target"));
}

TEST(Target, AcceptsTheBracketsAndBarsCloudflaresDocsPutInQueries) {
  auto t = parseTarget("/client/v4/accounts/a/images/v2?meta.status[eq]=active&meta.g[in]=a|b");
  ASSERT_TRUE(t);
  EXPECT_EQ(*t->query.get("meta.status[eq]"), "active");
  EXPECT_EQ(*t->query.get("meta.g[in]"), "a|b");
  // Only the query is lenient: the same bytes in the path stay refused.
  EXPECT_FALSE(parseTarget("/client/v4/a[b]"));
  EXPECT_FALSE(parseTarget("/client/v4/zones?name=a b"));
}

struct PageCase {
  const char* query;
  bool ok;
  int64_t page, per_page;
  bool desc;
};

TEST(Fields, IntegerAcceptsWholeDoublesAndRefusesOutOfRangeOnes) {
  // 7.7e19 as a double is outside int64: it must be refused, not cast (found by fuzz/json_body).
  struct Case {
    const char* body;
    bool ok;
    int64_t value;
  };
  const Case cases[] = {
      {R"({"n":5})", true, 5},         {R"({"n":5.0})", true, 5},
      {R"({"n":5.5})", false, 0},      {R"({"n":7.7e19})", false, 0},
      {R"({"n":-7.7e19})", false, 0},  {R"({"n":1e300})", false, 0},
      {R"({"n":18446744073709551615})", false, 0},
      {R"({"n":"5"})", false, 0},
  };
  for (const auto& c : cases) {
    auto obj = json::parse(c.body).as_object();
    FieldReader r(obj);
    auto v = r.integer("n", INT64_MIN, INT64_MAX, Need::kRequired);
    EXPECT_EQ(v.has_value(), c.ok) << c.body;
    EXPECT_EQ(r.ok(), c.ok) << c.body;
    if (c.ok && v) {
      EXPECT_EQ(*v, c.value) << c.body;
    }
  }
}

TEST(Pagination, ValidatesBounds) {
  const PageCase cases[] = {
      {"", true, 1, 20, false},           {"page=3&per_page=5", true, 3, 5, false},
      {"per_page=50", true, 1, 50, false}, {"per_page=51", false, 0, 0, false},
      {"per_page=4", false, 0, 0, false},  {"page=0", false, 0, 0, false},
      {"page=-1", false, 0, 0, false},     {"page=abc", false, 0, 0, false},
      {"direction=DESC", true, 1, 20, true}, {"direction=sideways", false, 0, 0, false},
      {"page=99999999999999999999", false, 0, 0, false},
  };
  for (const auto& c : cases) {
    auto q = parseTarget(std::string("/x?") + c.query)->query;
    auto p = parsePage(q, {5, 50, 20});
    EXPECT_EQ(p.ok(), c.ok) << c.query;
    if (c.ok && p.ok()) {
      EXPECT_EQ(p->page, c.page);
      EXPECT_EQ(p->per_page, c.per_page);
      EXPECT_EQ(p->desc, c.desc);
    } else if (!p.ok()) {
      EXPECT_EQ(p.error().http_status, 400);
    }
  }
}

TEST(Pagination, PastTheEndIsEmptyAndInfoIsConsistent) {
  std::vector<int> items(23);
  PageParams p{3, 10, false, ""};
  EXPECT_EQ(pageSlice(items, p).size(), 3u);
  p.page = 4;
  EXPECT_TRUE(pageSlice(items, p).empty());
  auto info = resultInfo(PageParams{1, 10, false, ""}, 10, 23);
  EXPECT_EQ(info.at("total_pages").as_int64(), 3);
  EXPECT_EQ(info.at("total_count").as_uint64(), 23u);
}

http::RequestHeader headers(std::vector<std::pair<std::string, std::string>> fields) {
  http::RequestHeader h;
  for (auto& [k, v] : fields) h.insert(k, v);
  return h;
}

struct CredCase {
  std::vector<std::pair<std::string, std::string>> fields;
  int code;        // 0 = accepted
  int chain_code;  // error_chain[0].code or 0
  bool bearer;
};

TEST(Credentials, ValidatesLikeCloudflare) {
  const std::string tok = "YQSn-xWAQiiEh9qM58wZNnyQS7FUdoqGIUAbrh7T";
  const std::string key = "1234567890abcdef1234567890abcdef12345";
  const CredCase cases[] = {
      {{}, 9106, 0, false},
      {{{"Authorization", "Bearer " + tok}}, 0, 0, true},
      {{{"Authorization", "bearer " + tok}}, 0, 0, true},
      {{{"Authorization", "Bearer"}}, 6003, 6111, false},
      {{{"Authorization", "Bearer "}}, 6003, 6111, false},
      {{{"Authorization", "Basic abc"}}, 6003, 6111, false},
      {{{"Authorization", tok}}, 6003, 6111, false},
      {{{"Authorization", "Bearer a b"}}, 6003, 6111, false},
      {{{"Authorization", "Bearer " + tok}, {"Authorization", "Bearer " + tok}}, 6003, 6111, false},
      {{{"X-Auth-Email", "a@b.c"}, {"X-Auth-Key", key}}, 0, 0, false},
      {{{"X-Auth-Email", "a@b.c"}, {"X-Auth-Key", tok}}, 6003, 6103, false},
      {{{"X-Auth-Email", "not-an-email"}, {"X-Auth-Key", key}}, 6003, 6102, false},
      {{{"X-Auth-Key", key}}, 9106, 0, false},
      {{{"X-Auth-Email", "a@b.c"}}, 9106, 0, false},
      {{{"X-Auth-User-Service-Key", "v1.0-abc"}}, 6003, 0, false},
      // Precedence: a good bearer wins over key headers sent alongside (the SDK sends all).
      {{{"Authorization", "Bearer " + tok}, {"X-Auth-Email", "a@b.c"}, {"X-Auth-Key", key}}, 0, 0, true},
  };
  for (size_t i = 0; i < std::size(cases); ++i) {
    const auto& c = cases[i];
    auto r = parseCredentials(headers(c.fields));
    if (c.code == 0) {
      ASSERT_TRUE(r.ok()) << "case " << i;
      EXPECT_EQ(std::holds_alternative<BearerToken>(*r), c.bearer) << "case " << i;
    } else {
      ASSERT_FALSE(r.ok()) << "case " << i;
      EXPECT_EQ(r.error().code, c.code) << "case " << i;
      EXPECT_EQ(r.error().http_status, 400) << "case " << i;
      if (c.chain_code) {
        ASSERT_FALSE(r.error().chain.empty()) << "case " << i;
        EXPECT_EQ(r.error().chain[0].code, c.chain_code) << "case " << i;
      }
    }
  }
}

TEST(Envelope, ErrorShapeMatchesCloudflare) {
  auto v = json::parse(errorBody(noRoute("/client/v4/zones/x")));
  EXPECT_EQ(v.at("success"), false);
  EXPECT_TRUE(v.at("result").is_null());
  EXPECT_EQ(v.at("errors").as_array().size(), 2u);
  EXPECT_EQ(v.at("errors").at(0).at("code"), 7003);
  EXPECT_EQ(v.at("errors").at(1).at("code"), 7000);
  EXPECT_TRUE(v.at("messages").as_array().empty());
  Reply r;
  r.result = json::object{{"id", "x"}};
  auto s = json::parse(successBody(r));
  EXPECT_EQ(s.at("success"), true);
  EXPECT_TRUE(s.at("errors").as_array().empty());
  EXPECT_FALSE(s.as_object().contains("result_info"));
}

TEST(RateLimiter, BlocksForAWholeWindowAfterTheLimit) {
  FakeClock clock(1000000);
  RateLimiter rl(clock, RateLimitConfig{true, 3, 300, 1000, 1});
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(rl.checkUser("u").allowed);
  auto d = rl.checkUser("u");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reset_s, 300);
  EXPECT_TRUE(rl.checkUser("other").allowed);
  clock.advance(299LL * 1000000);
  EXPECT_FALSE(rl.checkUser("u").allowed);
  clock.advance(1000000);
  EXPECT_TRUE(rl.checkUser("u").allowed);
}

TEST(RateLimiter, OffMeansNoLimit) {
  FakeClock clock(0);
  RateLimiter rl(clock, RateLimitConfig{false, 1, 300, 1, 1});
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(rl.checkUser("u").allowed);
}

}  // namespace
}  // namespace nubis::api
