// The pure policy evaluator (may this token do X to resource R?) and the privilege-ceiling
// check for token creation (may this credential mint a token with these policies?).
//
// Semantics (API-SURFACE §3.3, §3.4), decided where the docs are silent:
//  - A policy acts through a group only on resources of that group's scope: user groups on
//    `com.cloudflare.api.user.<id>`, account groups on `com.cloudflare.api.account.<id | *>`
//    with value "*", zone groups on `com.cloudflare.api.account.zone.<id | *>` and on the nested
//    form `com.cloudflare.api.account.<id | *>: {com.cloudflare.api.account.zone.<id | *>}`.
//  - A plain account key does NOT grant zone groups on that account's zones, and a nested key
//    does NOT grant account groups on the account (it names the zones, not the account).
//  - `com.cloudflare.api.user.*` is refused by the parser; a user key matches only its own id.
//  - Deny beats allow; nothing matching means denied. Unknown group ids grant nothing.
//  - Write never implies Read: routes list every group they accept (read routes pass {X Read,
//    X Write}, write routes {X Write}).
//
// Pure functions over caller-owned data: safe from any thread as long as the callbacks are.
#pragma once

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "auth/policy.h"
#include "base/result.h"

namespace nubis::auth {

// What a request acts on. A zone target carries its account id too; a zone target with an empty
// zone_id means "a new zone in account_id" (zone creation): only zone wildcards and the nested
// `account.<id | *>: {zone.*}` form can grant it.
struct Target {
  enum Kind { kUser, kAccount, kZone };
  Kind kind = kUser;
  std::string user_id;
  std::string account_id;
  std::string zone_id;

  static Target user(std::string id) { return {kUser, std::move(id), "", ""}; }
  static Target account(std::string id) { return {kAccount, "", std::move(id), ""}; }
  static Target zone(std::string account, std::string zone) {
    return {kZone, "", std::move(account), std::move(zone)};
  }
};

// True iff some allow policy covers the request and no deny policy does. A policy covers it when
// one of its groups is in `accepted_groups`, has the target's scope, and one of its resource keys
// reaches the target.
bool evaluate(std::span<const Policy> policies, std::span<const std::string_view> accepted_groups,
              const Target& target);

// Whether one resource key reaches the target, regardless of groups (exposed for routes that
// filter lists, and for tests). Kind must match: user keys reach user targets only, etc.
bool keyCovers(const ResourceKey& key, const Target& target);

struct CeilingContext {
  // The Global API Key: the creator holds every group, but only over the user itself, the
  // accounts it is a member of, their zones, and wildcards.
  bool unrestricted = false;
  std::string user_id;
  std::function<bool(std::string_view account_id)> account_is_member;
  // The account a zone belongs to; nullopt for an unknown zone (then only zone wildcards and
  // `zone.<that id>` grants of the creator cover it).
  std::function<std::optional<std::string>(std::string_view zone_id)> zone_account;
};

// Refuses (403/9109 "Unauthorized to access requested resource") when the requested policies
// would grant any (group, resource) the creator does not hold: same group id on a resource set
// at least as broad, minus whatever the creator's deny policies remove. Requested deny policies
// only narrow and are always allowed (and are taken into account: allow zone.* + deny zone.X
// passes for a creator that holds zone.* minus zone.X). The log detail names the policy, group
// and resource key at fault.
Status checkCeiling(std::span<const Policy> creator, std::span<const Policy> requested,
                    const CeilingContext& context);

}  // namespace nubis::auth
