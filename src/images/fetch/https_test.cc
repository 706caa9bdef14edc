// fetchUrl with https:// origins: a local TLS origin whose certificate is made by the test
// (test_tls.h). The certificate must chain to a trusted CA and name the host; the SSRF guard
// applies before any TLS (an https URL to a denied address never connects).
#include <gtest/gtest.h>

#include "images/fetch/fetch.h"
#include "images/fetch/test_origin.h"
#include "images/fetch/test_tls.h"

namespace nubis::images {
namespace {

using Kind = FetchError::Kind;

std::vector<auth::IpAddress> resolve(const std::string& host) {
  if (host == "origin.test" || host == "other.test") return {*auth::parseIpAddress("127.0.0.1")};
  return {};
}

class Https : public ::testing::Test {
 protected:
  Https() : pki_(makeTestPki({"DNS:origin.test", "IP:127.0.0.1"})),
            origin_(pki_.server_cert_pem, pki_.server_key_pem) {
    policy_.allow.push_back(*auth::parseCidr("127.0.0.0/8"));
    policy_.timeout = std::chrono::seconds(5);
    policy_.extra_ca_pem = pki_.ca_pem;
    origin_.route("/cat.png", okResponse("PNGBYTES", "image/png"));
  }

  std::string url(const std::string& host, const std::string& path) const {
    return "https://" + host + ":" + std::to_string(origin_.port()) + path;
  }

  TestPki pki_;
  TestOrigin origin_;
  FetchPolicy policy_;
};

TEST_F(Https, FetchesFromATrustedOriginByNameAndByAddress) {
  for (const std::string host : {"origin.test", "127.0.0.1"}) {
    auto got = fetchUrl(url(host, "/cat.png"), policy_, resolve);
    ASSERT_TRUE(std::holds_alternative<Fetched>(got)) << host << ": "
                                                      << std::get<FetchError>(got).message;
    EXPECT_EQ(std::get<Fetched>(got).body, "PNGBYTES");
    EXPECT_EQ(std::get<Fetched>(got).final_url, url(host, "/cat.png"));
  }
  // The request went through TLS with the right Host header.
  ASSERT_EQ(origin_.requests().size(), 2u);
  EXPECT_NE(origin_.requests()[0].find("Host: origin.test:" + std::to_string(origin_.port())),
            std::string::npos)
      << origin_.requests()[0];
}

TEST_F(Https, RefusesACertificateFromAnUntrustedIssuer) {
  policy_.extra_ca_pem.clear();  // the system store does not know the test CA
  auto got = fetchUrl(url("origin.test", "/cat.png"), policy_, resolve);
  ASSERT_TRUE(std::holds_alternative<FetchError>(got));
  EXPECT_EQ(std::get<FetchError>(got).kind, Kind::kNetwork);
  EXPECT_NE(std::get<FetchError>(got).message.find("TLS handshake"), std::string::npos)
      << std::get<FetchError>(got).message;
  EXPECT_TRUE(origin_.requests().empty()) << "a request was sent over an unverified connection";
}

TEST_F(Https, RefusesACertificateForAnotherName) {
  // other.test resolves to the same origin, whose certificate names origin.test only.
  auto got = fetchUrl(url("other.test", "/cat.png"), policy_, resolve);
  ASSERT_TRUE(std::holds_alternative<FetchError>(got));
  EXPECT_EQ(std::get<FetchError>(got).kind, Kind::kNetwork);
  EXPECT_TRUE(origin_.requests().empty());
}

TEST_F(Https, TheAddressCheckComesBeforeAnyConnection) {
  policy_.allow.clear();  // loopback denied again
  auto got = fetchUrl(url("origin.test", "/cat.png"), policy_, resolve);
  ASSERT_TRUE(std::holds_alternative<FetchError>(got));
  EXPECT_EQ(std::get<FetchError>(got).kind, Kind::kBlocked);
  EXPECT_EQ(origin_.accepts(), 0);
}

TEST_F(Https, PlainHttpToATlsOriginFails) {
  auto got = fetchUrl("http://127.0.0.1:" + std::to_string(origin_.port()) + "/cat.png", policy_,
                      resolve);
  ASSERT_TRUE(std::holds_alternative<FetchError>(got));
  EXPECT_EQ(std::get<FetchError>(got).kind, Kind::kNetwork);
}

TEST_F(Https, RedirectsBetweenSchemesAreFollowedWithoutCredentials) {
  TestOrigin plain;
  plain.route("/img.png", okResponse("PLAIN", "image/png"));
  origin_.route("/down", redirectResponse(302, plain.url("/img.png")));
  auto got = fetchUrl("https://user:secret@origin.test:" + std::to_string(origin_.port()) +
                          "/down",
                      policy_, resolve);
  ASSERT_TRUE(std::holds_alternative<Fetched>(got)) << std::get<FetchError>(got).message;
  EXPECT_EQ(std::get<Fetched>(got).body, "PLAIN");
  ASSERT_EQ(plain.requests().size(), 1u);
  EXPECT_EQ(plain.requests()[0].find("Authorization"), std::string::npos) << plain.requests()[0];
}

TEST_F(Https, AMalformedExtraCaIsANetworkErrorNotACrash) {
  policy_.extra_ca_pem = "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n";
  auto got = fetchUrl(url("origin.test", "/cat.png"), policy_, resolve);
  ASSERT_TRUE(std::holds_alternative<FetchError>(got));
  EXPECT_EQ(std::get<FetchError>(got).kind, Kind::kNetwork);
}

}  // namespace
}  // namespace nubis::images
