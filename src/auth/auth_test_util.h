// Test-only helpers for the auth tests: fixed ids, policy builders, and an independent reference
// evaluator (RELIABILITY A2) written differently from evaluator.cc on purpose: every policy is
// expanded into (effect, group, path pattern) tuples, targets become paths, and matching is a
// segment glob. Single-threaded test code.
#pragma once

#include <initializer_list>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "auth/catalog.h"
#include "auth/evaluator.h"
#include "auth/policy.h"

namespace nubis::auth::testing {

// The world of the table tests: user U owns accounts A and B; Z1, Z2 are in A, Z3 in B.
inline const std::string kU = "11111111111111111111111111111111";
inline const std::string kU2 = "22222222222222222222222222222222";
inline const std::string kA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
inline const std::string kB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
inline const std::string kC = "cccccccccccccccccccccccccccccccc";  // an account U is not in
inline const std::string kZ1 = "0000000000000000000000000000a001";
inline const std::string kZ2 = "0000000000000000000000000000a002";
inline const std::string kZ3 = "0000000000000000000000000000b003";
inline const std::string kZ4 = "0000000000000000000000000000c004";  // in C
inline const std::string kZ5 = "0000000000000000000000000000e005";  // no known account
inline const std::string kUnknownGroup = "ffffffffffffffffffffffffffffffff";

inline ResourceKey userKey(const std::string& id) { return {ResourceKey::kUser, id, {}}; }
inline ResourceKey accountKey(const std::string& id) { return {ResourceKey::kAccount, id, {}}; }
inline ResourceKey zoneKey(const std::string& id) { return {ResourceKey::kZone, id, {}}; }
inline ResourceKey nestedKey(const std::string& account, std::vector<std::string> zones) {
  return {ResourceKey::kAccount, account, std::move(zones)};
}

inline Policy makePolicy(bool allow, std::initializer_list<std::string_view> groups,
                         Resources resources) {
  Policy p;
  p.id = "9999999999999999999999999999999" + std::string(allow ? "a" : "d");
  p.allow = allow;
  for (std::string_view g : groups) p.group_ids.emplace_back(g);
  p.resources = std::move(resources);
  return p;
}
inline Policy allowP(std::initializer_list<std::string_view> groups, Resources resources) {
  return makePolicy(true, groups, std::move(resources));
}
inline Policy denyP(std::initializer_list<std::string_view> groups, Resources resources) {
  return makePolicy(false, groups, std::move(resources));
}

// Random policies and targets over the fixed ids above (fixed seeds keep runs reproducible).
class Gen {
 public:
  explicit Gen(unsigned seed) : rng_(seed) {}

  int upTo(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool coin(int percent) { return upTo(100) < percent; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(upTo(static_cast<int>(v.size())))];
  }

  // `kind` 0..3 = user, account, zone, nested; -1 = any.
  ResourceKey key(int kind = -1) {
    static const std::vector<std::string> users = {kU, kU2};
    static const std::vector<std::string> accounts = {kA, kB, kC, "*"};
    static const std::vector<std::string> zones = {kZ1, kZ2, kZ3, kZ4, kZ5, "*"};
    switch (kind >= 0 ? kind : upTo(4)) {
      case 0:
        return userKey(pick(users));
      case 1:
        return accountKey(pick(accounts));
      case 2:
        return zoneKey(pick(zones));
      default: {
        std::vector<std::string> nested;
        int n = 1 + upTo(3);
        for (int i = 0; i < n; ++i) nested.push_back(pick(zones));
        return nestedKey(pick(accounts), std::move(nested));
      }
    }
  }

  // With `bias`, groups and keys lean towards ones that can reach that target, so that allow
  // and deny both match often enough for agreement to mean something.
  Policy policy(const Target* bias = nullptr) {
    Policy p;
    p.id = std::string(32, '7');
    p.allow = coin(70);
    int ng = 1 + upTo(3);
    for (int i = 0; i < ng; ++i) {
      p.group_ids.emplace_back(bias != nullptr && coin(60) ? pick(scopePool(bias->kind))
                                                           : pick(groupPool()));
    }
    int nk = 1 + upTo(3);
    for (int i = 0; i < nk; ++i) {
      int kind = -1;
      if (bias != nullptr && coin(60)) {
        kind = bias->kind == Target::kUser ? 0 : bias->kind == Target::kAccount ? 1 : 2 + upTo(2);
      }
      p.resources.push_back(key(kind));
    }
    return p;
  }

  Target target() {
    switch (upTo(3)) {
      case 0:
        return Target::user(coin(80) ? kU : kU2);
      case 1:
        return Target::account(pick(std::vector<std::string>{kA, kB, kC}));
      default: {
        // Mostly real placements; sometimes a zone paired with the wrong account, or a new zone.
        static const std::vector<std::pair<std::string, std::string>> placed = {
            {kA, kZ1}, {kA, kZ2}, {kB, kZ3}, {kC, kZ4}, {kA, ""}, {kB, ""}, {kB, kZ1}};
        const auto& [a, z] = pick(placed);
        return Target::zone(a, z);
      }
    }
  }

  // Mostly groups of the target's own scope, so that a fair share of cases is allowed.
  std::vector<std::string_view> accepted(const Target& t) {
    const auto& same = scopePool(t.kind);
    std::vector<std::string_view> out;
    int n = 1 + upTo(2);
    for (int i = 0; i < n; ++i) out.push_back(coin(85) ? pick(same) : pick(groupPool()));
    return out;
  }

  static const std::vector<std::string_view>& scopePool(Target::Kind kind) {
    static const std::vector<std::string_view> user = {groups::kApiTokensRead,
                                                       groups::kApiTokensWrite};
    static const std::vector<std::string_view> account = {
        groups::kAccountSettingsRead, groups::kAccountSettingsWrite, groups::kImagesWrite};
    static const std::vector<std::string_view> zone = {groups::kDnsRead, groups::kDnsWrite,
                                                       groups::kZoneWrite};
    return kind == Target::kUser ? user : kind == Target::kAccount ? account : zone;
  }

  static const std::vector<std::string_view>& groupPool() {
    static const std::vector<std::string_view> pool = {groups::kDnsRead,
                                                       groups::kDnsWrite,
                                                       groups::kZoneRead,
                                                       groups::kZoneWrite,
                                                       groups::kAccountSettingsRead,
                                                       groups::kAccountSettingsWrite,
                                                       groups::kApiTokensRead,
                                                       groups::kApiTokensWrite,
                                                       groups::kImagesWrite,
                                                       groups::kSslRead,
                                                       kUnknownGroup};
    return pool;
  }

 private:
  std::mt19937 rng_;
};

// ---- Reference evaluator -------------------------------------------------------------------

struct Tuple {
  bool allow;
  std::string group;
  std::string pattern;  // "user/<u>", "account/<a|*>", "zone/<a|*>/<z|*>"
};

inline std::vector<std::string> splitPath(const std::string& s) {
  std::vector<std::string> out;
  std::string seg;
  std::istringstream in(s);
  while (std::getline(in, seg, '/')) out.push_back(seg);
  if (!s.empty() && s.back() == '/') out.emplace_back();
  return out;
}

// Head segment a group of this scope may act on.
inline std::string headOf(Scope s) {
  return s == Scope::kUser ? "user" : s == Scope::kAccount ? "account" : "zone";
}

inline std::vector<Tuple> expand(const std::vector<Policy>& policies) {
  std::vector<Tuple> out;
  for (const Policy& p : policies) {
    std::vector<std::string> patterns;
    for (const ResourceKey& k : p.resources) {
      if (k.kind == ResourceKey::kUser) patterns.push_back("user/" + k.id);
      if (k.kind == ResourceKey::kZone) patterns.push_back("zone/*/" + k.id);
      if (k.kind == ResourceKey::kAccount && k.zones.empty()) patterns.push_back("account/" + k.id);
      for (const std::string& z : k.zones) patterns.push_back("zone/" + k.id + "/" + z);
    }
    for (const std::string& g : p.group_ids) {
      const PermissionGroup* group = findGroup(g);
      if (group == nullptr) continue;
      for (const std::string& pat : patterns) {
        if (splitPath(pat)[0] == headOf(group->scope)) out.push_back({p.allow, g, pat});
      }
    }
  }
  return out;
}

// Empty string when the target lacks an id its kind needs (never matched).
inline std::string targetPath(const Target& t) {
  switch (t.kind) {
    case Target::kUser:
      return t.user_id.empty() ? "" : "user/" + t.user_id;
    case Target::kAccount:
      return t.account_id.empty() ? "" : "account/" + t.account_id;
    case Target::kZone:
      return t.account_id.empty() ? "" : "zone/" + t.account_id + "/" + t.zone_id;
  }
  return "";
}

inline bool globMatch(const std::string& pattern, const std::string& path) {
  std::vector<std::string> p = splitPath(pattern), t = splitPath(path);
  if (p.size() != t.size()) return false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] != "*" && p[i] != t[i]) return false;
  }
  return true;
}

inline bool referenceEvaluate(const std::vector<Tuple>& tuples,
                              const std::vector<std::string_view>& accepted, const Target& t) {
  std::string path = targetPath(t);
  if (path.empty()) return false;
  bool any_allow = false, any_deny = false;
  for (const Tuple& tu : tuples) {
    bool accepted_group = false;
    for (std::string_view a : accepted) accepted_group = accepted_group || a == tu.group;
    if (!accepted_group || !globMatch(tu.pattern, path)) continue;
    (tu.allow ? any_allow : any_deny) = true;
  }
  return any_allow && !any_deny;
}

inline bool referenceEvaluate(const std::vector<Policy>& policies,
                              const std::vector<std::string_view>& accepted, const Target& t) {
  return referenceEvaluate(expand(policies), accepted, t);
}

}  // namespace nubis::auth::testing
