#include "auth/passwords.h"

#include <argon2.h>

#include <cstdint>

namespace nubis::auth {

std::string hashPassword(const std::string& password, Random& rng) {
  uint8_t salt[16];
  rng.fill(salt, sizeof salt);
  char encoded[256];
  // argon2id, t=2, m=19 MiB, p=1: OWASP's minimum recommendation for interactive logins.
  int rc = argon2id_hash_encoded(2, 19 * 1024, 1, password.data(), password.size(), salt,
                                 sizeof salt, 32, encoded, sizeof encoded);
  return rc == ARGON2_OK ? std::string(encoded) : std::string();
}

bool passwordMatches(std::string_view encoded, std::string_view password) {
  if (encoded.empty() || encoded.size() > 255) return false;
  const std::string e(encoded);  // argon2 wants a C string
  return argon2id_verify(e.c_str(), password.data(), password.size()) == ARGON2_OK;
}

void checkNoPassword(std::string_view password) {
  // A hash of "" with the same parameters as hashPassword's: verifying against it costs what a
  // real check costs.
  static const std::string kDecoy = [] {
    const uint8_t salt[16] = {};
    char encoded[256];
    argon2id_hash_encoded(2, 19 * 1024, 1, "", 0, salt, sizeof salt, 32, encoded, sizeof encoded);
    return std::string(encoded);
  }();
  (void)passwordMatches(kDecoy, password);
}

}  // namespace nubis::auth
