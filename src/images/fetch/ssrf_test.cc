// RELIABILITY.md R5: SSRF destinations, each refused before connect(). The listener on
// 127.0.0.1 (TestOrigin) counts accepts and must see none; names resolve through a test
// resolver, which literal hosts must never reach.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>

#include "images/fetch/fetch.h"
#include "images/fetch/test_origin.h"

namespace nubis::images {
namespace {

using Kind = FetchError::Kind;

// Names that resolve to hostile addresses, counting lookups.
struct HostileDns {
  std::shared_ptr<std::atomic<int>> lookups = std::make_shared<std::atomic<int>>(0);

  Resolver resolver() const {
    return [lookups = lookups](const std::string& host) {
      ++*lookups;
      static const std::map<std::string, std::vector<const char*>> kZone = {
          {"loopback.test", {"127.0.0.1"}},
          {"localhost", {"127.0.0.1", "::1"}},
          {"metadata.test", {"169.254.169.254"}},
          {"lan.test", {"192.168.1.10"}},
          {"cgnat.test", {"100.64.1.1"}},
          {"v6loop.test", {"::1"}},
          {"ula.test", {"fd00::1"}},
          {"linklocal6.test", {"fe80::1"}},
          {"nat64.test", {"64:ff9b::7f00:1"}},
          {"6to4.test", {"2002:7f00:1::1"}},
          {"unspecified.test", {"0.0.0.0"}},
          // A public address first, then loopback: one bad answer refuses the name.
          {"mixed.test", {"93.184.216.34", "127.0.0.1"}},
      };
      std::vector<auth::IpAddress> out;
      if (auto it = kZone.find(host); it != kZone.end()) {
        for (const char* a : it->second) out.push_back(*auth::parseIpAddress(a));
      }
      return out;
    };
  }
};

struct Case {
  std::string url;  // "{P}" is replaced by the listener's port
  Kind kind;
  bool resolves;  // whether the test resolver may be asked
};

std::string withPort(std::string url, uint16_t port) {
  size_t at = url.find("{P}");
  if (at != std::string::npos) url.replace(at, 3, std::to_string(port));
  return url;
}

TEST(Ssrf, EveryHostileDestinationIsRefusedBeforeConnect) {
  const Case cases[] = {
      // Loopback, written every way a parser might read it.
      {"http://127.0.0.1:{P}/", Kind::kBlocked, false},
      {"http://127.1:{P}/", Kind::kBlocked, false},
      {"http://2130706433:{P}/", Kind::kBlocked, false},
      {"http://0x7f000001:{P}/", Kind::kBlocked, false},
      {"http://017700000001:{P}/", Kind::kBlocked, false},
      {"http://0177.0.0.1:{P}/", Kind::kBlocked, false},
      {"http://0x7f.1:{P}/", Kind::kBlocked, false},
      {"http://127.000.000.001:{P}/", Kind::kBlocked, false},
      {"http://127.0.0.1.:{P}/", Kind::kBadUrl, false},  // Boost.URL 1.81 misreads it: refused
      {"http://127.1.:{P}/", Kind::kBlocked, false},
      {"http://127.0.0.1.nip.io:{P}/", Kind::kBadUrl, false},
      {"http://0.0.0.0:{P}/", Kind::kBlocked, false},
      {"http://0:{P}/", Kind::kBlocked, false},
      {"http://[::1]:{P}/", Kind::kBlocked, false},
      {"http://[::]:{P}/", Kind::kBlocked, false},
      {"http://[::ffff:127.0.0.1]:{P}/", Kind::kBlocked, false},
      {"http://[::ffff:7f00:1]:{P}/", Kind::kBlocked, false},
      {"http://[::127.0.0.1]:{P}/", Kind::kBlocked, false},
      {"http://[64:ff9b::7f00:1]:{P}/", Kind::kBlocked, false},
      {"http://[2002:7f00:1::1]:{P}/", Kind::kBlocked, false},
      // Private, link-local, metadata, CGNAT, multicast, broadcast.
      {"http://169.254.169.254/latest/meta-data/", Kind::kBlocked, false},
      {"http://0xa9fea9fe/latest/meta-data/", Kind::kBlocked, false},
      {"http://10.0.0.1/", Kind::kBlocked, false},
      {"http://172.16.0.1/", Kind::kBlocked, false},
      {"http://192.168.1.1/", Kind::kBlocked, false},
      {"http://100.64.0.1/", Kind::kBlocked, false},
      {"http://198.18.0.1/", Kind::kBlocked, false},
      {"http://224.0.0.1/", Kind::kBlocked, false},
      {"http://255.255.255.255/", Kind::kBlocked, false},
      {"http://[fc00::1]/", Kind::kBlocked, false},
      {"http://[fd12:3456::1]/", Kind::kBlocked, false},
      {"http://[fe80::1]/", Kind::kBlocked, false},
      {"http://[ff02::1]/", Kind::kBlocked, false},
      // Names resolving to the above.
      {"http://loopback.test:{P}/", Kind::kBlocked, true},
      {"http://LOOPBACK.test.:{P}/", Kind::kBlocked, true},
      {"http://localhost:{P}/", Kind::kBlocked, true},
      {"http://metadata.test/", Kind::kBlocked, true},
      {"http://lan.test/", Kind::kBlocked, true},
      {"http://cgnat.test/", Kind::kBlocked, true},
      {"http://v6loop.test:{P}/", Kind::kBlocked, true},
      {"http://ula.test/", Kind::kBlocked, true},
      {"http://linklocal6.test/", Kind::kBlocked, true},
      {"http://nat64.test:{P}/", Kind::kBlocked, true},
      {"http://6to4.test:{P}/", Kind::kBlocked, true},
      {"http://unspecified.test:{P}/", Kind::kBlocked, true},
      {"http://mixed.test:{P}/", Kind::kBlocked, true},
      // userinfo, backslash, encoding and zone tricks.
      {"http://example.com@127.0.0.1:{P}/", Kind::kBlocked, false},
      {"http://user:pw@127.1:{P}/", Kind::kBlocked, false},
      {"http://127.0.0.1:{P}\\@example.com/", Kind::kBadUrl, false},
      {"http://example.com\\@127.0.0.1:{P}/", Kind::kBadUrl, false},
      {"http://%31%32%37.0.0.1:{P}/", Kind::kBadUrl, false},
      {"http://[fe80::1%25eth0]:{P}/", Kind::kBadUrl, false},
      {"http://[::1%25lo]:{P}/", Kind::kBadUrl, false},
      {"http://1.2.3.4.5:{P}/", Kind::kBadUrl, false},
      // Schemes other than http and https.
      {"file:///etc/passwd", Kind::kBadUrl, false},
      {"gopher://127.0.0.1:{P}/_GET%20/", Kind::kBadUrl, false},
      {"ftp://127.0.0.1:{P}/", Kind::kBadUrl, false},
      {"data:image/png;base64,iVBORw0KGgo=", Kind::kBadUrl, false},
      {"dict://127.0.0.1:{P}/", Kind::kBadUrl, false},
      {"https://127.0.0.1:{P}/", Kind::kBlocked, false},  // https: the same guard, before TLS
  };
  ASSERT_GE(std::size(cases), 30u);

  TestOrigin listener;
  HostileDns dns;
  FetchPolicy policy;  // no allow ranges
  policy.timeout = std::chrono::seconds(5);
  for (const Case& c : cases) {
    const std::string url = withPort(c.url, listener.port());
    const int lookups_before = *dns.lookups;
    auto got = fetchUrl(url, policy, dns.resolver());
    auto* e = std::get_if<FetchError>(&got);
    ASSERT_NE(e, nullptr) << url;
    EXPECT_EQ(e->kind, c.kind) << url << ": " << e->message;
    if (!c.resolves) {
      EXPECT_EQ(*dns.lookups, lookups_before) << url << " reached the resolver";
    }
  }
  // Not one connection reached the listener.
  EXPECT_EQ(listener.accepts(), 0);
  EXPECT_TRUE(listener.requests().empty());
}

TEST(Ssrf, SystemResolverNamesAreCheckedToo) {
  TestOrigin listener;
  FetchPolicy policy;
  policy.timeout = std::chrono::seconds(5);
  // /etc/hosts: no network traffic, and the answer is loopback.
  auto got = fetchUrl(listener.url("/").replace(7, 9, "localhost"), policy);
  ASSERT_TRUE(std::holds_alternative<FetchError>(got));
  EXPECT_EQ(std::get<FetchError>(got).kind, Kind::kBlocked) << std::get<FetchError>(got).message;
  EXPECT_EQ(listener.accepts(), 0);
}

TEST(Ssrf, BlockedMessagesDoNotEchoResolvedAddresses) {
  HostileDns dns;
  auto got = fetchUrl("http://lan.test/x.png", FetchPolicy{}, dns.resolver());
  ASSERT_TRUE(std::holds_alternative<FetchError>(got));
  const std::string& message = std::get<FetchError>(got).message;
  EXPECT_NE(message.find("lan.test"), std::string::npos) << message;
  EXPECT_EQ(message.find("192.168"), std::string::npos) << message;
}

}  // namespace
}  // namespace nubis::images
