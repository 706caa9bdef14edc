// JSON shapes of the user, accounts, memberships, members, invites and roles (API-SURFACE.md
// §4.2-§4.5; Member and Role as the SDK types them).
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "auth/roles.h"

#include "store/rows.h"

namespace nubis::identity {

// `organizations` lists the user's accounts: {id, name, permissions ["#dns_records:read", ...],
// roles, status member | invited}, from its accepted and pending memberships.
boost::json::object userJson(const store::UserRow& u,
                             const std::vector<std::pair<store::MembershipRow, store::AccountRow>>&
                                 memberships = {});
boost::json::object accountJson(const store::AccountRow& a);
// `permissions` and `roles` follow the membership's roles (auth/roles.h).
boost::json::object membershipJson(const store::MembershipRow& m, const store::AccountRow& a);
// {id, name, description, permissions{analytics: {read, write}, ...}}.
boost::json::object roleJson(const auth::Role& role);
// {id, email, status, roles: [Role], user: {id, email, first_name, last_name,
// two_factor_authentication_enabled}, policies: []}; `user` is null-filled but for its e-mail
// until the membership is accepted.
boost::json::object memberJson(const store::MembershipRow& m, const std::optional<store::UserRow>& u);
// The Invite object; `status` is the reported one (a pending invite past its expiry: expired).
boost::json::object inviteJson(const store::MembershipRow& m, const store::AccountRow& a,
                               const std::string& status);

}  // namespace nubis::identity
