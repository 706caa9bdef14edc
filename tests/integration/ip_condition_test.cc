// A6 over HTTP: condition["request.ip"].in / not_in with IPv4 and IPv6 ranges, from a client at
// 127.0.0.1 (and ::1 on an IPv6 listener); X-Forwarded-For believed only from configured trusted
// proxies (rightmost untrusted hop wins), never otherwise; malformed CIDRs refused at create.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "api_helpers.h"
#include "test_server.h"

namespace nubis::testing {
namespace {
namespace json = boost::json;

json::array list(std::initializer_list<std::string_view> cidrs) {
  json::array a;
  for (auto c : cidrs) a.emplace_back(c);
  return a;
}

json::object ipCondition(std::optional<json::array> in, std::optional<json::array> not_in) {
  json::object ip;
  if (in) ip["in"] = *in;
  if (not_in) ip["not_in"] = *not_in;
  return json::object{{"request.ip", ip}};
}

// A Zone Read token carrying `condition`.
Created restricted(TestServer& srv, const json::object& condition) {
  json::object body = tokenBody("ip", {policy({pg::kZoneRead}, {zoneRes("*")})});
  body["condition"] = condition;
  return createToken(srv, srv.boot().api_token, body);
}

Response listZones(TestServer& srv, const std::string& secret, Headers extra = {}) {
  return srv.call("GET", "/zones", secret, nullptr, std::move(extra));
}

void expectRefusedFrom(const Response& r, const std::string& ip) {
  EXPECT_EQ(r.status, 403u) << r.describe();
  EXPECT_EQ(r.errorCode(), 9109) << r.body;
  EXPECT_NE(r.errorMessage().find(ip), std::string::npos) << r.body;
}

struct Case {
  const char* label;
  std::optional<json::array> in, not_in;
  bool allowed;
};

void runCases(TestServer& srv, const std::vector<Case>& cases, const std::string& client) {
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    Created tok = restricted(srv, ipCondition(c.in, c.not_in));
    ASSERT_EQ(tok.res.status, 200u) << tok.res.describe();
    Response r = listZones(srv, tok.secret);
    Response v = verify(srv, tok.secret);
    if (c.allowed) {
      EXPECT_EQ(r.status, 200u) << r.describe();
      EXPECT_EQ(v.status, 200u) << v.describe();
    } else {
      expectRefusedFrom(r, client);
      EXPECT_NE(v.status, 200u) << v.describe();
      EXPECT_FALSE(v.success());
    }
    // The condition round-trips as sent.
    Response got = srv.call("GET", "/user/tokens/" + tok.id, srv.boot().api_token);
    EXPECT_EQ(got.result().at("condition"), json::value(ipCondition(c.in, c.not_in)));
    ASSERT_EQ(srv.call("DELETE", "/user/tokens/" + tok.id, srv.boot().api_token).status, 200u);
  }
}

TEST(IpConditionTest, Ipv4ClientAgainstRanges) {
  TestServer srv;
  std::vector<Case> cases = {
      {"in /32 exact", list({"127.0.0.1/32"}), {}, true},
      {"in bare address", list({"127.0.0.1"}), {}, true},
      {"in /8", list({"127.0.0.0/8"}), {}, true},
      {"in /0", list({"0.0.0.0/0"}), {}, true},
      {"in host bits set", list({"127.1.2.3/8"}), {}, true},
      {"in other /32", list({"127.0.0.2/32"}), {}, false},
      {"in 10/8", list({"10.0.0.0/8"}), {}, false},
      {"in several, second matches", list({"10.0.0.0/8", "127.0.0.0/24"}), {}, true},
      {"in only IPv6", list({"::1/128", "2001:db8::/32"}), {}, false},
      {"in ::/0 (IPv6 only)", list({"::/0"}), {}, false},
      {"in mapped /128", list({"::ffff:127.0.0.1/128"}), {}, true},
      {"in mapped /104", list({"::ffff:127.0.0.0/104"}), {}, true},
      {"in mapped other", list({"::ffff:10.0.0.0/104"}), {}, false},
      {"in mixed families", list({"2001:db8::/32", "127.0.0.1/32"}), {}, true},
      {"in empty list", list({}), {}, true},
      {"not_in /32", {}, list({"127.0.0.1/32"}), false},
      {"not_in /8", {}, list({"127.0.0.0/8"}), false},
      {"not_in /0", {}, list({"0.0.0.0/0"}), false},
      {"not_in 10/8", {}, list({"10.0.0.0/8"}), true},
      {"not_in IPv6 only", {}, list({"::/0"}), true},
      {"not_in mapped", {}, list({"::ffff:127.0.0.1"}), false},
      {"not_in empty", {}, list({}), true},
      {"carve-out inside in", list({"127.0.0.0/8"}), list({"127.0.0.1/32"}), false},
      {"carve-out elsewhere", list({"127.0.0.0/8"}), list({"127.0.0.2/32"}), true},
      {"not_in wins over in", list({"127.0.0.1/32"}), list({"127.0.0.0/8"}), false},
      {"both empty", list({}), list({}), true},
      {"/31 boundary", list({"127.0.0.0/31"}), {}, true},
      {"/31 other half", list({"127.0.0.2/31"}), {}, false},
  };
  runCases(srv, cases, "127.0.0.1");
}

TEST(IpConditionTest, Ipv6ClientAgainstRanges) {
  TestServerOptions opts;
  opts.host = "::1";
  TestServer srv(opts);
  std::vector<Case> cases = {
      {"in ::1/128", list({"::1/128"}), {}, true},
      {"in bare ::1", list({"::1"}), {}, true},
      {"in long form", list({"0:0:0:0:0:0:0:1/128"}), {}, true},
      {"in ::/0", list({"::/0"}), {}, true},
      {"in ::/64", list({"::/64"}), {}, true},
      {"in 2001:db8::/32", list({"2001:db8::/32"}), {}, false},
      {"in ::2/128", list({"::2/128"}), {}, false},
      {"in IPv4 only", list({"0.0.0.0/0", "127.0.0.1/32"}), {}, false},
      {"not_in ::1", {}, list({"::1/128"}), false},
      {"not_in ::/0", {}, list({"::/0"}), false},
      {"not_in IPv4 /0", {}, list({"0.0.0.0/0"}), true},
      {"carve-out", list({"::/0"}), list({"::1/128"}), false},
      {"carve-out elsewhere", list({"::/64"}), list({"::2/127"}), true},
  };
  runCases(srv, cases, "::1");
}

TEST(IpConditionTest, MalformedCidrRefusedNamingTheField) {
  TestServer srv;
  const char* bad[] = {"10.0.0.0/33", "256.0.0.0/8", "10.0.0/8",       "010.0.0.1/32",
                       "10.0.0.0/08", "2001:db8::/129", "2001:db8:::1/64", " 10.0.0.0/8",
                       "10.0.0.0/8 ", "",               "10.0.0.0/-1",     "fe80::1%eth0",
                       "[::1]",       "10.0.0.0/8/8",   "localhost",       "10.0.0.0/"};
  for (const char* cidr : bad) {
    SCOPED_TRACE(std::string("\"") + cidr + "\"");
    Created in = restricted(srv, ipCondition(list({"192.0.2.0/24", cidr}), {}));
    EXPECT_EQ(in.res.status, 400u) << in.res.describe();
    EXPECT_EQ(in.res.errorCode(), 1001);
    EXPECT_NE(in.res.errorMessage().find("condition.request.ip.in[1]"), std::string::npos)
        << in.res.body;
    Created out = restricted(srv, json::object{{"request_ip", json::object{{"not_in", list({cidr})}}}});
    EXPECT_EQ(out.res.status, 400u) << out.res.describe();
    EXPECT_NE(out.res.errorMessage().find("condition.request_ip.not_in[0]"), std::string::npos)
        << out.res.body;
  }
  // Shapes: not an array, not a string, unknown keys (a typo must not drop the restriction).
  Created shape1 = restricted(srv, json::object{{"request.ip", json::object{{"in", "10.0.0.0/8"}}}});
  EXPECT_EQ(shape1.res.status, 400u);
  EXPECT_NE(shape1.res.errorMessage().find("condition.request.ip.in"), std::string::npos);
  Created shape2 = restricted(srv, json::object{{"request.ip", json::object{{"in", json::array{42}}}}});
  EXPECT_EQ(shape2.res.status, 400u);
  EXPECT_NE(shape2.res.errorMessage().find("condition.request.ip.in[0]"), std::string::npos);
  Created typo = restricted(srv, json::object{{"request.IP", json::object{{"in", list({"10.0.0.0/8"})}}}});
  EXPECT_EQ(typo.res.status, 400u);
  EXPECT_NE(typo.res.errorMessage().find("request.IP"), std::string::npos);
  Created typo2 = restricted(srv, json::object{{"request.ip", json::object{{"allow", list({"10.0.0.0/8"})}}}});
  EXPECT_EQ(typo2.res.status, 400u);
  // Nothing was created by any refused attempt.
  Response l = srv.call("GET", "/user/tokens", srv.boot().api_token);
  EXPECT_EQ(l.result().as_array().size(), 1u) << l.body;
}

TEST(IpConditionTest, ForwardingHeadersIgnoredWithoutTrustedProxies) {
  TestServer srv;
  Created only_doc = restricted(srv, ipCondition(list({"203.0.113.0/24"}), {}));
  Created not_local = restricted(srv, ipCondition({}, list({"127.0.0.0/8"})));
  ASSERT_EQ(only_doc.res.status, 200u);
  ASSERT_EQ(not_local.res.status, 200u);
  const std::vector<Headers> spoofs = {
      {{"X-Forwarded-For", "203.0.113.7"}},
      {{"X-Forwarded-For", "10.0.0.1, 203.0.113.7"}},
      {{"x-forwarded-for", "203.0.113.7"}},
      {{"X-Real-IP", "203.0.113.7"}},
      {{"Forwarded", "for=203.0.113.7"}},
      {{"True-Client-IP", "203.0.113.7"}},
      {{"CF-Connecting-IP", "203.0.113.7"}},
  };
  for (const auto& h : spoofs) {
    SCOPED_TRACE(h[0].first + ": " + h[0].second);
    expectRefusedFrom(listZones(srv, only_doc.secret, h), "127.0.0.1");
    expectRefusedFrom(listZones(srv, not_local.secret, h), "127.0.0.1");
  }
}

TEST(IpConditionTest, TrustedProxyRightmostUntrustedHopIsTheClient) {
  TestServerOptions opts;
  opts.trusted_proxies = "127.0.0.1/32, 10.0.0.0/8";
  TestServer srv(opts);
  Created doc = restricted(srv, ipCondition(list({"203.0.113.0/24", "2001:db8::/32"}), {}));
  ASSERT_EQ(doc.res.status, 200u) << doc.res.describe();
  auto xff = [](std::string v) { return Headers{{"X-Forwarded-For", std::move(v)}}; };

  EXPECT_EQ(listZones(srv, doc.secret, xff("203.0.113.7")).status, 200u);
  EXPECT_EQ(listZones(srv, doc.secret, xff("2001:db8::7")).status, 200u);
  // Trusted hops to the right are skipped.
  EXPECT_EQ(listZones(srv, doc.secret, xff("203.0.113.7, 10.1.2.3, 127.0.0.1")).status, 200u);
  // Whatever the client wrote to the left of the real client is not believed.
  EXPECT_EQ(listZones(srv, doc.secret, xff("198.51.100.1, 203.0.113.7")).status, 200u);
  expectRefusedFrom(listZones(srv, doc.secret, xff("203.0.113.7, 198.51.100.1")), "198.51.100.1");
  expectRefusedFrom(listZones(srv, doc.secret, xff("198.51.100.1")), "198.51.100.1");
  // Two header lines are one list.
  expectRefusedFrom(listZones(srv, doc.secret,
                              {{"X-Forwarded-For", "203.0.113.7"}, {"X-Forwarded-For", "198.51.100.1"}}),
                    "198.51.100.1");
  // Garbage in the chain: the proxy itself is the client.
  expectRefusedFrom(listZones(srv, doc.secret, xff("203.0.113.7, not-an-ip")), "127.0.0.1");
  expectRefusedFrom(listZones(srv, doc.secret, xff("203.0.113.7:443")), "127.0.0.1");
  // No header: the peer.
  expectRefusedFrom(listZones(srv, doc.secret), "127.0.0.1");
  // Other forwarding headers are not ours to believe.
  expectRefusedFrom(listZones(srv, doc.secret, {{"X-Real-IP", "203.0.113.7"}}), "127.0.0.1");

  // A peer outside the trusted list (127.0.0.2) cannot forward.
  auto c = srv.connect("127.0.0.2");
  Response r = c->request("GET", "/client/v4/zones",
                          {{"Authorization", "Bearer " + doc.secret}, {"X-Forwarded-For", "203.0.113.7"}});
  expectRefusedFrom(r, "127.0.0.2");

  // not_in cannot be escaped by naming another address either.
  Created not_proxy = restricted(srv, ipCondition({}, list({"198.51.100.0/24"})));
  expectRefusedFrom(listZones(srv, not_proxy.secret, xff("198.51.100.9")), "198.51.100.9");
  expectRefusedFrom(listZones(srv, not_proxy.secret, xff("203.0.113.1, 198.51.100.9")), "198.51.100.9");
  EXPECT_EQ(listZones(srv, not_proxy.secret, xff("198.51.100.9, 203.0.113.1")).status, 200u);
}

TEST(IpConditionTest, UntrustedPeerIsNotAProxy) {
  TestServerOptions opts;
  opts.trusted_proxies = "10.0.0.0/8";  // the test client (127.0.0.1) is not in it
  TestServer srv(opts);
  Created doc = restricted(srv, ipCondition(list({"203.0.113.0/24"}), {}));
  ASSERT_EQ(doc.res.status, 200u);
  expectRefusedFrom(listZones(srv, doc.secret, {{"X-Forwarded-For", "203.0.113.7"}}), "127.0.0.1");
  expectRefusedFrom(listZones(srv, doc.secret, {{"X-Forwarded-For", "203.0.113.7, 10.0.0.1"}}),
                    "127.0.0.1");
}

TEST(IpConditionTest, DualStackListenerSeesIpv4ClientsAsIpv4) {
  TestServerOptions opts;
  opts.host = "::";  // IPv4 clients arrive as ::ffff:a.b.c.d
  TestServer srv(opts);
  Created v4 = restricted(srv, ipCondition(list({"127.0.0.1/32"}), {}));
  Created not_v4 = restricted(srv, ipCondition({}, list({"127.0.0.0/8"})));
  ASSERT_EQ(v4.res.status, 200u) << v4.res.describe();
  ASSERT_EQ(not_v4.res.status, 200u);
  HttpConnection c(srv.port(), "127.0.0.1");
  Response ok = c.request("GET", "/client/v4/zones", {{"Authorization", "Bearer " + v4.secret}});
  EXPECT_EQ(ok.status, 200u) << ok.describe();
  Response no = c.request("GET", "/client/v4/zones", {{"Authorization", "Bearer " + not_v4.secret}});
  expectRefusedFrom(no, "127.0.0.1");
  EXPECT_EQ(no.errorMessage().find("::ffff:"), std::string::npos) << no.body;
}

}  // namespace
}  // namespace nubis::testing
