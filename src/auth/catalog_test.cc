// The catalog must agree with the reference file's essentials and the route constants.
#include "auth/catalog.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "auth/policy.h"

namespace nubis::auth {
namespace {

TEST(Catalog, HasEveryReferenceGroupOnceWithValidFields) {
  std::set<std::string_view> ids, names;
  const std::set<std::string_view> categories = {"developer_platform",
                                                 "ai_and_machine_learning",
                                                 "dns_and_zones",
                                                 "app_security",
                                                 "rules_and_configuration",
                                                 "cloudflare_one_and_zero_trust",
                                                 "analytics_and_logs",
                                                 "network_services",
                                                 "media",
                                                 "email_and_messaging",
                                                 "cache_and_performance",
                                                 "account_and_billing",
                                                 "other"};
  for (const PermissionGroup& g : allGroups()) {
    EXPECT_TRUE(isHexId(g.id)) << g.id;
    EXPECT_TRUE(ids.insert(g.id).second) << "duplicate id " << g.id;
    EXPECT_TRUE(names.insert(g.name).second) << "duplicate name " << g.name;
    EXPECT_TRUE(categories.contains(g.category)) << g.name << ": " << g.category;
    EXPECT_TRUE(g.is_selectable);
    EXPECT_EQ(findGroup(g.id), &g);
  }
  EXPECT_EQ(allGroups().size(), 43u);
}

TEST(Catalog, RouteConstantsNameTheRightGroups) {
  struct Want {
    std::string_view id, name;
    Scope scope;
  };
  namespace g = groups;
  const Want wants[] = {
      {g::kApiTokensRead, "API Tokens Read", Scope::kUser},
      {g::kApiTokensWrite, "API Tokens Write", Scope::kUser},
      {g::kMembershipsRead, "Memberships Read", Scope::kUser},
      {g::kMembershipsWrite, "Memberships Write", Scope::kUser},
      {g::kUserDetailsRead, "User Details Read", Scope::kUser},
      {g::kUserDetailsWrite, "User Details Write", Scope::kUser},
      {g::kAccountSettingsRead, "Account Settings Read", Scope::kAccount},
      {g::kAccountSettingsWrite, "Account Settings Write", Scope::kAccount},
      {g::kAccountApiTokensRead, "Account API Tokens Read", Scope::kAccount},
      {g::kAccountApiTokensWrite, "Account API Tokens Write", Scope::kAccount},
      {g::kImagesRead, "Images Read", Scope::kAccount},
      {g::kImagesWrite, "Images Write", Scope::kAccount},
      {g::kZoneRead, "Zone Read", Scope::kZone},
      {g::kZoneWrite, "Zone Write", Scope::kZone},
      {g::kDnsRead, "DNS Read", Scope::kZone},
      {g::kDnsWrite, "DNS Write", Scope::kZone},
      {g::kSslRead, "SSL and Certificates Read", Scope::kZone},
      {g::kSslWrite, "SSL and Certificates Write", Scope::kZone},
  };
  for (const Want& w : wants) {
    const PermissionGroup* found = findGroup(w.id);
    ASSERT_NE(found, nullptr) << w.name;
    EXPECT_EQ(found->name, w.name);
    EXPECT_EQ(found->scope, w.scope) << w.name;
  }
}

TEST(Catalog, LookupIsExact) {
  EXPECT_EQ(findGroup(""), nullptr);
  EXPECT_EQ(findGroup("4755A26EEDB94DA69E1066D98AA820BE"), nullptr);  // case matters
  EXPECT_EQ(findGroup("4755a26eedb94da69e1066d98aa820be0"), nullptr);
  EXPECT_EQ(findGroup("4755a26eedb94da69e1066d98aa820b"), nullptr);
  EXPECT_EQ(scopeString(Scope::kUser), "com.cloudflare.api.user");
  EXPECT_EQ(scopeString(Scope::kAccount), "com.cloudflare.api.account");
  EXPECT_EQ(scopeString(Scope::kZone), "com.cloudflare.api.account.zone");
}

}  // namespace
}  // namespace nubis::auth
