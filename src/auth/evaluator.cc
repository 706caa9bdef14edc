// Request-time policy evaluation. The ceiling check for token creation is in ceiling.cc.
#include "auth/evaluator.h"

#include <algorithm>

#include "auth/catalog.h"

namespace nubis::auth {
namespace {

Scope scopeOf(Target::Kind kind) {
  switch (kind) {
    case Target::kUser:
      return Scope::kUser;
    case Target::kAccount:
      return Scope::kAccount;
    case Target::kZone:
      return Scope::kZone;
  }
  return Scope::kUser;
}

// Some group of the policy is accepted by the route and acts on the target's scope.
bool policyHasGroup(const Policy& p, std::span<const std::string_view> accepted, Scope scope) {
  for (const std::string& g : p.group_ids) {
    if (std::find(accepted.begin(), accepted.end(), g) == accepted.end()) continue;
    const PermissionGroup* group = findGroup(g);
    if (group != nullptr && group->scope == scope) return true;
  }
  return false;
}

bool policyReaches(const Policy& p, const Target& target) {
  return std::any_of(p.resources.begin(), p.resources.end(),
                     [&](const ResourceKey& k) { return keyCovers(k, target); });
}

}  // namespace

bool keyCovers(const ResourceKey& key, const Target& target) {
  // A target missing the id its kind needs is a caller bug; it must not be matched by a `*`.
  switch (target.kind) {
    case Target::kUser:
      return !target.user_id.empty() && key.kind == ResourceKey::kUser && key.id == target.user_id;
    case Target::kAccount:
      return !target.account_id.empty() && key.kind == ResourceKey::kAccount && !key.nested() &&
             (key.id == "*" || key.id == target.account_id);
    case Target::kZone:
      if (target.account_id.empty()) return false;
      // An empty zone_id (a zone being created) is reached by wildcards only.
      if (key.kind == ResourceKey::kZone) {
        return key.id == "*" || (!target.zone_id.empty() && key.id == target.zone_id);
      }
      if (key.kind != ResourceKey::kAccount || !key.nested()) return false;
      if (key.id != "*" && key.id != target.account_id) return false;
      return std::any_of(key.zones.begin(), key.zones.end(), [&](const std::string& z) {
        return z == "*" || (!target.zone_id.empty() && z == target.zone_id);
      });
  }
  return false;
}

bool evaluate(std::span<const Policy> policies, std::span<const std::string_view> accepted_groups,
              const Target& target) {
  Scope scope = scopeOf(target.kind);
  bool allowed = false;
  for (const Policy& p : policies) {
    if (!policyHasGroup(p, accepted_groups, scope) || !policyReaches(p, target)) continue;
    if (!p.allow) return false;  // deny beats allow, whatever the order
    allowed = true;
  }
  return allowed;
}

}  // namespace nubis::auth
