// The local CA: a generated CA loads back, refuses a key that is not its own, and issues leaf
// certificates that verify against it, name the hosts asked, last the days asked and are
// signed ECDSA with SHA-384 (what the packs report).
#include "ssl/local_ca.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <set>
#include <string>

namespace nubis::ssl {
namespace {

constexpr int64_t kNow = int64_t{1'800'000'000} * 1'000'000;  // 2027-01-15

X509* parse(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* x = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  return x;
}

std::set<std::string> dnsNames(X509* x) {
  std::set<std::string> out;
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
    if (n->type == GEN_DNS) {
      out.insert(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(n->d.dNSName)),
                             static_cast<size_t>(ASN1_STRING_length(n->d.dNSName))));
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

TEST(LocalCa, IssuesCertificatesThatVerifyAndSayWhatThePackSays) {
  auto pem = LocalCa::generate(kNow);
  ASSERT_TRUE(pem.ok()) << pem.error().detail;
  auto ca = LocalCa::load(*pem);
  ASSERT_TRUE(ca.ok()) << ca.error().detail;
  EXPECT_EQ((*ca)->issuerName(), "Nubis Local CA");

  auto leaf = (*ca)->issue({"*.example.com", "example.com"}, 90, kNow);
  ASSERT_TRUE(leaf.ok()) << leaf.error().detail;
  EXPECT_EQ(leaf->signature, "ECDSAWithSHA384");
  EXPECT_EQ(leaf->not_after - leaf->not_before, int64_t{90} * 86400 * 1'000'000);

  std::unique_ptr<X509, decltype(&X509_free)> x(parse(leaf->pem), X509_free);
  std::unique_ptr<X509, decltype(&X509_free)> root(parse(pem->cert), X509_free);
  ASSERT_TRUE(x && root);
  EVP_PKEY* ca_key = X509_get0_pubkey(root.get());
  EXPECT_EQ(X509_verify(x.get(), ca_key), 1) << "signed by the CA";
  EXPECT_EQ(X509_get_signature_nid(x.get()), NID_ecdsa_with_SHA384);
  EXPECT_EQ(dnsNames(x.get()), (std::set<std::string>{"*.example.com", "example.com"}));
  EXPECT_EQ(X509_check_issued(root.get(), x.get()), X509_V_OK);
  // Dates: the certificate's own say what the pack reports.
  ASN1_TIME* expected = ASN1_TIME_set(nullptr, static_cast<time_t>(leaf->not_after / 1'000'000));
  EXPECT_EQ(ASN1_TIME_compare(X509_get0_notAfter(x.get()), expected), 0);
  ASN1_TIME_free(expected);

  auto second = (*ca)->issue({"www.example.com"}, 14, kNow);
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->serial, leaf->serial);
}

TEST(LocalCa, RefusesAKeyThatIsNotItsOwnAndGarbage) {
  auto a = LocalCa::generate(kNow);
  auto b = LocalCa::generate(kNow);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_FALSE(LocalCa::load({a->key, b->cert}).ok());
  EXPECT_FALSE(LocalCa::load({"not a key", a->cert}).ok());
  auto ca = LocalCa::load(*a);
  ASSERT_TRUE(ca.ok());
  EXPECT_FALSE((*ca)->issue({}, 90, kNow).ok());
}

}  // namespace
}  // namespace nubis::ssl
