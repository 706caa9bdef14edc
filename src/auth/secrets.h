// SecretHasher: secrets at rest are only ever keyed hashes (HMAC-SHA-256 under a server pepper
// kept in its own file, outside the database), so a stolen database does not yield usable
// tokens. Secrets are long random strings, so a fast keyed hash is enough (RELIABILITY.md §1).
//
// Thread-safety: immutable after construction; hash() is safe from any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/random.h"
#include "base/result.h"

struct evp_mac_ctx_st;

namespace nubis::auth {

class SecretHasher {
 public:
  explicit SecretHasher(std::string pepper);
  // Lowercase hex of HMAC-SHA-256(pepper, domain || 0x00 || secret). The domain separates
  // token secrets from global keys so one can never be replayed as the other.
  std::string hash(std::string_view domain, std::string_view secret) const;

 private:
  // Keyed once here; each hash() duplicates it. HMAC()'s one-shot form looks the algorithm up
  // and re-keys on every call, which showed as a tenth of the cost of an authenticated request.
  std::shared_ptr<evp_mac_ctx_st> keyed_;
};

// Constant-time equality for equal-length strings (false at once for different lengths).
bool constantTimeEquals(std::string_view a, std::string_view b);

// Reads the 32-byte pepper from `path`, creating it (mode 0600, fsynced) on first start.
Result<std::string> loadOrCreatePepper(const std::string& path, Random& rng);

}  // namespace nubis::auth
