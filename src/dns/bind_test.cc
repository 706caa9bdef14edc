// The BIND zone file parser and exporter: what hosting providers' exports contain ($ORIGIN,
// $TTL, relative names, blank owners, parentheses, quoted strings, SOA), refusals naming the
// line, and an export that parses back to the same records.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

#include "dns/bind.h"

namespace nubis::dns {
namespace {

TEST(BindParse, ReadsWhatHostingExportsContain) {
  const char* text = R"(;; a comment line
$ORIGIN example.com.
$TTL 1h
@	IN	SOA	ns1.example.com. admin.example.com. ( 2024010101 7200 3600
        1209600 3600 )
@		IN	A	192.0.2.1 ; cf_tags=cf-proxied:true
www	300	IN	CNAME	@
	IN	AAAA	2001:db8::1        ; blank owner: www again
mail.example.com.	IN 600	MX	10 mx1
@	IN	TXT	"v=spf1 include:_spf.example.com ~all"
long	IN	TXT	"part one " "part two"
_sip._tcp	IN	SRV	10 5 5060 sip.example.net.
@	IN	CAA	0 issue "letsencrypt.org"
_https	IN	HTTPS	1 . alpn="h3,h2"
key	IN	DNSKEY	257 3 13 ( mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+Gq
                             JxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ== )
)";
  auto z = parseZoneFile(text, "example.com");
  ASSERT_TRUE(z.ok()) << z.error().message;
  EXPECT_EQ(z->skipped_soa, 1);
  ASSERT_EQ(z->records.size(), 10u);
  const auto& r = z->records;
  EXPECT_EQ(r[0].name, "example.com");
  EXPECT_EQ(r[0].type, "A");
  EXPECT_EQ(r[0].ttl, 3600);
  EXPECT_TRUE(r[0].proxied);
  EXPECT_EQ(r[1].name, "www.example.com");
  EXPECT_EQ(r[1].content, "example.com");
  EXPECT_EQ(r[1].ttl, 300);
  EXPECT_EQ(r[2].name, "www.example.com");
  EXPECT_EQ(r[2].type, "AAAA");
  EXPECT_FALSE(r[2].proxied);
  EXPECT_EQ(r[3].name, "mail.example.com");
  EXPECT_EQ(r[3].priority, 10);
  EXPECT_EQ(r[3].content, "mx1.example.com");
  EXPECT_EQ(r[3].ttl, 600);
  EXPECT_EQ(r[4].content, "v=spf1 include:_spf.example.com ~all");
  EXPECT_EQ(r[5].content, "part one part two");
  EXPECT_EQ(boost::json::serialize(r[6].data),
            R"({"priority":10,"weight":5,"port":5060,"target":"sip.example.net"})");
  EXPECT_EQ(boost::json::serialize(r[7].data), R"({"flags":0,"tag":"issue","value":"letsencrypt.org"})");
  EXPECT_EQ(r[8].data.at("value").as_string(), "alpn=\"h3,h2\"");
  EXPECT_EQ(r[8].data.at("target").as_string(), ".");
  EXPECT_EQ(r[9].data.at("public_key").as_string(),
            "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==");
}

TEST(BindParse, RefusesMalformedFilesNamingTheLine) {
  const std::pair<const char*, const char*> cases[] = {
      {"www IN A", "line 1"},
      {"ok IN A 192.0.2.1\nwww IN BOGUS x", "line 2"},
      {"www IN TXT \"unterminated", "unterminated"},
      {"www IN A ( 192.0.2.1", "'(' without ')'"},
      {"www IN A 192.0.2.1 )", "')' without '('"},
      {"$INCLUDE other.zone", "$INCLUDE"},
      {"www CH A 192.0.2.1", "class CH"},
      {"  IN A 192.0.2.1", "without an owner"},
      {"www IN MX ten mx", "MX preference"},
      {"www IN SRV 1 2 x.example.com.", "SRV"},
      {"www IN CAA 0 issue \"a\" extra", "more values"},
      {"www IN A 192.0.2.1 192.0.2.2", "one value"},
      {"$TTL forever", "$TTL"},
      {". IN A 192.0.2.1", "root"},
      {"www IN LOC 52 22 23.000 N", "LOC long"},
  };
  for (const auto& [text, word] : cases) {
    auto z = parseZoneFile(text, "example.com");
    ASSERT_FALSE(z.ok()) << text;
    EXPECT_NE(z.error().message.find(word), std::string::npos) << text << ": " << z.error().message;
  }
  EXPECT_FALSE(parseZoneFile(std::string(kMaxImportBytes + 1, ' '), "example.com").ok());
  // Records become JSON: the text must be UTF-8 (a stray 0xE3 once made a record unreadable).
  auto latin = parseZoneFile("ok IN TXT \"fine \xc3\xa9\"\n_u IN URI 10 1 \"ftp://x\xe3/\"\n", "example.com");
  ASSERT_FALSE(latin.ok());
  EXPECT_NE(latin.error().message.find("line 2"), std::string::npos) << latin.error().message;
  EXPECT_FALSE(parseZoneFile("a IN TXT \"\xed\xa0\x80\"", "example.com").ok()) << "a surrogate";
  EXPECT_FALSE(parseZoneFile("a IN TXT \"\xc0\xaf\"", "example.com").ok()) << "an overlong form";
  // Form feeds and vertical tabs are blanks like any other (this input once looped forever).
  auto ff = parseZoneFile("www\fIN\vA\f192.0.2.1\n", "example.com");
  ASSERT_TRUE(ff.ok()) << ff.error().message;
  EXPECT_EQ(ff->records.at(0).content, "192.0.2.1");
}

TEST(BindParse, LocInEveryRfc1876FormAndOpenpgpkeyAcrossLines) {
  const char* text = R"($ORIGIN example.com.
full	IN	LOC	37 46 46 N 122 23 35 W 0m 100m 0m 0m
short	IN	LOC	52 22 N 4 53.5 E -2.5m
bare	IN	LOC	90 S 180 E 10 2 3 4.25
pgp	IN	OPENPGPKEY	( mDMEZ2Vx9hYJKwYB
                        BAHaRw8BAQdA+/8= )
)";
  auto z = parseZoneFile(text, "example.com");
  ASSERT_TRUE(z.ok()) << z.error().message;
  ASSERT_EQ(z->records.size(), 4u);
  const auto& r = z->records;
  EXPECT_EQ(boost::json::serialize(r[0].data),
            R"({"lat_degrees":37,"lat_minutes":46,"lat_seconds":46,"lat_direction":"N",)"
            R"("long_degrees":122,"long_minutes":23,"long_seconds":35,"long_direction":"W",)"
            R"("altitude":0,"size":100,"precision_horz":0,"precision_vert":0})");
  // Absent minutes and seconds are 0; absent size and precisions the RFC's 1m, 10000m, 10m.
  EXPECT_EQ(r[1].data.at("lat_seconds").as_int64(), 0);
  EXPECT_EQ(r[1].data.at("long_minutes").as_double(), 53.5) << "the service refuses it, not the parser";
  EXPECT_EQ(r[1].data.at("altitude").as_double(), -2.5);
  EXPECT_EQ(r[1].data.at("size").as_int64(), 1);
  EXPECT_EQ(r[1].data.at("precision_horz").as_int64(), 10000);
  EXPECT_EQ(r[1].data.at("precision_vert").as_int64(), 10);
  EXPECT_EQ(r[2].data.at("lat_direction").as_string(), "S");
  EXPECT_EQ(r[2].data.at("precision_vert").as_double(), 4.25);
  EXPECT_EQ(r[3].type, "OPENPGPKEY");
  EXPECT_EQ(r[3].content, "mDMEZ2Vx9hYJKwYBBAHaRw8BAQdA+/8=");

  for (const char* bad : {"x IN LOC 37 N\n", "x IN LOC 37 46 46 X 1 2 3 W 0\n",
                          "x IN LOC 37 46 46 N 1 2 3 W\n", "x IN LOC N 1 E 0\n",
                          "x IN LOC 1 2 3 4 N 1 E 0\n", "x IN LOC 1 N 1 E 0m 1m 1m 1m 1m\n",
                          "x IN LOC 1 N 1 E 0km\n", "x IN LOC 1 N 1 E 1.2345\n",
                          "x IN LOC 1 N -1 E 0\n", "x IN OPENPGPKEY\n"}) {
    auto refused = parseZoneFile(bad, "example.com");
    EXPECT_FALSE(refused.ok()) << bad;
    if (!refused.ok()) {
      EXPECT_NE(refused.error().message.find("line 1"), std::string::npos) << bad;
    }
  }
}

TEST(BindExport, ParsesBackToTheSameRecords) {
  store::ZoneRow zone;
  zone.id = "z";
  zone.name = "example.com";
  auto rec = [](std::string type, std::string name, std::string content, std::string data = "{}") {
    store::DnsRecordRow r;
    r.type = std::move(type);
    r.name = std::move(name);
    r.content = std::move(content);
    r.data_json = std::move(data);
    r.ttl = 300;
    return r;
  };
  std::vector<store::DnsRecordRow> rows = {
      rec("A", "example.com", "192.0.2.1"),
      rec("CNAME", "www.example.com", "example.com"),
      rec("TXT", "example.com", std::string(300, 'x') + " \"quoted\""),
      rec("MX", "example.com", "mx.example.net"),
      rec("SRV", "_sip._tcp.example.com", "10 5 5060 sip.example.net",
          R"({"priority":10,"weight":5,"port":5060,"target":"sip.example.net"})"),
      rec("CAA", "example.com", "0 issue \"letsencrypt.org\"",
          R"({"flags":0,"tag":"issue","value":"letsencrypt.org"})"),
      rec("URI", "_ftp.example.com", "1 \"ftp://example.com/\"",
          R"({"weight":1,"target":"ftp://example.com/"})"),
      rec("LOC", "loc.example.com", "31 58 52.100 S 115 49 11.700 E -20.50 10.00 10.00 2.00",
          R"({"lat_degrees":31,"lat_minutes":58,"lat_seconds":5.21E1,"lat_direction":"S",)"
          R"("long_degrees":115,"long_minutes":49,"long_seconds":1.17E1,"long_direction":"E",)"
          R"("altitude":-2.05E1,"size":10,"precision_horz":10,"precision_vert":2})"),
      rec("OPENPGPKEY", "pgp.example.com", "mDMEZ2Vx9hYJKwYBBAHaRw8BAQdA+/8="),
  };
  rows[0].proxied = true;
  rows[3].priority = 5;
  rows[6].priority = 10;
  const std::string text = exportZone(zone, rows, 0);
  auto back = parseZoneFile(text, "example.com");
  ASSERT_TRUE(back.ok()) << back.error().message << "\n" << text;
  EXPECT_EQ(back->skipped_soa, 1);
  ASSERT_EQ(back->records.size(), rows.size()) << text;
  for (const ParsedRecord& p : back->records) {
    const auto it = std::find_if(rows.begin(), rows.end(), [&](const store::DnsRecordRow& r) {
      return r.type == p.type && r.name == p.name;
    });
    ASSERT_NE(it, rows.end()) << p.type << " " << p.name;
    EXPECT_EQ(p.ttl, 300);
    EXPECT_EQ(p.proxied, it->proxied) << p.type;
    if (it->data_json == "{}") {
      EXPECT_EQ(p.content, it->content) << p.type;
    } else {
      EXPECT_EQ(boost::json::value(p.data), boost::json::parse(it->data_json)) << p.type;
    }
    if (p.type == "MX" || p.type == "URI") {
      EXPECT_EQ(p.priority, it->priority) << p.type;
    }
  }
}

}  // namespace
}  // namespace nubis::dns
