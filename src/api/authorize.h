// Authorization helpers for handlers whose target is only known from the body or the data
// (zone create names its account in the body; lists filter by what each item allows). They go
// through the same evaluator as the dispatcher's route check: there is one policy path.
#pragma once

#include <span>
#include <string_view>

#include "auth/evaluator.h"
#include "auth/principal.h"

namespace nubis::api {

// True when the principal may act on `target` with one of `groups`: inside the accounts it reaches,
// within the user's member roles there (auth/roles.h), and for a token within its own policies.
// The Global API Key has the user's member rights; user targets are the user's own.
bool allowed(const auth::Principal& p, std::span<const std::string_view> groups,
             const auth::Target& target);

// Every zone-scoped group id of the catalog: "any permission on this zone".
std::span<const std::string_view> anyZoneGroup();

}  // namespace nubis::api
