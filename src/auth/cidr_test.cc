// A6: CIDR parsing, matching, client addresses and whole IP conditions.
#include "auth/cidr.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "auth/policy.h"

namespace nubis::auth {
namespace {

TEST(Cidr, ParsesValidRanges) {
  struct Case {
    const char* text;
    IpAddress::Family family;
    int prefix;
  };
  const Case cases[] = {
      {"10.0.0.0/8", IpAddress::kV4, 8},
      {"0.0.0.0/0", IpAddress::kV4, 0},
      {"192.0.2.1", IpAddress::kV4, 32},
      {"192.0.2.1/32", IpAddress::kV4, 32},
      {"255.255.255.255/32", IpAddress::kV4, 32},
      {"199.27.128.0/21", IpAddress::kV4, 21},
      {"10.1.2.3/8", IpAddress::kV4, 8},  // host bits allowed, ignored
      {"2001:db8::/32", IpAddress::kV6, 32},
      {"2400:cb00::/32", IpAddress::kV6, 32},
      {"::/0", IpAddress::kV6, 0},
      {"::1", IpAddress::kV6, 128},
      {"::1/128", IpAddress::kV6, 128},
      {"2001:DB8:0:0:0:0:0:1/64", IpAddress::kV6, 64},
      {"fe80::/10", IpAddress::kV6, 10},
      {"::ffff:10.0.0.0/104", IpAddress::kV4, 8},  // mapped range -> IPv4 /8
      {"::ffff:192.0.2.1", IpAddress::kV4, 32},    // mapped address -> IPv4 /32
      {"::ffff:0.0.0.0/96", IpAddress::kV4, 0},
      {"::ffff:0:0/80", IpAddress::kV6, 80},  // reaches beyond the mapped block: stays IPv6
  };
  for (const Case& c : cases) {
    std::optional<Cidr> cidr = parseCidr(c.text);
    ASSERT_TRUE(cidr.has_value()) << c.text;
    EXPECT_EQ(cidr->network.family, c.family) << c.text;
    EXPECT_EQ(cidr->prefix, c.prefix) << c.text;
    EXPECT_EQ(cidr->text, c.text);
  }
}

TEST(Cidr, RejectsMalformedRanges) {
  const char* cases[] = {
      "",
      " ",
      "10.0.0.0/8 ",
      " 10.0.0.0/8",
      "10.0.0.0 /8",
      "10.0.0.0/ 8",
      "10.0.0.0/",
      "10.0.0.0/33",
      "10.0.0.0/-1",
      "10.0.0.0/+8",
      "10.0.0.0/08",
      "10.0.0.0/8/8",
      "10.0.0.300/8",
      "256.0.0.0",
      "010.0.0.1",
      "10.00.0.1",
      "1.2.3",
      "1.2.3.4.5",
      "1.2.3.",
      ".1.2.3",
      "1..2.3",
      "0x0a.0.0.1",
      "1e1.0.0.1",
      "10.0.0.1a",
      "2001:db8::/129",
      "2001:db8::/1280",
      "2001:db8:::/32",
      "2001:db8::g/32",
      "1:2:3:4:5:6:7:8:9",
      "fe80::1%eth0",
      "[::1]",
      "::ffff:010.0.0.1",
      "::ffff:10.0.0.256",
      "localhost",
      "*",
      "10.0.0.0/8,10.0.0.0/9",
      "10.0.0.0\n",
      "/8",
      "::/",
      "2001:db8::/032",
  };
  for (const char* c : cases) EXPECT_FALSE(parseCidr(c).has_value()) << '"' << c << '"';
  // Embedded NUL must not truncate the text into something valid.
  EXPECT_FALSE(parseCidr(std::string_view("10.0.0.1\0/8", 11)).has_value());
  EXPECT_FALSE(parseCidr(std::string(200, '1')).has_value());
}

TEST(Cidr, Contains) {
  struct Case {
    const char* range;
    const char* address;
    bool inside;
  };
  const Case cases[] = {
      {"10.0.0.0/8", "10.1.2.3", true},
      {"10.0.0.0/8", "11.0.0.0", false},
      {"10.0.0.0/8", "9.255.255.255", false},
      {"10.0.0.0/8", "10.255.255.255", true},
      {"10.1.2.3/8", "10.200.0.1", true},
      {"0.0.0.0/0", "203.0.113.9", true},
      {"0.0.0.0/0", "2001:db8::1", false},  // IPv4 range never matches real IPv6
      {"192.0.2.1", "192.0.2.1", true},
      {"192.0.2.1/32", "192.0.2.2", false},
      {"192.0.2.0/31", "192.0.2.1", true},
      {"192.0.2.0/31", "192.0.2.2", false},
      {"199.27.128.0/21", "199.27.135.255", true},
      {"199.27.128.0/21", "199.27.136.0", false},
      {"10.0.0.0/8", "::ffff:10.1.2.3", true},  // mapped client = IPv4 client
      {"10.0.0.0/8", "::ffff:11.1.2.3", false},
      {"10.0.0.0/8", "::a01:203", false},  // IPv4-compatible (not mapped) stays IPv6
      {"::ffff:10.0.0.0/104", "10.9.9.9", true},
      {"::ffff:10.0.0.0/104", "::ffff:10.9.9.9", true},
      {"::ffff:10.0.0.0/104", "11.0.0.1", false},
      {"::/0", "2001:db8::1", true},
      {"::/0", "127.0.0.1", false},  // IPv6 range never matches an IPv4 client
      {"::/0", "::ffff:127.0.0.1", false},
      {"::1", "::1", true},
      {"::1/128", "::2", false},
      {"2001:db8::/32", "2001:db8:ffff::1", true},
      {"2001:db8::/32", "2001:db9::1", false},
      {"2001:db8::/64", "2001:db8::ffff:ffff:ffff:ffff", true},
      {"2001:db8::/64", "2001:db8:0:1::", false},
      {"2001:db8:0:0:8000::/65", "2001:db8::8000:0:0:1", true},
      {"2001:db8:0:0:8000::/65", "2001:db8::7fff:0:0:1", false},
      {"fe80::/10", "febf::1", true},
      {"fe80::/10", "fec0::1", false},
      {"::ffff:0:0/80", "127.0.0.1", false},
  };
  for (const Case& c : cases) {
    std::optional<Cidr> range = parseCidr(c.range);
    std::optional<IpAddress> address = parseClientAddress(c.address);
    ASSERT_TRUE(range && address) << c.range << " " << c.address;
    EXPECT_EQ(contains(*range, *address), c.inside) << c.range << " ∋ " << c.address;
  }
}

TEST(Cidr, ClientAddresses) {
  EXPECT_EQ(toString(*parseClientAddress("127.0.0.1")), "127.0.0.1");
  EXPECT_EQ(toString(*parseClientAddress("::1")), "::1");
  EXPECT_EQ(toString(*parseClientAddress("::ffff:127.0.0.1")), "127.0.0.1");
  EXPECT_EQ(toString(*parseClientAddress("fe80::1%eth0")), "fe80::1");
  EXPECT_EQ(toString(*parseClientAddress("2001:DB8::1")), "2001:db8::1");
  EXPECT_FALSE(parseClientAddress("").has_value());
  EXPECT_FALSE(parseClientAddress("10.0.0.1%eth0").has_value());
  EXPECT_FALSE(parseClientAddress("fe80::1%").has_value());
  EXPECT_FALSE(parseClientAddress("[::1]").has_value());
  EXPECT_FALSE(parseClientAddress("10.0.0.1:443").has_value());
  EXPECT_FALSE(parseClientAddress("unknown").has_value());
}

std::optional<Condition> condition(const char* json) {
  auto parsed = parseCondition(boost::json::parse(json));
  EXPECT_TRUE(parsed.ok()) << json;
  return parsed.ok() ? *parsed : std::nullopt;
}

TEST(Cidr, IpConditions) {
  struct Case {
    const char* condition;
    const char* client;
    bool allowed;
  };
  const Case cases[] = {
      {"null", "203.0.113.1", true},
      {R"({"request.ip":{"in":["10.0.0.0/8"]}})", "10.2.3.4", true},
      {R"({"request.ip":{"in":["10.0.0.0/8"]}})", "11.2.3.4", false},
      {R"({"request.ip":{"in":["10.0.0.0/8"]}})", "::ffff:10.2.3.4", true},
      {R"({"request.ip":{"in":["10.0.0.0/8"]}})", "2001:db8::1", false},
      {R"({"request.ip":{"in":["10.0.0.0/8"],"not_in":["10.9.0.0/16"]}})", "10.9.1.1", false},
      {R"({"request.ip":{"in":["10.0.0.0/8"],"not_in":["10.9.0.0/16"]}})", "10.8.1.1", true},
      {R"({"request.ip":{"not_in":["192.0.2.1"]}})", "192.0.2.1", false},
      {R"({"request.ip":{"not_in":["192.0.2.1"]}})", "192.0.2.2", true},
      {R"({"request.ip":{"in":[]}})", "192.0.2.2", true},  // empty `in` restricts nothing
      {R"({"request.ip":{"in":[],"not_in":[]}})", "2001:db8::1", true},
      {R"({"request.ip":{"in":[],"not_in":["0.0.0.0/0"]}})", "192.0.2.2", false},
      {R"({"request.ip":{"in":[],"not_in":["0.0.0.0/0"]}})", "2001:db8::1", true},
      {R"({"request_ip":{"in":["2001:db8::/32","10.0.0.0/8"]}})", "2001:db8::5", true},
      {R"({"request_ip":{"in":["2001:db8::/32","10.0.0.0/8"]}})", "2001:db9::5", false},
      {R"({"request.ip":{"in":["::/0"],"not_in":["::1"]}})", "::1", false},
      {R"({"request.ip":{"in":["::/0"],"not_in":["::1"]}})", "127.0.0.1", false},
      {R"({"request.ip":{"in":["0.0.0.0/0","::/0"]}})", "127.0.0.1", true},
      {R"({"request.ip":{"in":["10.0.0.0/8"]}})", "garbage", false},  // unknown origin
      {R"({"request.ip":{}})", "garbage", true},                      // restricts nothing
      {R"({})", "203.0.113.1", true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ipAllowed(condition(c.condition), std::string_view(c.client)), c.allowed)
        << c.condition << " from " << c.client;
  }
}

}  // namespace
}  // namespace nubis::auth
