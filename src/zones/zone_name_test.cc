// Zone names by the Public Suffix List: registrable domains are zones; public suffixes are 1099
// and subdomains 1116 (Cloudflare's codes); unknown TLDs follow the list's "*" rule; one label
// under the documentation domains is a zone too (zone_name.h says why).
#include "zones/zone_name.h"

#include <gtest/gtest.h>

namespace nubis::zones {
namespace {

TEST(ZoneName, RegistrableDomainsAreZones) {
  for (const char* name : {"example.com", "e2e-list-0a1b2c-a.com", "alpha-example.com",
                           "example.co.uk", "x.github.io", "xn--e1afmkfd.xn--p1ai",
                           // Unknown TLDs by the "*" rule: what local setups and tests use.
                           "example.test", "foo.local", "my-app.internal", "bad.psl-example",
                           // Documentation domains, and one label under them.
                           "example.org", "a1-zones-0123456789-example.com",
                           "r1-dns-19b2c-example.net"}) {
    Status st = registrableZoneName(name);
    EXPECT_TRUE(st.ok()) << name << ": " << (st.ok() ? "" : st.error().message);
  }
}

TEST(ZoneName, PublicSuffixesAre1099) {
  for (const char* name : {"co.uk", "github.io", "com.au", "xn--p1ai", "test"}) {
    Status st = registrableZoneName(name);
    ASSERT_FALSE(st.ok()) << name;
    EXPECT_EQ(st.error().code, 1099) << name;
    EXPECT_EQ(st.error().http_status, 400) << name;
    EXPECT_EQ(st.error().message,
              "We were unable to identify " + std::string(name) +
                  " as a registered domain. Please ensure you are providing the root domain and "
                  "not any subdomains (e.g., example.com, not subdomain.example.com)");
  }
}

TEST(ZoneName, SubdomainsAre1116) {
  for (const char* name : {"www.cloudflare.com", "a.b.example.co.uk", "www.x.github.io",
                           "a.foo.local", "shop.example.com", "deep.shop.example.com",
                           "api.e2e-zone.com"}) {
    Status st = registrableZoneName(name);
    ASSERT_FALSE(st.ok()) << name;
    EXPECT_EQ(st.error().code, 1116) << name;
    EXPECT_EQ(st.error().http_status, 400) << name;
    EXPECT_EQ(st.error().message,
              "Please ensure you are providing the root domain and not any subdomains (e.g., "
              "example.com, not subdomain.example.com)");
  }
}

}  // namespace
}  // namespace nubis::zones
