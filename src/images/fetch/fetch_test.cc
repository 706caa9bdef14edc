// fetchUrl against a live origin on 127.0.0.1, opened with allow = 127.0.0.0/8: bytes, names,
// credentials, redirects (followed, refused, looping), size and time limits, error statuses.
#include "images/fetch/fetch.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>

#include "images/fetch/test_origin.h"

namespace nubis::images {
namespace {

using Kind = FetchError::Kind;
using std::chrono::milliseconds;

class Fetch : public ::testing::Test {
 protected:
  Fetch() {
    policy_.allow.push_back(*auth::parseCidr("127.0.0.0/8"));
    policy_.timeout = std::chrono::seconds(5);
  }

  // "origin.test" and "other.test" are the origin; "lan.test" is a private address.
  static std::vector<auth::IpAddress> resolve(const std::string& host) {
    if (host == "origin.test" || host == "other.test") return {*auth::parseIpAddress("127.0.0.1")};
    if (host == "lan.test") return {*auth::parseIpAddress("10.1.2.3")};
    return {};
  }

  std::variant<Fetched, FetchError> fetch(const std::string& url) {
    return fetchUrl(url, policy_, &Fetch::resolve);
  }

  FetchError failed(const std::string& url) {
    auto got = fetch(url);
    if (auto* e = std::get_if<FetchError>(&got)) return *e;
    ADD_FAILURE() << url << " was fetched";
    return {Kind::kNetwork, ""};
  }

  std::string hostPort(const std::string& host) const {
    return host + ":" + std::to_string(origin_.port());
  }

  TestOrigin origin_;
  FetchPolicy policy_;
};

TEST_F(Fetch, ServesTheBytesTypeAndFinalUrl) {
  const std::string png("\x89PNG\r\n\x1a\n\0\0binary", 16);
  origin_.route("/cat.png?v=2", okResponse(png, "image/png"));
  auto got = fetch(origin_.url("/cat.png?v=2#frag"));
  ASSERT_TRUE(std::holds_alternative<Fetched>(got)) << std::get<FetchError>(got).message;
  const Fetched& f = std::get<Fetched>(got);
  EXPECT_EQ(f.body, png);
  EXPECT_EQ(f.content_type, "image/png");
  EXPECT_EQ(f.final_url, origin_.url("/cat.png?v=2"));
  ASSERT_EQ(origin_.requests().size(), 1u);
  const std::string head = origin_.requests()[0];
  EXPECT_EQ(head.substr(0, head.find("\r\n")), "GET /cat.png?v=2 HTTP/1.1");
  EXPECT_NE(head.find("Host: 127.0.0.1:" + std::to_string(origin_.port())), std::string::npos);
  EXPECT_EQ(head.find("Authorization"), std::string::npos);
}

TEST_F(Fetch, ResolvesNamesAndSendsTheirHostHeader) {
  origin_.route("/a.gif", okResponse("GIF89a", "image/gif"));
  auto got = fetch("http://" + hostPort("Origin.Test") + "/a.gif");
  ASSERT_TRUE(std::holds_alternative<Fetched>(got)) << std::get<FetchError>(got).message;
  EXPECT_EQ(std::get<Fetched>(got).body, "GIF89a");
  ASSERT_EQ(origin_.requests().size(), 1u);
  EXPECT_NE(origin_.requests()[0].find("Host: " + hostPort("origin.test")), std::string::npos);
}

TEST_F(Fetch, SendsUserinfoAsBasicAuthorization) {
  origin_.route("/private.png", okResponse("P"));
  auto got = fetch("http://user:p%40ss@" + hostPort("127.0.0.1") + "/private.png");
  ASSERT_TRUE(std::holds_alternative<Fetched>(got)) << std::get<FetchError>(got).message;
  EXPECT_EQ(std::get<Fetched>(got).final_url, origin_.url("/private.png"));  // no password
  ASSERT_EQ(origin_.requests().size(), 1u);
  EXPECT_NE(origin_.requests()[0].find("Authorization: Basic dXNlcjpwQHNz"), std::string::npos);
}

TEST_F(Fetch, FollowsRedirectsUpToTheLimit) {
  origin_.route("/r1", redirectResponse(301, "/r2"));
  origin_.route("/r2", redirectResponse(302, origin_.url("/r3")));
  origin_.route("/r3", redirectResponse(307, "http://" + hostPort("origin.test") + "/img"));
  origin_.route("/img", okResponse("IMG"));
  auto got = fetch(origin_.url("/r1"));
  ASSERT_TRUE(std::holds_alternative<Fetched>(got)) << std::get<FetchError>(got).message;
  EXPECT_EQ(std::get<Fetched>(got).body, "IMG");
  EXPECT_EQ(std::get<Fetched>(got).final_url, "http://" + hostPort("origin.test") + "/img");
  EXPECT_EQ(origin_.accepts(), 4);
}

TEST_F(Fetch, RefusesRedirectLoops) {
  origin_.route("/loop", redirectResponse(308, "/loop"));
  FetchError e = failed(origin_.url("/loop"));
  EXPECT_EQ(e.kind, Kind::kStatus);
  EXPECT_EQ(e.message, "too many redirects (more than 3)");
  EXPECT_EQ(origin_.accepts(), 4);  // the first request and three redirects, then stop

  policy_.max_redirects = 0;
  EXPECT_EQ(failed(origin_.url("/loop")).kind, Kind::kStatus);
  EXPECT_EQ(origin_.accepts(), 5);
}

TEST_F(Fetch, RefusesRedirectsToBlockedDestinations) {
  const std::string blocked[] = {
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.1/",
      "http://[::1]:1/",
      "http://0xa9fea9fe/",
      "http://lan.test/",
      "http://[fd00::1]/",
  };
  int expected_requests = 0;
  for (const std::string& to : blocked) {
    origin_.route("/decoy", redirectResponse(302, to));
    FetchError e = failed(origin_.url("/decoy"));
    EXPECT_EQ(e.kind, Kind::kBlocked) << to << ": " << e.message;
    // The decoy saw exactly the one request that led to the redirect.
    EXPECT_EQ(origin_.accepts(), ++expected_requests) << to;
  }
}

TEST_F(Fetch, RefusesRedirectsToOtherSchemes) {
  for (const char* to : {"file:///etc/passwd", "gopher://127.0.0.1:70/_", "ftp://origin.test/",
                         "http://a\\b@127.0.0.1/"}) {
    origin_.route("/decoy", redirectResponse(303, to));
    FetchError e = failed(origin_.url("/decoy"));
    EXPECT_EQ(e.kind, Kind::kBadUrl) << to;
    EXPECT_EQ(e.message.rfind("redirect refused: ", 0), 0u) << e.message;
  }
}

TEST_F(Fetch, KeepsCredentialsOnTheirOrigin) {
  origin_.route("/same", redirectResponse(302, "/echo"));
  origin_.route("/away", redirectResponse(302, "http://" + hostPort("other.test") + "/echo"));
  origin_.route("/echo", okResponse("ok"));
  const std::string creds = "http://u:p@" + hostPort("origin.test");
  ASSERT_TRUE(std::holds_alternative<Fetched>(fetch(creds + "/same")));
  ASSERT_TRUE(std::holds_alternative<Fetched>(fetch(creds + "/away")));
  std::vector<std::string> heads = origin_.requests();
  ASSERT_EQ(heads.size(), 4u);
  EXPECT_NE(heads[1].find("Authorization: Basic dTpw"), std::string::npos);  // same origin
  EXPECT_EQ(heads[3].find("Authorization"), std::string::npos);              // other host
}

TEST_F(Fetch, RedirectWithoutLocationIsAStatusError) {
  origin_.route("/bare", "HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n");
  FetchError e = failed(origin_.url("/bare"));
  EXPECT_EQ(e.kind, Kind::kStatus);
  EXPECT_EQ(e.message, "the origin answered HTTP 302 without a Location");
}

TEST_F(Fetch, RefusesBodiesOverTheLimit) {
  policy_.max_bytes = 1000;
  origin_.route("/exact", okResponse(std::string(1000, 'x')));
  auto exact = fetch(origin_.url("/exact"));
  ASSERT_TRUE(std::holds_alternative<Fetched>(exact)) << std::get<FetchError>(exact).message;
  EXPECT_EQ(std::get<Fetched>(exact).body.size(), 1000u);

  // Declared too large: refused on the header alone (no body is sent at all).
  origin_.route("/declared", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n");
  // Chunked and read-until-close bodies: refused while streaming.
  std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; ++i) chunked += "12c\r\n" + std::string(300, 'c') + "\r\n";
  chunked += "0\r\n\r\n";
  origin_.route("/chunked", chunked);
  origin_.route("/until-close",
                "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + std::string(1001, 'e'));
  for (const char* path : {"/declared", "/chunked", "/until-close"}) {
    FetchError e = failed(origin_.url(path));
    EXPECT_EQ(e.kind, Kind::kTooLarge) << path << ": " << e.message;
  }
}

TEST_F(Fetch, ASlowDripEndsAtTheDeadline) {
  policy_.timeout = milliseconds(300);
  origin_.route("/drip", okResponse(std::string(200, 'd')), milliseconds(20));
  const auto start = std::chrono::steady_clock::now();
  FetchError e = failed(origin_.url("/drip"));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(e.kind, Kind::kTimeout) << e.message;
  EXPECT_GE(elapsed, milliseconds(290));
  EXPECT_LT(elapsed, milliseconds(1500));
}

TEST_F(Fetch, NonSuccessStatusesAreNamed) {
  origin_.route("/missing", statusResponse(404));
  origin_.route("/broken", statusResponse(500));
  origin_.route("/big-404", "HTTP/1.1 404 Not Found\r\nContent-Length: 99999999999\r\n\r\n");
  policy_.max_bytes = 100;
  for (auto [path, status] : {std::pair{"/missing", 404}, {"/broken", 500}, {"/big-404", 404}}) {
    FetchError e = failed(origin_.url(path));
    EXPECT_EQ(e.kind, Kind::kStatus) << path;
    EXPECT_EQ(e.message, "the origin answered HTTP " + std::to_string(status)) << path;
  }
}

TEST_F(Fetch, NetworkFailuresAreReported) {
  // A port nobody listens on: bind one, note it, close it.
  uint16_t closed_port = 0;
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address_v4("127.0.0.1"), 0});
    closed_port = a.local_endpoint().port();
  }
  FetchError refused = failed("http://127.0.0.1:" + std::to_string(closed_port) + "/");
  EXPECT_EQ(refused.kind, Kind::kNetwork) << refused.message;

  FetchError unknown = failed("http://nowhere.test/");
  EXPECT_EQ(unknown.kind, Kind::kNetwork);
  EXPECT_EQ(unknown.message, "could not resolve nowhere.test");

  origin_.route("/garbage", "SSH-2.0-OpenSSH_9.2\r\n\r\n");
  EXPECT_EQ(failed(origin_.url("/garbage")).kind, Kind::kNetwork);
}

TEST_F(Fetch, AHangingResolverEndsAtTheDeadline) {
  policy_.timeout = milliseconds(200);
  Resolver hang = [](const std::string&) {
    std::this_thread::sleep_for(milliseconds(600));
    return std::vector<auth::IpAddress>{*auth::parseIpAddress("127.0.0.1")};
  };
  const auto start = std::chrono::steady_clock::now();
  auto got = fetchUrl("http://slow.test/", policy_, hang);
  ASSERT_TRUE(std::holds_alternative<FetchError>(got));
  EXPECT_EQ(std::get<FetchError>(got).kind, Kind::kTimeout);
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(500));
  EXPECT_EQ(origin_.accepts(), 0);
}

}  // namespace
}  // namespace nubis::images
