// Routes for /user, /accounts, /memberships (identity_routes.cc), and the account members, roles
// and user invites (member_routes.cc): the identity a credential acts as, and who may act where.
#pragma once

#include "api/router.h"
#include "auth/authenticator.h"
#include "base/clock.h"
#include "identity/members.h"
#include "store/store.h"

namespace nubis::identity {

struct Deps {
  store::Store& store;
  auth::Authenticator& authn;
  const Clock& clock;
  MemberService& members;
};

void registerRoutes(api::Router& router, Deps deps);
// /accounts/{account_id}/members*, /accounts/{account_id}/roles*, /user/invites*,
// PUT|DELETE /memberships/{membership_id}.
void registerMemberRoutes(api::Router& router, Deps deps);

}  // namespace nubis::identity
