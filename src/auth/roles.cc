#include "auth/roles.h"

#include <algorithm>
#include <iterator>

#include "auth/catalog.h"

namespace nubis::auth {
namespace {

// clang-format off
constexpr Role kRoles[] = {
    {"33666b9c79b9a5273fc7344ff42f953d", "Super Administrator - All Privileges",
     "Can edit any Cloudflare setting, make purchases, update billing, and manage memberships. "
     "Super Administrators can revoke the access of other Super Administrators.",
     Role::Grant::kAll},
    {"05784afa30c1afe1440e79d9351c7430", "Administrator",
     "Can access the full account, except for membership management and billing.",
     Role::Grant::kAllButMembershipAndBilling},
    {"f2b20eaa1a5d4af42b53ac16238c99c7", "Administrator Read Only",
     "Can access the full account in read-only mode.",
     Role::Grant::kReadOnly},
};
// clang-format on

bool endsWith(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

bool holds(Role::Grant grant, const PermissionGroup& g) {
  if (g.scope == Scope::kUser) return false;
  switch (grant) {
    case Role::Grant::kAll:
      return true;
    case Role::Grant::kAllButMembershipAndBilling:
      return g.id != groups::kAccountSettingsWrite && g.name.find("Billing") == std::string_view::npos;
    case Role::Grant::kReadOnly:
      return endsWith(g.name, " Read");
  }
  return false;
}

}  // namespace

std::span<const Role> allRoles() { return kRoles; }

const Role* findRoleById(std::string_view id) {
  const auto* it = std::find_if(std::begin(kRoles), std::end(kRoles),
                                [id](const Role& r) { return r.id == id; });
  return it == std::end(kRoles) ? nullptr : it;
}

const Role* findRoleByName(std::string_view name) {
  const auto* it = std::find_if(std::begin(kRoles), std::end(kRoles),
                                [name](const Role& r) { return r.name == name; });
  return it == std::end(kRoles) ? nullptr : it;
}

bool roleHolds(const Role& role, std::string_view group_id) {
  const PermissionGroup* g = findGroup(group_id);
  return g != nullptr && holds(role.grant, *g);
}

std::vector<Policy> rolePolicies(const Role& role, const std::string& account_id) {
  Policy account, zones;
  account.id = std::string(role.id) + "-a";
  zones.id = std::string(role.id) + "-z";
  for (const PermissionGroup& g : allGroups()) {
    if (!holds(role.grant, g)) continue;
    (g.scope == Scope::kAccount ? account : zones).group_ids.emplace_back(g.id);
  }
  account.resources = {ResourceKey{ResourceKey::kAccount, account_id, {}}};
  zones.resources = {ResourceKey{ResourceKey::kAccount, account_id, {"*"}}};
  std::vector<Policy> out;
  if (!account.group_ids.empty()) out.push_back(std::move(account));
  if (!zones.group_ids.empty()) out.push_back(std::move(zones));
  return out;
}

std::vector<LegacyPermission> legacyPermissions(std::span<const Role* const> roles) {
  // The legacy keys and the catalog group each one reads as (read, write).
  struct Key {
    std::string_view key, read, write;
  };
  static constexpr Key kKeys[] = {
      {"analytics", "9c88f9c5bce24ce7af9a958ba9c504db", ""},
      {"billing", "7cf72faf220841aabcfdfab81c43c4f6", ""},
      {"cache_purge", "", "e17beae8b8cb423a99b1730f21238bed"},
      {"dns", groups::kDnsRead, groups::kDnsWrite},
      {"dns_records", groups::kDnsRead, groups::kDnsWrite},
      {"lb", "e9a975f628014f1d85b723993116f7d5", "6d7f2f5f5b1d4a0e9081fdc98d432fd1"},
      {"logs", "c4a30cd58c5d42619c86a3c36c441e2d", ""},
      {"organization", groups::kAccountSettingsRead, groups::kAccountSettingsWrite},
      {"ssl", groups::kSslRead, groups::kSslWrite},
      {"waf", "", ""},
      {"zone_settings", groups::kZoneSettingsRead, groups::kZoneSettingsWrite},
      {"zones", groups::kZoneRead, groups::kZoneWrite},
  };
  std::vector<LegacyPermission> out;
  for (const Key& k : kKeys) {
    LegacyPermission p{k.key, false, false};
    for (const Role* r : roles) {
      if (r == nullptr) continue;
      // A key without a write group in the catalog (billing, waf) is written by the roles that
      // are not read-only, billing only by the Super Administrator.
      const bool write = !k.write.empty() ? roleHolds(*r, k.write)
                         : k.key == "billing" ? r->grant == Role::Grant::kAll
                                              : r->grant != Role::Grant::kReadOnly;
      const bool read = write || k.read.empty() || roleHolds(*r, k.read);
      p.write = p.write || write;
      p.read = p.read || read;
    }
    out.push_back(p);
  }
  return out;
}

}  // namespace nubis::auth
