// LocalCa: the certificate authority behind Nubis's certificate packs. Certificates are real
// (OpenSSL): an ECDSA P-384 CA signs ECDSA P-256 leaf certificates with SHA-384, so a pack's
// dates, signature algorithm ("ECDSAWithSHA384", as Cloudflare reports it) and hosts are what the
// certificate says. The CA's key and certificate live in the data dir; the app reads and writes
// those files (this library does no file I/O).
//
// Thread-safety: issue() is safe from any thread (one mutex around the signing key).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/result.h"

namespace nubis::ssl {

struct IssuedCertificate {
  std::string pem;
  std::string serial;     // hex
  int64_t not_before = 0;  // micros since the epoch, second precision
  int64_t not_after = 0;
  std::string signature = "ECDSAWithSHA384";
};

class LocalCa {
 public:
  ~LocalCa();
  LocalCa(const LocalCa&) = delete;
  LocalCa& operator=(const LocalCa&) = delete;

  // A new CA ("Nubis Local CA", valid 10 years from now): its key and certificate as PEM.
  struct Pem {
    std::string key;
    std::string cert;
  };
  static Result<Pem> generate(int64_t now_micros);
  // The CA from its PEM files; an error when they do not parse or do not belong together.
  static Result<std::unique_ptr<LocalCa>> load(const Pem& pem);

  // A leaf for `hosts` (subjectAltName DNS names, the first as CN), valid `validity_days` from
  // `now_micros`, serial from the CA's counter and the time.
  Result<IssuedCertificate> issue(const std::vector<std::string>& hosts, int validity_days,
                                  int64_t now_micros);

  // The CA's common name, reported as a certificate's issuer.
  const std::string& issuerName() const { return issuer_; }
  const std::string& certificatePem() const { return cert_pem_; }

 private:
  LocalCa() = default;
  struct Keys;
  std::unique_ptr<Keys> keys_;
  std::string issuer_;
  std::string cert_pem_;
  std::mutex mu_;
  uint64_t issued_ = 0;
};

}  // namespace nubis::ssl
