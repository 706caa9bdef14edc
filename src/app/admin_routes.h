// The Nubis-only admin API (no Cloudflare counterpart; Cloudflare users sign up on its site):
// POST /client/v4/nubis/users adds a user, GET lists them. Only the instance admin's Global
// API Key passes (api::Access::Kind::kInstanceAdmin); `nubis user create` is the same from the
// command line.
#pragma once

#include "api/router.h"
#include "auth/authenticator.h"
#include "base/clock.h"
#include "base/random.h"
#include "store/store.h"

namespace nubis::app {

void registerAdminRoutes(api::Router& router, store::Store& store, auth::Authenticator& authn,
                         const Clock& clock, Random& rng);

}  // namespace nubis::app
