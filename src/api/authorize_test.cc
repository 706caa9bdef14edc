// api::allowed, the one policy path: inside the accounts a principal reaches, within the user's
// member roles there, and for a token within its own policies too.
#include "api/authorize.h"

#include <gtest/gtest.h>

#include "auth/catalog.h"
#include "auth/roles.h"

namespace nubis::api {
namespace {

namespace g = auth::groups;
const std::string kAccount(32, 'a');
const std::string kZone(32, 'c');
const std::string kUser(32, 'd');

// Allows `group` on every zone.
auth::Policy onAllZones(std::string_view group) {
  auth::Policy p;
  p.group_ids.emplace_back(group);
  auth::ResourceKey key;
  key.kind = auth::ResourceKey::kZone;
  key.id.assign(1, '*');
  p.resources.push_back(std::move(key));
  return p;
}

auth::Principal member(auth::Principal::Kind kind, std::string_view role) {
  auth::Principal p;
  p.kind = kind;
  p.user_id = kUser;
  p.account_ids = {kAccount};
  p.member_policies = auth::rolePolicies(*auth::findRoleByName(role), kAccount);
  return p;
}

bool can(const auth::Principal& p, std::string_view group, const auth::Target& t) {
  const std::string_view one[] = {group};
  return allowed(p, one, t);
}

TEST(Allowed, TheGlobalKeyHasExactlyTheMembersRoles) {
  const auto zone = auth::Target::zone(kAccount, kZone);
  auto ro = member(auth::Principal::Kind::kGlobalKey, "Administrator Read Only");
  EXPECT_TRUE(can(ro, g::kDnsRead, zone));
  EXPECT_FALSE(can(ro, g::kDnsWrite, zone));
  auto admin = member(auth::Principal::Kind::kGlobalKey, "Administrator");
  EXPECT_TRUE(can(admin, g::kDnsWrite, zone));
  EXPECT_FALSE(can(admin, g::kAccountSettingsWrite, auth::Target::account(kAccount)));
  // The user's own things are not a role's.
  EXPECT_TRUE(can(ro, g::kUserDetailsWrite, auth::Target::user(kUser)));
  EXPECT_FALSE(can(ro, g::kUserDetailsWrite, auth::Target::user(std::string(32, 'e'))));
}

TEST(Allowed, AUserTokenIsTheIntersectionOfItsPoliciesAndTheRoles) {
  const auto zone = auth::Target::zone(kAccount, kZone);
  auto tok = member(auth::Principal::Kind::kUserToken, "Administrator Read Only");
  tok.policies = {onAllZones(g::kDnsWrite), onAllZones(g::kDnsRead)};
  EXPECT_TRUE(can(tok, g::kDnsRead, zone));
  EXPECT_FALSE(can(tok, g::kDnsWrite, zone)) << "the role caps the token";
  EXPECT_FALSE(can(tok, g::kSslRead, zone)) << "the role does not widen the token";
  tok.member_policies = auth::rolePolicies(*auth::findRoleByName("Administrator"), kAccount);
  EXPECT_TRUE(can(tok, g::kDnsWrite, zone));
}

TEST(Allowed, AccountTokensAreTheAccountsNotAMembersAndReachStillBounds) {
  auth::Principal acct;
  acct.kind = auth::Principal::Kind::kAccountToken;
  acct.account_ids = {kAccount};
  acct.policies = {onAllZones(g::kDnsWrite)};
  EXPECT_TRUE(can(acct, g::kDnsWrite, auth::Target::zone(kAccount, kZone)));
  EXPECT_FALSE(can(acct, g::kDnsWrite, auth::Target::zone(std::string(32, 'b'), kZone)));
  auto key = member(auth::Principal::Kind::kGlobalKey, "Super Administrator - All Privileges");
  key.account_ids.clear();  // a membership gone: nothing, whatever the policies say
  EXPECT_FALSE(can(key, g::kDnsRead, auth::Target::zone(kAccount, kZone)));
}

}  // namespace
}  // namespace nubis::api
