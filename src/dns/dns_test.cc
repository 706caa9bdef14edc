// The DNS record type table and name rules, as tables: every supported type's content accepted
// in canonical form or refused with a sentence; unsupported types known by name; names made
// fully qualified inside the zone.
#include <gtest/gtest.h>

#include "dns/dns_service.h"
#include "dns/record_types.h"

namespace nubis::dns {
namespace {

struct ContentCase {
  const char* type;
  const char* content;
  const char* canonical;  // nullptr: refused
};

TEST(RecordTypes, ContentIsCheckedAndCanonicalPerType) {
  const ContentCase cases[] = {
      {"A", "192.0.2.1", "192.0.2.1"},
      {"A", "0.0.0.0", "0.0.0.0"},
      {"A", "256.1.1.1", nullptr},
      {"A", "127.1", nullptr},
      {"A", "0x7f.0.0.1", nullptr},
      {"A", "2001:db8::1", nullptr},
      {"A", "", nullptr},
      {"A", "192.0.2.1 ", nullptr},
      {"AAAA", "2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
      {"AAAA", "::ffff:192.0.2.1", "::ffff:192.0.2.1"},
      {"AAAA", "192.0.2.1", nullptr},
      {"AAAA", "2001:db8::g", nullptr},
      {"CNAME", "Target.Example.COM.", "target.example.com"},
      {"CNAME", "_acme-challenge.example.com", "_acme-challenge.example.com"},
      {"CNAME", "bad..example.com", nullptr},
      {"CNAME", "-bad.example.com", nullptr},
      {"CNAME", "sp ace.example.com", nullptr},
      {"CNAME", "*.example.com", nullptr},
      {"MX", "mail.example.com", "mail.example.com"},
      {"MX", "192.0.2.1", "192.0.2.1"},  // a valid host name by its characters, as in DNS
      {"NS", "ns1.example.net.", "ns1.example.net"},
      {"PTR", "host.example.com", "host.example.com"},
      {"TXT", "v=spf1 include:_spf.example.com ~all", "v=spf1 include:_spf.example.com ~all"},
      {"TXT", "\"quoted\" text, any punctuation: !@#$%^&*()", "\"quoted\" text, any punctuation: !@#$%^&*()"},
      {"TXT", "line\nbreak", nullptr},
  };
  for (const ContentCase& c : cases) {
    const RecordType* t = recordType(c.type);
    ASSERT_NE(t, nullptr) << c.type;
    ASSERT_TRUE(t->supported) << c.type;
    std::string why;
    auto got = t->canonical(c.content, why);
    if (c.canonical == nullptr) {
      EXPECT_FALSE(got.has_value()) << c.type << " " << c.content << " -> " << got.value_or("");
      EXPECT_FALSE(why.empty()) << c.type << " " << c.content;
    } else {
      ASSERT_TRUE(got.has_value()) << c.type << " " << c.content << ": " << why;
      EXPECT_EQ(*got, c.canonical) << c.type;
    }
  }
  std::string why;
  EXPECT_TRUE(recordType("TXT")->canonical(std::string(2048, 'x'), why).has_value());
  EXPECT_FALSE(recordType("TXT")->canonical(std::string(2049, 'x'), why).has_value());
}

TEST(RecordTypes, OnlyAddressesAndCnamesAreProxiableOnlyMxNeedsAPriority) {
  for (const char* t : {"A", "AAAA", "CNAME"}) EXPECT_TRUE(recordType(t)->proxiable) << t;
  for (const char* t : {"MX", "NS", "PTR", "TXT"}) EXPECT_FALSE(recordType(t)->proxiable) << t;
  EXPECT_TRUE(recordType("MX")->needs_priority);
  for (const char* t : {"A", "AAAA", "CNAME", "NS", "PTR", "TXT"}) {
    EXPECT_FALSE(recordType(t)->needs_priority) << t;
  }
}

TEST(RecordTypes, SchemaTypesNubisDoesNotStoreAreKnownButRefused) {
  for (const char* t : {"CAA", "CERT", "DNSKEY", "DS", "HTTPS", "LOC", "NAPTR", "SMIMEA", "SRV",
                        "SSHFP", "SVCB", "TLSA", "URI"}) {
    const RecordType* type = recordType(t);
    ASSERT_NE(type, nullptr) << t;
    EXPECT_FALSE(type->supported) << t;
  }
  EXPECT_EQ(recordType("SPF"), nullptr);
  EXPECT_EQ(recordType("a"), nullptr);  // the service upper-cases first
}

TEST(QualifiedName, RelativeApexAndAbsoluteNames) {
  const std::pair<const char*, const char*> cases[] = {
      {"@", "example.com"},
      {"example.com", "example.com"},
      {"EXAMPLE.COM.", "example.com"},
      {"www", "www.example.com"},
      {"www.example.com", "www.example.com"},
      {"WWW.Example.Com", "www.example.com"},
      {"*", "*.example.com"},
      {"*.dev", "*.dev.example.com"},
      {"_dmarc", "_dmarc.example.com"},
      {"notexample.com", "notexample.com.example.com"},  // not inside the zone: made so
      {"example.com.evil", "example.com.evil.example.com"},
  };
  for (const auto& [in, want] : cases) {
    auto got = qualifiedName(in, "example.com");
    ASSERT_TRUE(got.has_value()) << in;
    EXPECT_EQ(*got, want) << in;
  }
  for (const char* bad : {"a..b", "-x", "x-", "sp ace", "a*b", "x.*", std::string(64, 'a').c_str()}) {
    EXPECT_FALSE(qualifiedName(bad, "example.com").has_value()) << bad;
  }
  EXPECT_FALSE(qualifiedName(std::string(250, 'a').insert(60, ".").insert(121, ".").insert(182, "."),
                             "example.com")
                   .has_value());
}

}  // namespace
}  // namespace nubis::dns
