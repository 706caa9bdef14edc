// Dashboard passwords: argon2id hashes (the encoded form, salt and parameters included), and
// their check. Only the hash is ever stored.
#pragma once

#include <string>
#include <string_view>

#include "base/random.h"

namespace nubis::auth {

// An argon2id encoded hash of `password` ("" when argon2 fails).
std::string hashPassword(const std::string& password, Random& rng);

// Whether `password` matches `encoded` (argon2's own constant-time comparison). An empty or
// malformed `encoded` matches nothing; checkNoPassword() spends the same time when there is no
// user to check against, so a sign-in does not tell which e-mails exist by its speed.
bool passwordMatches(std::string_view encoded, std::string_view password);
void checkNoPassword(std::string_view password);

}  // namespace nubis::auth
