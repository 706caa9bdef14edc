// Context: everything a handler may read about its request, and Access: what a route demands
// of the caller before its handler runs (declared next to the route, enforced by the
// dispatcher through the one policy evaluator — there is no other path to a handler).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/query.h"
#include "auth/principal.h"
#include "http/types.h"

namespace nubis::api {

// Where the resource a route touches comes from.
enum class Scope {
  kNone,     // no resource (verify, list endpoints that filter by reach)
  kUser,     // the authenticated user
  kAccount,  // path parameter {account_id}
  kZone,     // path parameter {zone_id}, checked against the zone's account
};

struct Access {
  enum class Kind {
    kPublic,         // no credential (health, metrics)
    kAuthenticated,  // any usable credential; no permission group (verify, GET /accounts)
    kGroups,         // one of `groups` granted on the scoped resource
    kInstanceAdmin,  // the instance admin's Global API Key only (Nubis-only admin API)
  } kind = Kind::kGroups;
  std::vector<std::string_view> groups;
  Scope scope = Scope::kNone;
  // The Global API Key is refused (API-SURFACE §2.1: /user/tokens* are token-only).
  bool token_only = false;
  // Which tokens the route serves: user tokens, account tokens, or both.
  bool allow_user_tokens = true;
  bool allow_account_tokens = true;
  // Verify endpoints report bad tokens as 401 1000 "Invalid API Token" instead of 403 9109.
  bool verify_style = false;
  // Permission failures answer 9109 "Unauthorized…" (token management) instead of 10000.
  bool deny_as_unauthorized = false;

  // A rule of `kind` with no group (public, any credential, the instance admin).
  static Access only(Kind kind) {
    Access a;
    a.kind = kind;
    return a;
  }
  // One of `ids` granted on the route's `scope` resource.
  static Access groupsOn(std::vector<std::string_view> ids, Scope scope) {
    Access a;
    a.kind = Kind::kGroups;
    a.groups = std::move(ids);
    a.scope = scope;
    return a;
  }
};

struct Context {
  const http::Request& req;
  const http::ConnInfo& conn;
  std::string path;  // encoded path as sent
  Query query;
  std::vector<std::pair<std::string, std::string>> params;
  std::string client_ip;
  std::shared_ptr<const auth::Principal> principal;  // null on public routes

  std::string_view param(std::string_view name) const {
    for (const auto& [k, v] : params)
      if (k == name) return v;
    return {};
  }
};

}  // namespace nubis::api
