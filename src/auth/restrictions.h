// The restriction half of the privilege ceiling: a token bound to some IP ranges or to an
// expiry cannot mint a token that escapes them (an IP-locked token creating an unrestricted
// twin would defeat the lock). Pure functions.
#pragma once

#include <cstdint>
#include <optional>

#include "auth/policy.h"

namespace nubis::auth {

// `inner` lies entirely inside `outer` (same family, at least as long a prefix).
bool cidrWithin(const Cidr& inner, const Cidr& outer);

// Every address the requested condition admits is admitted by the creator's condition:
// each requested `in` range lies inside some creator `in` range (a creator `in` list forces the
// request to have one), and each creator `not_in` range lies inside some requested `not_in` range.
bool conditionWithin(const std::optional<Condition>& requested,
                     const std::optional<Condition>& creator);

// A creator that expires can only mint tokens that expire no later.
bool expiryWithin(std::optional<int64_t> requested, std::optional<int64_t> creator);

}  // namespace nubis::auth
