#include "ssl/local_ca.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>

namespace nubis::ssl {
namespace {

constexpr const char* kCaName = "Nubis Local CA";
constexpr int64_t kMicros = 1'000'000;

struct Free {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
  void operator()(X509* x) const { X509_free(x); }
  void operator()(BIO* b) const { BIO_free(b); }
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using Key = std::unique_ptr<EVP_PKEY, Free>;
using Cert = std::unique_ptr<X509, Free>;
using Bio = std::unique_ptr<BIO, Free>;

ApiError fail(const std::string& what) { return ApiError::internal("local CA: " + what); }

const unsigned char* text(const char* s) { return reinterpret_cast<const unsigned char*>(s); }

std::string bioString(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(n));
}

bool addExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// Seconds since the epoch into an ASN1_TIME field.
bool setTime(ASN1_TIME* field, int64_t micros) {
  return ASN1_TIME_set(field, static_cast<time_t>(micros / kMicros)) != nullptr;
}

}  // namespace

struct LocalCa::Keys {
  Key key;
  Cert cert;
};

LocalCa::~LocalCa() = default;

Result<LocalCa::Pem> LocalCa::generate(int64_t now_micros) {
  Key key(EVP_EC_gen("P-384"));
  Cert cert(X509_new());
  if (!key || !cert) return fail("key generation failed");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  if (!setTime(X509_getm_notBefore(cert.get()), now_micros - 3600 * kMicros) ||
      !setTime(X509_getm_notAfter(cert.get()), now_micros + int64_t{3650} * 86400 * kMicros)) {
    return fail("cannot set the validity");
  }
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, text("Nubis"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, text(kCaName), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (!addExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
      !addExtension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign") ||
      !addExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash")) {
    return fail("cannot add the CA extensions");
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha384()) <= 0) return fail("cannot sign the CA");
  Bio kb(BIO_new(BIO_s_mem())), cb(BIO_new(BIO_s_mem()));
  if (!kb || !cb ||
      PEM_write_bio_PrivateKey(kb.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      PEM_write_bio_X509(cb.get(), cert.get()) != 1) {
    return fail("cannot write PEM");
  }
  return Pem{bioString(kb.get()), bioString(cb.get())};
}

Result<std::unique_ptr<LocalCa>> LocalCa::load(const Pem& pem) {
  Bio kb(BIO_new_mem_buf(pem.key.data(), static_cast<int>(pem.key.size())));
  Bio cb(BIO_new_mem_buf(pem.cert.data(), static_cast<int>(pem.cert.size())));
  if (!kb || !cb) return fail("out of memory");
  auto keys = std::make_unique<Keys>();
  keys->key.reset(PEM_read_bio_PrivateKey(kb.get(), nullptr, nullptr, nullptr));
  keys->cert.reset(PEM_read_bio_X509(cb.get(), nullptr, nullptr, nullptr));
  if (!keys->key || !keys->cert) return fail("the CA key or certificate does not parse");
  if (X509_check_private_key(keys->cert.get(), keys->key.get()) != 1) {
    return fail("the CA key does not match its certificate");
  }
  std::unique_ptr<LocalCa> ca(new LocalCa());
  char cn[256] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(keys->cert.get()), NID_commonName, cn,
                            sizeof cn);
  ca->issuer_ = cn;
  ca->cert_pem_ = pem.cert;
  ca->keys_ = std::move(keys);
  return ca;
}

Result<IssuedCertificate> LocalCa::issue(const std::vector<std::string>& hosts, int validity_days,
                                         int64_t now_micros) {
  if (hosts.empty()) return fail("a certificate needs at least one host");
  Key leaf_key(EVP_EC_gen("P-256"));
  Cert cert(X509_new());
  if (!leaf_key || !cert) return fail("key generation failed");
  std::lock_guard lock(mu_);
  const uint64_t n = ++issued_;
  // Unique per CA without state on disk: the time in micros and a counter.
  char serial_hex[48];
  std::snprintf(serial_hex, sizeof serial_hex, "%016llx%08llx",
                static_cast<unsigned long long>(now_micros),
                static_cast<unsigned long long>(n & 0xffffffffULL));
  BIGNUM* bn = nullptr;
  if (BN_hex2bn(&bn, serial_hex) == 0) return fail("serial");
  std::unique_ptr<BIGNUM, Free> serial(bn);
  BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get()));
  X509_set_version(cert.get(), 2);
  IssuedCertificate out;
  out.not_before = now_micros / kMicros * kMicros;
  out.not_after = out.not_before + int64_t{validity_days} * 86400 * kMicros;
  if (!setTime(X509_getm_notBefore(cert.get()), out.not_before) ||
      !setTime(X509_getm_notAfter(cert.get()), out.not_after)) {
    return fail("cannot set the validity");
  }
  X509_set_pubkey(cert.get(), leaf_key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, text(hosts.front().c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), X509_get_subject_name(keys_->cert.get()));
  std::string san;
  for (const std::string& h : hosts) san += (san.empty() ? "DNS:" : ",DNS:") + h;
  X509* ca = keys_->cert.get();
  if (!addExtension(cert.get(), ca, NID_basic_constraints, "critical,CA:FALSE") ||
      !addExtension(cert.get(), ca, NID_key_usage, "critical,digitalSignature") ||
      !addExtension(cert.get(), ca, NID_ext_key_usage, "serverAuth") ||
      !addExtension(cert.get(), ca, NID_authority_key_identifier, "keyid") ||
      !addExtension(cert.get(), ca, NID_subject_alt_name, san)) {
    return fail("cannot add the certificate's extensions (hosts: " + san + ")");
  }
  if (X509_sign(cert.get(), keys_->key.get(), EVP_sha384()) <= 0) return fail("cannot sign");
  Bio cb(BIO_new(BIO_s_mem()));
  if (!cb || PEM_write_bio_X509(cb.get(), cert.get()) != 1) return fail("cannot write PEM");
  out.pem = bioString(cb.get());
  out.serial = serial_hex;
  return out;
}

}  // namespace nubis::ssl
