// Account member roles (Cloudflare's legacy role model, GET /accounts/{id}/roles) and what each
// grants, expressed as ordinary policies so that a member's rights go through the same evaluator
// as a token's: there is one policy path (api/authorize.h).
//
// Nubis keeps the three account-wide roles every Cloudflare account has, with Cloudflare's ids
// (the ids are global, not per account: cloudflare-docs' tenant guide says the Administrator role
// "always has the ID 05784afa30c1afe1440e79d9351c7430"). The finer product roles (DNS, Images,
// ...) of enterprise accounts are not modelled: an unknown role id is refused by the API.
//
// What a role grants, over the member's account and every zone in it:
//   Super Administrator - All Privileges: every account and zone group of the catalog.
//   Administrator: the same minus Billing and Account Settings Write (which guards the account
//     itself and its membership: "everything except membership management and billing").
//   Administrator Read Only: every Read group.
// User-scoped groups (the member's own tokens, user details, memberships) are never a role's:
// a user always holds them over itself.
//
// Static data and pure functions: safe from any thread.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "auth/policy.h"

namespace nubis::auth {

struct Role {
  enum class Grant { kAll, kAllButMembershipAndBilling, kReadOnly };
  std::string_view id;  // 32 lowercase hex
  std::string_view name;
  std::string_view description;
  Grant grant;
};

inline constexpr std::string_view kSuperAdministratorRole = "33666b9c79b9a5273fc7344ff42f953d";

std::span<const Role> allRoles();
const Role* findRoleById(std::string_view id);
const Role* findRoleByName(std::string_view name);

// Whether the role holds the catalog group `group_id` (account or zone scoped).
bool roleHolds(const Role& role, std::string_view group_id);

// The allow policies a member with `role` holds in `account_id`: the role's account groups on
// com.cloudflare.api.account.<id> and its zone groups on every zone of that account.
std::vector<Policy> rolePolicies(const Role& role, const std::string& account_id);

// The legacy permission map of Role objects and memberships:
// {"analytics":{"read":..,"write":..}, "billing":..., ..., "zones":...}, as (key, read, write).
struct LegacyPermission {
  std::string_view key;
  bool read, write;
};
std::vector<LegacyPermission> legacyPermissions(std::span<const Role* const> roles);

}  // namespace nubis::auth
