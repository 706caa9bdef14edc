#include "api/authorize.h"

#include <vector>

#include "auth/catalog.h"

namespace nubis::api {

bool allowed(const auth::Principal& p, std::span<const std::string_view> groups,
             const auth::Target& target) {
  if (target.kind == auth::Target::kUser) {
    if (p.actsAsUser()) return target.user_id == p.user_id;
    return auth::evaluate(p.policies, groups, target);
  }
  if (!p.reaches(target.account_id)) return false;
  // A user acts in an account within what its member roles grant there, whatever the credential.
  if (p.kind != auth::Principal::Kind::kAccountToken &&
      !auth::evaluate(p.member_policies, groups, target)) {
    return false;
  }
  if (p.actsAsUser()) return true;
  return auth::evaluate(p.policies, groups, target);
}

std::span<const std::string_view> anyZoneGroup() {
  static const std::vector<std::string_view> ids = [] {
    std::vector<std::string_view> out;
    for (const auto& g : auth::allGroups())
      if (g.scope == auth::Scope::kZone) out.push_back(g.id);
    return out;
  }();
  return ids;
}

}  // namespace nubis::api
