// addressAllowed: the deny list, the embedded-IPv4 forms, and allow ranges that open it.
#include <gtest/gtest.h>

#include "images/fetch/fetch.h"

namespace nubis::images {
namespace {

auth::IpAddress ip(const char* text) {
  std::optional<auth::IpAddress> a = auth::parseIpAddress(text);
  if (!a) ADD_FAILURE() << "bad test address " << text;
  return a.value_or(auth::IpAddress{});
}

// IPv6 bytes as a socket hands them over, without the text parser's mapped-IPv4 normalisation.
auth::IpAddress rawV6(std::initializer_list<uint8_t> tail) {
  auth::IpAddress a;
  a.family = auth::IpAddress::kV6;
  std::copy(tail.begin(), tail.end(), a.bytes.end() - static_cast<std::ptrdiff_t>(tail.size()));
  return a;
}

FetchPolicy allowing(std::initializer_list<const char*> ranges) {
  FetchPolicy p;
  for (const char* r : ranges) p.allow.push_back(*auth::parseCidr(r));
  return p;
}

TEST(AddressAllowed, DeniesEveryReservedRangeAtItsEdges) {
  const char* denied[] = {
      "0.0.0.0",
      "0.255.255.255",
      "10.0.0.0",
      "10.255.255.255",
      "100.64.0.0",
      "100.127.255.255",
      "127.0.0.1",
      "127.255.255.254",
      "169.254.0.1",
      "169.254.169.254",
      "172.16.0.0",
      "172.31.255.255",
      "192.0.0.8",
      "192.0.2.1",
      "192.168.0.1",
      "192.168.255.255",
      "198.18.0.0",
      "198.19.255.255",
      "198.51.100.7",
      "203.0.113.9",
      "224.0.0.1",
      "239.255.255.250",
      "240.0.0.1",
      "255.255.255.255",
      "::",
      "::1",
      "::127.0.0.1",
      "100::1",
      "2001:db8::1",
      "2001:db8:ffff::",
      "fc00::1",
      "fd12:3456:789a::1",
      "fe80::1",
      "febf::1",
      "fec0::1",
      "ff02::1",
      "64:ff9b::7f00:1",
      "64:ff9b::a9fe:a9fe",
      "64:ff9b:1::1",
      "2002:7f00:1::1",
      "2002:c0a8:101::",
      "2001::1",
  };
  FetchPolicy none;
  for (const char* text : denied) EXPECT_FALSE(addressAllowed(ip(text), none)) << text;
}

TEST(AddressAllowed, AllowsPublicAddressesJustOutsideTheRanges) {
  const char* allowed[] = {
      "1.1.1.1",         "8.8.8.8",          "9.255.255.255",
      "11.0.0.0",        "100.63.255.255",   "100.128.0.0",
      "126.255.255.255", "128.0.0.0",        "169.253.255.255",
      "169.255.0.0",     "172.15.255.255",   "172.32.0.0",
      "192.0.1.0",       "192.0.3.0",        "192.167.255.255",
      "192.169.0.0",     "198.17.255.255",   "198.20.0.0",
      "223.255.255.255", "2606:4700::1111",  "2001:4860:4860::8888",
      "2a00:1450::1",    "64:ff9b::808:808",  // NAT64 of 8.8.8.8
      "2002:808:808::1",                      // 6to4 of 8.8.8.8
  };
  FetchPolicy none;
  for (const char* text : allowed) EXPECT_TRUE(addressAllowed(ip(text), none)) << text;
}

TEST(AddressAllowed, ChecksMappedIpv4FromRawSocketBytes) {
  FetchPolicy none;
  EXPECT_FALSE(addressAllowed(rawV6({0xff, 0xff, 127, 0, 0, 1}), none));
  EXPECT_FALSE(addressAllowed(rawV6({0xff, 0xff, 10, 1, 2, 3}), none));
  EXPECT_TRUE(addressAllowed(rawV6({0xff, 0xff, 8, 8, 8, 8}), none));
  EXPECT_TRUE(addressAllowed(rawV6({0xff, 0xff, 10, 1, 2, 3}), allowing({"10.0.0.0/8"})));
}

TEST(AddressAllowed, AllowRangesOpenOnlyWhatTheyName) {
  FetchPolicy p = allowing({"127.0.0.0/8", "fd00::/8", "192.168.1.0/24"});
  EXPECT_TRUE(addressAllowed(ip("127.0.0.1"), p));
  EXPECT_TRUE(addressAllowed(ip("fd12::1"), p));
  EXPECT_TRUE(addressAllowed(ip("192.168.1.77"), p));
  EXPECT_TRUE(addressAllowed(ip("64:ff9b::7f00:1"), p));  // NAT64 of an allowed IPv4
  EXPECT_FALSE(addressAllowed(ip("192.168.2.1"), p));
  EXPECT_FALSE(addressAllowed(ip("10.0.0.1"), p));
  EXPECT_FALSE(addressAllowed(ip("169.254.169.254"), p));
  EXPECT_FALSE(addressAllowed(ip("::1"), p));
  EXPECT_FALSE(addressAllowed(ip("fc00::1"), p));
}

}  // namespace
}  // namespace nubis::images
