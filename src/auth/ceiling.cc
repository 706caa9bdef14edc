// The privilege ceiling for token creation/update (RELIABILITY A3).
//
// Resource keys denote sets: one user, one account or all accounts, one zone, all zones, the
// zones of one account, one zone if it is in one account. Whether "requested allow minus
// requested deny" fits inside "creator allow minus creator deny" is decided per group by testing
// one representative of every class of targets these sets can tell apart: each named user,
// account and zone (placed in its real account via the context), one unnamed zone in each named
// account, and an unnamed account/zone/user. Membership uses indexed sets, so hostile input
// (50 policies x 100 keys on both sides) stays at O(targets x log keys) per group.
#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "auth/catalog.h"
#include "auth/evaluator.h"

namespace nubis::auth {
namespace {

// Never equal to a parsed id (32 hex) nor to "*".
constexpr std::string_view kUnnamed = "~unnamed";

// The part of some policies' resources that a group of `scope` can act on, indexed.
struct GrantSet {
  std::set<std::string, std::less<>> users;
  bool all_accounts = false;
  std::set<std::string, std::less<>> accounts;
  bool all_zones = false;
  std::set<std::string, std::less<>> zones;             // zone.<z>, account.*: {zone.<z>}
  std::set<std::string, std::less<>> account_zones;     // account.<a>: {zone.*}
  std::set<std::pair<std::string, std::string>> pairs;  // account.<a>: {zone.<z>}

  void add(const ResourceKey& k, Scope scope) {
    if (scope == Scope::kUser && k.kind == ResourceKey::kUser) {
      users.insert(k.id);
    } else if (scope == Scope::kAccount && k.kind == ResourceKey::kAccount && !k.nested()) {
      if (k.id == "*") {
        all_accounts = true;
      } else {
        accounts.insert(k.id);
      }
    } else if (scope == Scope::kZone && k.kind == ResourceKey::kZone) {
      if (k.id == "*") {
        all_zones = true;
      } else {
        zones.insert(k.id);
      }
    } else if (scope == Scope::kZone && k.kind == ResourceKey::kAccount && k.nested()) {
      for (const std::string& z : k.zones) {
        if (k.id == "*" && z == "*") {
          all_zones = true;
        } else if (k.id == "*") {
          zones.insert(z);
        } else if (z == "*") {
          account_zones.insert(k.id);
        } else {
          pairs.emplace(k.id, z);
        }
      }
    }
  }

  bool has(const Target& t) const {
    switch (t.kind) {
      case Target::kUser:
        return users.contains(t.user_id);
      case Target::kAccount:
        return all_accounts || accounts.contains(t.account_id);
      case Target::kZone:
        return all_zones || zones.contains(t.zone_id) || account_zones.contains(t.account_id) ||
               pairs.contains({t.account_id, t.zone_id});
    }
    return false;
  }
};

bool hasGroup(const Policy& p, std::string_view group) {
  for (const std::string& g : p.group_ids) {
    if (g == group) return true;
  }
  return false;
}

GrantSet collect(std::span<const Policy> policies, bool allow, std::string_view group,
                 Scope scope) {
  GrantSet out;
  for (const Policy& p : policies) {
    if (p.allow != allow || !hasGroup(p, group)) continue;
    for (const ResourceKey& k : p.resources) out.add(k, scope);
  }
  return out;
}

ApiError refused(std::string detail) {
  ApiError e;
  e.http_status = 403;
  e.code = 9109;
  e.message = "Unauthorized to access requested resource";
  e.detail = std::move(detail);
  return e;
}

std::optional<std::string> accountOf(const CeilingContext& ctx, std::string_view zone) {
  return ctx.zone_account ? ctx.zone_account(zone) : std::nullopt;
}

bool isMember(const CeilingContext& ctx, std::string_view account) {
  return ctx.account_is_member && ctx.account_is_member(account);
}

// Global API Key: every group, over the user's own things and wildcards only.
Status checkUnrestricted(std::span<const Policy> requested, const CeilingContext& ctx) {
  auto zoneOk = [&](const std::string& z) {
    if (z == "*") return true;
    std::optional<std::string> account = accountOf(ctx, z);
    return account.has_value() && isMember(ctx, *account);
  };
  for (std::size_t i = 0; i < requested.size(); ++i) {
    if (!requested[i].allow) continue;
    for (const ResourceKey& k : requested[i].resources) {
      bool ok = false;
      switch (k.kind) {
        case ResourceKey::kUser:
          ok = k.id == ctx.user_id;
          break;
        case ResourceKey::kAccount:
          ok = (k.id == "*" || isMember(ctx, k.id)) &&
               std::all_of(k.zones.begin(), k.zones.end(), zoneOk);
          break;
        case ResourceKey::kZone:
          ok = zoneOk(k.id);
          break;
      }
      if (!ok) {
        return refused("policies[" + std::to_string(i) + "] names " + k.key() +
                       ", which is not the user's own (global API key)");
      }
    }
  }
  return Ok{};
}

std::string describe(const Target& t) {
  auto name = [](const std::string& id) { return id == kUnnamed ? std::string("<unnamed>") : id; };
  switch (t.kind) {
    case Target::kUser:
      return "user " + name(t.user_id);
    case Target::kAccount:
      return "account " + name(t.account_id);
    case Target::kZone:
      return "zone " + name(t.zone_id) + " in account " + name(t.account_id);
  }
  return "";
}

}  // namespace

Status checkCeiling(std::span<const Policy> creator, std::span<const Policy> requested,
                    const CeilingContext& ctx) {
  if (ctx.unrestricted) return checkUnrestricted(requested, ctx);

  // Representatives. Every id named anywhere, on either side, plus one unnamed of each kind.
  std::set<std::string> users{std::string(kUnnamed)};
  std::set<std::string> accounts{std::string(kUnnamed)};
  std::set<std::string> zones;
  for (std::span<const Policy> side : {creator, requested}) {
    for (const Policy& p : side) {
      for (const ResourceKey& k : p.resources) {
        if (k.id != "*") {
          auto& named = k.kind == ResourceKey::kUser      ? users
                        : k.kind == ResourceKey::kAccount ? accounts
                                                          : zones;
          named.insert(k.id);
        }
        for (const std::string& z : k.zones) {
          if (z != "*") zones.insert(z);
        }
      }
    }
  }
  std::vector<Target> zone_targets;
  for (const std::string& z : zones) {
    std::optional<std::string> account = accountOf(ctx, z);
    std::string a = account.value_or(std::string(kUnnamed));
    accounts.insert(a);
    zone_targets.push_back(Target::zone(std::move(a), z));
  }
  for (const std::string& a : accounts) {
    zone_targets.push_back(Target::zone(a, std::string(kUnnamed)));
  }

  std::map<Scope, std::vector<Target>> targets;
  for (const std::string& u : users) targets[Scope::kUser].push_back(Target::user(u));
  for (const std::string& a : accounts) targets[Scope::kAccount].push_back(Target::account(a));
  targets[Scope::kZone] = std::move(zone_targets);

  std::set<std::string_view> checked;
  for (const Policy& p : requested) {
    if (!p.allow) continue;
    for (const std::string& g : p.group_ids) {
      const PermissionGroup* group = findGroup(g);
      if (group == nullptr || !checked.insert(g).second) continue;
      GrantSet want = collect(requested, true, g, group->scope);
      GrantSet narrowed = collect(requested, false, g, group->scope);
      GrantSet held = collect(creator, true, g, group->scope);
      GrantSet removed = collect(creator, false, g, group->scope);
      for (const Target& t : targets[group->scope]) {
        if (!want.has(t) || narrowed.has(t)) continue;
        if (held.has(t) && !removed.has(t)) continue;
        std::string key;
        for (std::size_t i = 0; i < requested.size() && key.empty(); ++i) {
          if (!requested[i].allow || !hasGroup(requested[i], g)) continue;
          for (const ResourceKey& k : requested[i].resources) {
            if (keyCovers(k, t)) {
              key = "policies[" + std::to_string(i) + "] resource " + k.key();
              break;
            }
          }
        }
        return refused(key + " would grant \"" + std::string(group->name) + "\" on " + describe(t) +
                       ", which the creating credential does not hold");
      }
    }
  }
  return Ok{};
}

}  // namespace nubis::auth
