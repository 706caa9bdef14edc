// Member roles as policies: what each role grants through the evaluator, on the member's
// account and its zones only, and the legacy permission map derived from it.
#include "auth/roles.h"

#include <gtest/gtest.h>

#include <map>

#include "auth/catalog.h"
#include "auth/evaluator.h"

namespace nubis::auth {
namespace {

const std::string kAccount(32, 'a');
const std::string kOther(32, 'b');
const std::string kZone(32, 'c');

bool grants(const Role& role, std::string_view group, const Target& t) {
  const std::string_view one[] = {group};
  return evaluate(rolePolicies(role, kAccount), one, t);
}

TEST(Roles, TheThreeRolesHaveCloudflaresIdsAndNames) {
  ASSERT_EQ(allRoles().size(), 3u);
  EXPECT_EQ(findRoleById("05784afa30c1afe1440e79d9351c7430")->name, "Administrator");
  EXPECT_EQ(findRoleById(kSuperAdministratorRole)->name, "Super Administrator - All Privileges");
  EXPECT_EQ(findRoleByName("Administrator Read Only")->id, "f2b20eaa1a5d4af42b53ac16238c99c7");
  EXPECT_EQ(findRoleById(std::string(32, '0')), nullptr);
  EXPECT_EQ(findRoleByName("administrator"), nullptr) << "names are exact";
}

TEST(Roles, EachRoleGrantsItsGroupsOnTheAccountAndEveryZoneInIt) {
  const Role& super = *findRoleByName("Super Administrator - All Privileges");
  const Role& admin = *findRoleByName("Administrator");
  const Role& ro = *findRoleByName("Administrator Read Only");
  const Target account = Target::account(kAccount);
  const Target zone = Target::zone(kAccount, kZone);
  const Target new_zone = Target::zone(kAccount, "");
  for (const PermissionGroup& g : allGroups()) {
    if (g.scope == Scope::kUser) {
      // Never a role's: a user holds them over itself.
      for (const Role* r : {&super, &admin, &ro}) {
        EXPECT_FALSE(grants(*r, g.id, Target::user(std::string(32, 'd')))) << g.name;
      }
      continue;
    }
    const Target& t = g.scope == Scope::kAccount ? account : zone;
    const bool read = std::string_view(g.name).ends_with(" Read");
    const bool billing = std::string_view(g.name).find("Billing") != std::string_view::npos;
    EXPECT_TRUE(grants(super, g.id, t)) << g.name;
    EXPECT_EQ(grants(admin, g.id, t), !billing && g.id != groups::kAccountSettingsWrite) << g.name;
    EXPECT_EQ(grants(ro, g.id, t), read) << g.name;
    if (g.scope == Scope::kZone) {
      EXPECT_TRUE(grants(super, g.id, new_zone)) << g.name;
    }
  }
}

TEST(Roles, NothingOutsideTheMembersAccount) {
  const Role& super = *findRoleByName("Super Administrator - All Privileges");
  EXPECT_FALSE(grants(super, groups::kAccountSettingsRead, Target::account(kOther)));
  EXPECT_FALSE(grants(super, groups::kDnsWrite, Target::zone(kOther, kZone)));
}

TEST(Roles, LegacyPermissionsFollowTheRoles) {
  auto map = [](std::initializer_list<const char*> names) {
    std::vector<const Role*> roles;
    for (const char* n : names) roles.push_back(findRoleByName(n));
    std::map<std::string, std::pair<bool, bool>> out;
    for (const auto& p : legacyPermissions(roles)) out[std::string(p.key)] = {p.read, p.write};
    return out;
  };
  auto ro = map({"Administrator Read Only"});
  ASSERT_EQ(ro.size(), 12u);
  for (const auto& [k, rw] : ro) {
    EXPECT_TRUE(rw.first || k == "cache_purge") << k;
    EXPECT_FALSE(rw.second) << k;
  }
  auto admin = map({"Administrator"});
  EXPECT_EQ(admin["dns_records"], std::make_pair(true, true));
  EXPECT_EQ(admin["organization"], std::make_pair(true, false));
  EXPECT_EQ(admin["billing"], std::make_pair(false, false));
  auto both = map({"Administrator", "Super Administrator - All Privileges"});
  EXPECT_EQ(both["billing"], std::make_pair(true, true));
  EXPECT_EQ(both["organization"], std::make_pair(true, true));
  EXPECT_TRUE(map({}).at("zones") == std::make_pair(false, false));
}

}  // namespace
}  // namespace nubis::auth
