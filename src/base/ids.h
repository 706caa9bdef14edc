// Identifier and secret shapes from the product contract (ARCHITECTURE.md "identifiers").
#pragma once

#include <string>
#include <string_view>

#include "base/random.h"

namespace nubis::ids {

// 32 lowercase hex: accounts, zones, users, tokens, policies, memberships, DNS records.
std::string newId(Random& rng);
// 8-4-4-4-12 lowercase hex, version 4.
std::string newUuid(Random& rng);
// 40 characters of [A-Za-z0-9_-]: the classic Cloudflare API token shape clients validate.
std::string newTokenSecret(Random& rng);
// 37 lowercase hex: the legacy Global API Key shape.
std::string newGlobalKey(Random& rng);
// 22 characters of base64url: the Images account hash.
std::string newAccountHash(Random& rng);
// Dashboard password: 24 characters of [A-Za-z0-9].
std::string newPassword(Random& rng);

bool isId(std::string_view s);
bool isHex(std::string_view s);

}  // namespace nubis::ids
