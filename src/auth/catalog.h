// The permission-group catalog: every API-token permission group Nubis knows, with its id, API
// name, scope and listing category. Policies name groups by id; this is where an id gets its
// meaning (and its scope, which decides which resources it can act on).
//
// The table is static, immutable data generated once from
// /work/shared/reference/permission-groups.json by scripts/gen_catalog.py: safe to read from any
// thread, no initialisation order issues (everything is constexpr).
#pragma once

#include <span>
#include <string_view>

namespace nubis::auth {

// The three resource scopes a group can act on. R2-bucket groups are outside this surface.
enum class Scope { kUser, kAccount, kZone };

// "com.cloudflare.api.user" | "com.cloudflare.api.account" | "com.cloudflare.api.account.zone".
std::string_view scopeString(Scope scope);

struct PermissionGroup {
  std::string_view id;    // 32 lowercase hex
  std::string_view name;  // API name ("DNS Write"); the dashboard says "Edit" for "Write"
  Scope scope;
  // One value of the current docs' category vocabulary; see catalog.cc for the mapping.
  std::string_view category;
  bool is_selectable;
};

// nullptr when the id is not in the catalog. Exact, case-sensitive match.
const PermissionGroup* findGroup(std::string_view id);

// Every group, in the reference file's order (which is what GET .../permission_groups lists).
std::span<const PermissionGroup> allGroups();

// Ids of the groups that routes of this surface check (API-SURFACE §5). Names in comments.
namespace groups {
inline constexpr std::string_view kApiTokensRead = "0cc3a61731504c89b99ec1be78b77aa0";
inline constexpr std::string_view kApiTokensWrite = "686d18d5ac6c441c867cbf6771e58a0a";
inline constexpr std::string_view kMembershipsRead = "3518d0f75557482e952c6762d3e64903";
inline constexpr std::string_view kMembershipsWrite = "9201bc6f42d440968aaab0c6f17ebb1d";
inline constexpr std::string_view kUserDetailsRead = "8acbe5bb0d54464ab867149d7f7cf8ac";
inline constexpr std::string_view kUserDetailsWrite = "55a5e17cc99e4a3fa1f3432d262f2e55";
inline constexpr std::string_view kAccountSettingsRead = "c1fde68c7bcc44588cbb6ddbc16d6480";
inline constexpr std::string_view kAccountSettingsWrite = "1af1fa2adc104452b74a9a3364202f20";
inline constexpr std::string_view kAccountApiTokensRead = "eb56a6953c034b9d97dd838155666f06";
inline constexpr std::string_view kAccountApiTokensWrite = "5bc3f8b21c554832afc660159ab75fa4";
inline constexpr std::string_view kImagesRead = "0cf6473ad41449e7b7b743d14fc20c60";
inline constexpr std::string_view kImagesWrite = "618ec6c64a3a42f8b08bdcb147ded4e4";
inline constexpr std::string_view kZoneRead = "c8fed203ed3043cba015a93ad1616f1f";
inline constexpr std::string_view kZoneWrite = "e6d2666161e84845a636613608cee8d5";
inline constexpr std::string_view kDnsRead = "82e64a83756745bbbb1c9c2701bf816b";
inline constexpr std::string_view kDnsWrite = "4755a26eedb94da69e1066d98aa820be";
// "SSL and Certificates Read/Write" (zone-scoped; the account-scoped "Account: SSL and
// Certificates" groups are different ids).
inline constexpr std::string_view kSslRead = "7b7216b327b04b8fbc8f524e1f9b7531";
inline constexpr std::string_view kSslWrite = "c03055bc037c4ea9afb9a9f104b7b721";
inline constexpr std::string_view kZoneSettingsRead = "517b21aee92c4d89936c976ba6e4be55";
inline constexpr std::string_view kZoneSettingsWrite = "3030687196b94b638145a3953da2b699";
}  // namespace groups

}  // namespace nubis::auth
