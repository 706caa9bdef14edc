// The DNS record type table and name rules, as tables: every type's content accepted in
// canonical form or refused with a sentence; every schema type has its row; names made fully
// qualified inside the zone.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

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
      {"OPENPGPKEY", "mDMEZ2Vx9hYJKwYBBAHaRw8BAQdA", "mDMEZ2Vx9hYJKwYBBAHaRw8BAQdA"},
      {"OPENPGPKEY", "mDMEZ2Vx9hYJKwYBBAHaRw8BAQdA+/8=", "mDMEZ2Vx9hYJKwYBBAHaRw8BAQdA+/8="},
      {"OPENPGPKEY", "not base64!", nullptr},
      {"OPENPGPKEY", "mDMEZ2Vx 9hYJ", nullptr},  // one key, no blanks
      {"OPENPGPKEY", "abc", nullptr},            // not a whole number of quads
      {"OPENPGPKEY", "", nullptr},
  };
  for (const ContentCase& c : cases) {
    const RecordType* t = recordType(c.type);
    ASSERT_NE(t, nullptr) << c.type;
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

TEST(RecordTypes, EveryTypeOfTheSchemaHasItsRow) {
  // The 2026 SDK's list (RecordListParams.type).
  for (const char* t : {"A", "AAAA", "CAA", "CERT", "CNAME", "DNSKEY", "DS", "HTTPS", "LOC", "MX",
                        "NAPTR", "NS", "OPENPGPKEY", "PTR", "SMIMEA", "SRV", "SSHFP", "SVCB",
                        "TLSA", "TXT", "URI"}) {
    const RecordType* type = recordType(t);
    ASSERT_NE(type, nullptr) << t;
    EXPECT_NE(type->canonical == nullptr, type->data.empty()) << t << ": content or data, not both";
  }
  EXPECT_EQ(recordType("SPF"), nullptr);
  EXPECT_EQ(recordType("a"), nullptr);  // the service upper-cases first
}

struct DataCase {
  const char* type;
  const char* data;     // JSON
  const char* content;  // nullptr: refused
  const char* why = "";  // a word the refusal must contain
};

TEST(RecordTypes, DataTypesDeriveTheirContentFromCheckedFields) {
  const DataCase cases[] = {
      {"SRV", R"({"priority":10,"weight":5,"port":5060,"target":"SIP.Example.com."})",
       "10 5 5060 sip.example.com"},
      {"SRV", R"({"priority":0,"weight":0,"port":0,"target":"."})", "0 0 0 ."},
      {"SRV", R"({"priority":10.0,"weight":5,"port":5060,"target":"x.example.com"})",
       "10 5 5060 x.example.com"},  // SDKs may send whole numbers as doubles
      {"SRV", R"({"priority":10,"weight":5,"port":70000,"target":"x.example.com"})", nullptr,
       "data.port"},
      {"SRV", R"({"priority":1.5,"weight":5,"port":1,"target":"x.example.com"})", nullptr,
       "data.priority"},
      {"SRV", R"({"priority":10,"weight":5,"target":"x.example.com"})", nullptr, "data.port"},
      {"SRV", R"({"priority":10,"weight":5,"port":1,"target":"not a host"})", nullptr,
       "data.target"},
      {"CAA", R"({"flags":0,"tag":"issue","value":"letsencrypt.org"})",
       R"(0 issue "letsencrypt.org")"},
      {"CAA", R"({"flags":128,"tag":"IODEF","value":"mailto:a\"b@example.com"})",
       R"(128 iodef "mailto:a\"b@example.com")"},
      {"CAA", R"({"flags":256,"tag":"issue","value":"x"})", nullptr, "data.flags"},
      {"CAA", R"({"flags":0,"tag":"is-sue","value":"x"})", nullptr, "data.tag"},
      {"URI", R"({"weight":1,"target":"https://example.com/x"})", R"(1 "https://example.com/x")"},
      {"TLSA", R"({"usage":3,"selector":1,"matching_type":1,"certificate":"0d6f"})", "3 1 1 0D6F"},
      {"TLSA", R"({"usage":3,"selector":1,"matching_type":1,"certificate":"xyz"})", nullptr,
       "hexadecimal"},
      {"SSHFP", R"({"algorithm":4,"type":2,"fingerprint":"ab12"})", "4 2 AB12"},
      {"DS", R"({"key_tag":2371,"algorithm":13,"digest_type":2,"digest":"1f2e"})",
       "2371 13 2 1F2E"},
      {"DNSKEY", R"({"flags":257,"protocol":3,"algorithm":13,"public_key":"mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=="})",
       "257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=="},
      {"DNSKEY", R"({"flags":257,"protocol":3,"algorithm":13,"public_key":"not base64!"})",
       nullptr, "base64"},
      {"CERT", R"({"type":1,"key_tag":2,"algorithm":3,"certificate":"AAAA"})", "1 2 3 AAAA"},
      {"HTTPS", R"({"priority":1,"target":".","value":"alpn=\"h3,h2\""})",
       R"(1 . alpn="h3,h2")"},
      {"SVCB", R"({"priority":0,"target":"svc.example.com","value":""})", "0 svc.example.com"},
      {"NAPTR",
       R"({"order":100,"preference":10,"flags":"S","service":"SIP+D2U","regex":"","replacement":"_sip._udp.example.com"})",
       R"(100 10 "S" "SIP+D2U" "" _sip._udp.example.com)"},
      // LOC: content as Cloudflare's API writes it (terraform-provider-cloudflare's live test).
      {"LOC",
       R"({"lat_degrees":37,"lat_minutes":46,"lat_seconds":46,"lat_direction":"N","long_degrees":122,"long_minutes":23,"long_seconds":35,"long_direction":"W","altitude":0,"size":100,"precision_horz":0,"precision_vert":0})",
       "37 46 46.000 N 122 23 35.000 W 0.00 100.00 0.00 0.00"},
      {"LOC",
       R"({"lat_degrees":31,"lat_minutes":58,"lat_seconds":52.1,"lat_direction":"s","long_degrees":115,"long_minutes":49,"long_seconds":11.7,"long_direction":"E","altitude":20,"size":10,"precision_horz":10,"precision_vert":2})",
       "31 58 52.100 S 115 49 11.700 E 20.00 10.00 10.00 2.00"},
      {"LOC",  // minutes, seconds, size and precisions default to 0 (the schema's defaults)
       R"({"lat_degrees":90,"lat_direction":"N","long_degrees":180,"long_direction":"W","altitude":-100000,"size":null})",
       "90 0 0.000 N 180 0 0.000 W -100000.00 0.00 0.00 0.00"},
      {"LOC",
       R"({"lat_degrees":0,"lat_direction":"S","long_degrees":0,"long_direction":"E","altitude":42849672.95,"size":90000000,"precision_horz":90000000,"precision_vert":0.004})",
       "0 0 0.000 S 0 0 0.000 E 42849672.95 90000000.00 90000000.00 0.00"},
      {"LOC", R"({"lat_degrees":91,"lat_direction":"N","long_degrees":0,"long_direction":"E","altitude":0})",
       nullptr, "data.lat_degrees"},
      {"LOC", R"({"lat_degrees":1,"lat_minutes":1.5,"lat_direction":"N","long_degrees":0,"long_direction":"E","altitude":0})",
       nullptr, "data.lat_minutes"},
      {"LOC", R"({"lat_degrees":1,"lat_seconds":59.9999,"lat_direction":"N","long_degrees":0,"long_direction":"E","altitude":0})",
       nullptr, "data.lat_seconds"},
      {"LOC", R"({"lat_degrees":1,"lat_direction":"E","long_degrees":0,"long_direction":"E","altitude":0})",
       nullptr, "data.lat_direction"},
      {"LOC", R"({"lat_degrees":1,"lat_direction":"NS","long_degrees":0,"long_direction":"E","altitude":0})",
       nullptr, "data.lat_direction"},
      {"LOC", R"({"lat_degrees":1,"lat_direction":"N","long_degrees":181,"long_direction":"E","altitude":0})",
       nullptr, "data.long_degrees"},
      {"LOC", R"({"lat_degrees":1,"lat_direction":"N","long_degrees":1,"long_direction":"E","altitude":-100000.01})",
       nullptr, "data.altitude"},
      {"LOC", R"({"lat_degrees":1,"lat_direction":"N","long_degrees":1,"long_direction":"E","altitude":"0"})",
       nullptr, "data.altitude"},
      {"LOC", R"({"lat_degrees":1,"lat_direction":"N","long_degrees":1,"long_direction":"E"})",
       nullptr, "data.altitude"},
      {"LOC", R"({"lat_degrees":1,"lat_direction":"N","long_degrees":1,"long_direction":"E","altitude":0,"size":90000000.01})",
       nullptr, "data.size"},
      {"LOC", R"({"lat_degrees":90,"lat_minutes":1,"lat_direction":"N","long_degrees":1,"long_direction":"E","altitude":0})",
       nullptr, "latitude"},
      {"LOC", R"({"lat_degrees":1,"lat_direction":"N","long_degrees":180,"long_seconds":0.001,"long_direction":"E","altitude":0})",
       nullptr, "longitude"},
  };
  for (const DataCase& c : cases) {
    const RecordType* t = recordType(c.type);
    ASSERT_NE(t, nullptr) << c.type;
    ASSERT_FALSE(t->data.empty()) << c.type;
    boost::json::object canonical;
    std::string why;
    auto got = dataContent(*t, boost::json::parse(c.data).as_object(), canonical, why);
    if (c.content == nullptr) {
      EXPECT_FALSE(got.has_value()) << c.type << " " << c.data << " -> " << got.value_or("");
      EXPECT_NE(why.find(c.why), std::string::npos) << c.type << " " << c.data << ": " << why;
    } else {
      ASSERT_TRUE(got.has_value()) << c.type << " " << c.data << ": " << why;
      EXPECT_EQ(*got, c.content) << c.type << " " << c.data;
      EXPECT_EQ(canonical.size(), t->data.size()) << "only the type's fields are kept";
    }
  }
}

TEST(RecordTypes, LocKeepsWhatItWritesSoItsCanonicalDataIsAFixedPoint) {
  const RecordType& loc = *recordType("LOC");
  boost::json::object canonical, again;
  std::string why;
  auto once = dataContent(loc, boost::json::parse(R"({"lat_degrees":1,"lat_seconds":1.23456,
      "lat_direction":"N","long_degrees":2,"long_seconds":-0,"long_direction":"W",
      "altitude":-0.001,"size":1.005,"precision_horz":2.0})").as_object(), canonical, why);
  ASSERT_TRUE(once.has_value()) << why;
  EXPECT_EQ(*once, "1 0 1.235 N 2 0 0.000 W 0.00 1.00 2.00 0.00");  // no "-0.00"
  EXPECT_EQ(canonical.at("lat_seconds").as_double(), 1.235);
  EXPECT_TRUE(canonical.at("precision_horz").is_int64()) << "whole values stay integers";
  EXPECT_TRUE(canonical.at("altitude").is_int64());
  auto twice = dataContent(loc, canonical, again, why);
  ASSERT_TRUE(twice.has_value()) << why;
  EXPECT_EQ(*twice, *once);
  EXPECT_EQ(again, canonical);
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
