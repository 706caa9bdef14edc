// The strict URL parser: what a fetch URL means before anything resolves or connects.
#include "images/fetch/url.h"

#include <gtest/gtest.h>

namespace nubis::images {
namespace {

FetchTarget parsed(std::string_view url) {
  auto r = parseFetchUrl(url);
  if (auto* e = std::get_if<FetchError>(&r)) {
    ADD_FAILURE() << url << ": " << e->message;
    return {};
  }
  return std::get<FetchTarget>(r);
}

TEST(FetchUrl, ParsesNamesPortsTargetsAndCredentials) {
  FetchTarget t = parsed("http://Images.Example.COM./a/b.png?x=1&y=%20#frag");
  EXPECT_EQ(t.host, "images.example.com");
  EXPECT_FALSE(t.address.has_value());
  EXPECT_EQ(t.port, 80);
  EXPECT_EQ(t.target, "/a/b.png?x=1&y=%20");
  EXPECT_EQ(t.authorization, "");
  EXPECT_EQ(t.url, "http://images.example.com/a/b.png?x=1&y=%20");
  EXPECT_EQ(t.hostHeader(), "images.example.com");

  t = parsed("http://user:p%40ss@example.com:8080");
  EXPECT_EQ(t.port, 8080);
  EXPECT_EQ(t.target, "/");
  EXPECT_EQ(t.authorization, "Basic dXNlcjpwQHNz");  // base64("user:p@ss")
  EXPECT_EQ(t.url, "http://example.com:8080/");      // no userinfo in what we report
  EXPECT_EQ(t.hostHeader(), "example.com:8080");

  EXPECT_EQ(parsed("http://aladdin:opensesame@example.com/").authorization,
            "Basic YWxhZGRpbjpvcGVuc2VzYW1l");
  EXPECT_EQ(parsed("http://user@example.com/").authorization, "Basic dXNlcjo=");
  EXPECT_EQ(parsed("http://@example.com/").authorization, "");
  EXPECT_EQ(parsed("http://u%40x:p@[2001:db8::1]/").authorization, "Basic dUB4OnA=");
  EXPECT_EQ(parsed("HTTP://example.com:/x").port, 80);
  // Numeric labels are fine in names as long as the last one is not a number.
  EXPECT_EQ(parsed("http://01.org/").host, "01.org");
  EXPECT_EQ(parsed("http://1.2.3.com/").host, "1.2.3.com");
  EXPECT_FALSE(parsed("http://0x7f.example/").address.has_value());
}

TEST(FetchUrl, ReadsAddressLiteralsAndNumericForms) {
  struct Row {
    const char* url;
    const char* address;
  };
  const Row rows[] = {
      {"http://127.0.0.1/", "127.0.0.1"},
      {"http://127.1/", "127.0.0.1"},
      {"http://2130706433/", "127.0.0.1"},
      {"http://0x7f000001/", "127.0.0.1"},
      {"http://017700000001/", "127.0.0.1"},
      {"http://0177.0.0.1/", "127.0.0.1"},
      {"http://0x7f.1/", "127.0.0.1"},
      {"http://0x7F.0X0.0x0.0x1/", "127.0.0.1"},
      {"http://127.000.000.001/", "127.0.0.1"},
      {"http://127.1./", "127.0.0.1"},
      {"http://0/", "0.0.0.0"},
      {"http://10.1/", "10.0.0.1"},
      {"http://192.168.257/", "192.168.1.1"},
      {"http://0xa9fea9fe/", "169.254.169.254"},
      {"http://134744072/", "8.8.8.8"},
      {"http://[::1]/", "::1"},
      {"http://[::ffff:127.0.0.1]/", "127.0.0.1"},
      {"http://[::ffff:7f00:1]/", "127.0.0.1"},
      {"http://[0:0:0:0:0:ffff:a9fe:a9fe]/", "169.254.169.254"},
      {"http://[2001:DB8::1]:81/", "2001:db8::1"},
  };
  for (const Row& r : rows) {
    FetchTarget t = parsed(r.url);
    ASSERT_TRUE(t.address.has_value()) << r.url;
    EXPECT_EQ(auth::toString(*t.address), r.address) << r.url;
    EXPECT_EQ(t.host, r.address) << r.url;
  }
  EXPECT_EQ(parsed("http://[2001:db8::1]:81/").hostHeader(), "[2001:db8::1]:81");
}

TEST(FetchUrl, HttpsUsesPort443AndKeepsItsScheme) {
  const FetchTarget t = parsed("https://Example.com/a.png?x=1");
  EXPECT_TRUE(t.tls);
  EXPECT_EQ(t.port, 443);
  EXPECT_EQ(t.hostHeader(), "example.com");
  EXPECT_EQ(t.url, "https://example.com/a.png?x=1");
  const FetchTarget on80 = parsed("https://example.com:80/");
  EXPECT_EQ(on80.hostHeader(), "example.com:80");
  EXPECT_EQ(on80.url, "https://example.com:80/");
  EXPECT_FALSE(parsed("http://example.com:443/").tls);
  EXPECT_EQ(parsed("http://example.com:443/").hostHeader(), "example.com:443");
}

TEST(FetchUrl, RefusesWhatParsersDisagreeOn) {
  struct Row {
    const char* url;
    const char* error;
  };
  const Row rows[] = {
      {"file:///etc/passwd", "only http:// and https:// URLs can be fetched"},
      {"gopher://127.0.0.1:70/_x", "only http:// and https:// URLs can be fetched"},
      {"ftp://example.com/a.png", "only http:// and https:// URLs can be fetched"},
      {"data:image/png;base64,AAAA", "only http:// and https:// URLs can be fetched"},
      {"//example.com/a.png", "malformed URL"},
      {"http:/example.com/", "the URL has no host"},
      {"http:///a", "the URL has no valid host name"},
      {"http://127.0.0.1\\@example.com/", "backslashes are not allowed in URLs"},
      {"http://example.com\\@127.0.0.1/", "backslashes are not allowed in URLs"},
      {"http://%31%32%37.0.0.1/", "percent-encoded hosts are not allowed"},
      {"http://ex%61mple.com/", "percent-encoded hosts are not allowed"},
      {"http://[fe80::1%25eth0]/", "IPv6 zone ids are not allowed"},
      {"http://[v1.fe80]/", "IPvFuture hosts are not supported"},
      {"http://1.2.3.4.5/", "malformed URL"},  // Boost.URL 1.81 misreads it (boostorg/url#755)
      {"http://127.0.0.1.example.com/", "malformed URL"},
      {"http://127.0.0.1./", "malformed URL"},
      {"http://1.2.3.4a:80/", "malformed URL"},
      {"http://1.2.3.4.5.6/", "malformed URL"},
      {"http://1.2.3.04.5/", "the host is not a valid IPv4 address"},
      {"http://256.0.0.1/", "the host is not a valid IPv4 address"},
      {"http://0x1g.1/", "the host is not a valid IPv4 address"},
      {"http://08.0.0.1/", "the host is not a valid IPv4 address"},
      {"http://4294967296/", "the host is not a valid IPv4 address"},
      {"http://1.2.3.16777216/", "the host is not a valid IPv4 address"},
      {"http://exa mple.com/", "the URL contains spaces or control characters"},
      {" http://example.com/", "the URL contains spaces or control characters"},
      {"http://example.com/\n", "the URL contains spaces or control characters"},
      {"http://exa_mple..com/", "the URL has no valid host name"},
      {"http://-x.com:99999/", "invalid port"},
      {"http://example.com:0/", "invalid port"},
      {"http://\xc3\xa9xample.com/",
       "non-ASCII characters must be percent-encoded (hosts in punycode)"},
  };
  for (const Row& r : rows) {
    auto got = parseFetchUrl(r.url);
    auto* e = std::get_if<FetchError>(&got);
    ASSERT_NE(e, nullptr) << r.url;
    EXPECT_EQ(e->kind, FetchError::Kind::kBadUrl) << r.url;
    EXPECT_EQ(e->message, r.error) << r.url;
  }
  EXPECT_EQ(std::get<FetchError>(parseFetchUrl("http://a.com/" + std::string(8200, 'x'))).message,
            "the URL is longer than 8192 bytes");
}

TEST(FetchUrl, ResolvesRedirectLocations) {
  FetchTarget from = parsed("http://user:pw@example.com:8080/a/b.png?q=1");
  struct Row {
    const char* location;
    const char* url;
  };
  const Row rows[] = {
      {"c.png", "http://example.com:8080/a/c.png"},
      {"/x/y.png", "http://example.com:8080/x/y.png"},
      {"../z.png?k=v", "http://example.com:8080/z.png?k=v"},
      {"//other.example/i.png", "http://other.example/i.png"},
      {"http://cdn.example/i.png#f", "http://cdn.example/i.png"},
      {"http://169.254.169.254/latest", "http://169.254.169.254/latest"},
  };
  for (const Row& r : rows) {
    auto got = resolveRedirect(from, r.location);
    ASSERT_TRUE(std::holds_alternative<FetchTarget>(got)) << r.location;
    EXPECT_EQ(std::get<FetchTarget>(got).url, r.url) << r.location;
    // The target carries no credentials of its own; fetch.cc decides whether to keep ours.
    EXPECT_EQ(std::get<FetchTarget>(got).authorization, "") << r.location;
  }
  for (const char* bad : {"file:///etc/passwd", "//127.0.0.1.example.com/x", "http://a\\b/",
                          "http://[::1%25lo]/", "gopher://x/"}) {
    auto got = resolveRedirect(from, bad);
    ASSERT_TRUE(std::holds_alternative<FetchError>(got)) << bad;
    EXPECT_EQ(std::get<FetchError>(got).kind, FetchError::Kind::kBadUrl) << bad;
  }
}

}  // namespace
}  // namespace nubis::images
