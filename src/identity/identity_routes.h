// Routes for /user, /accounts and /memberships: the identity a credential acts as.
#pragma once

#include "api/router.h"
#include "auth/authenticator.h"
#include "base/clock.h"
#include "store/store.h"

namespace nubis::identity {

struct Deps {
  store::Store& store;
  auth::Authenticator& authn;
  const Clock& clock;
};

void registerRoutes(api::Router& router, Deps deps);

}  // namespace nubis::identity
