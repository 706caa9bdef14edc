// The API-token policy model (policies, resources, IP condition) and its JSON, both directions.
//
// Input is validated completely here, so everything downstream (evaluator, ceiling check, store)
// can trust a Policy: group ids exist in the catalog, resource ids are 32 lowercase hex or `*`
// where a wildcard is allowed, counts are bounded. Validation failures are 400/1001 ApiErrors
// whose message names the offending field path.
//
// Value types and pure functions: safe to use from any thread.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "auth/cidr.h"
#include "base/result.h"

namespace nubis::auth {

// Limits on input (also bound the evaluator's work per request).
inline constexpr std::size_t kMaxPolicies = 50;
inline constexpr std::size_t kMaxGroupsPerPolicy = 100;
inline constexpr std::size_t kMaxResourceKeys = 100;  // per policy, nested keys included
inline constexpr std::size_t kMaxCidrs = 100;         // per list
inline constexpr int kValidationCode = 1001;

// One key of a policy's `resources` object.
//   kUser:    com.cloudflare.api.user.<id>              (id is never `*`, see policy.cc)
//   kAccount: com.cloudflare.api.account.<id | *>       value "*", or nested zones (below)
//   kZone:    com.cloudflare.api.account.zone.<id | *>  value "*"
struct ResourceKey {
  enum Kind { kUser, kAccount, kZone };
  Kind kind = kAccount;
  std::string id;  // 32 lowercase hex, or "*"
  // Account keys only: the nested form {"com.cloudflare.api.account.zone.<id | *>": "*", ...},
  // one entry per zone key (a zone id or "*"). Empty means the value was plain "*".
  std::vector<std::string> zones;

  bool nested() const { return !zones.empty(); }
  // The JSON key, e.g. "com.cloudflare.api.account.zone.<id>".
  std::string key() const;
  bool operator==(const ResourceKey&) const = default;
};

// A policy's resources in input order (kept so that output echoes what the client sent).
using Resources = std::vector<ResourceKey>;

struct Policy {
  std::string id;  // 32 hex, assigned by the caller
  bool allow = true;
  std::vector<std::string> group_ids;  // catalog ids, in input order
  Resources resources;
  bool operator==(const Policy&) const = default;
};

// condition["request.ip"]. A list that was not given is nullopt (and is not emitted on output).
// An `in` list that is absent or empty does not restrict; `not_in` always refuses its ranges.
struct Condition {
  std::optional<std::vector<Cidr>> in;
  std::optional<std::vector<Cidr>> not_in;
};

// Parses the request's `policies` array. Every policy gets a fresh id from `new_id` (ids on input
// are ignored, as are permission_groups[].name/meta).
Result<std::vector<Policy>> parsePolicies(const boost::json::value& policies,
                                          const std::function<std::string()>& new_id);

// Parses the request's `condition` object; null means "no condition", as does an object without
// a request.ip / request_ip member. Both key spellings are accepted (API-SURFACE §3.5).
Result<std::optional<Condition>> parseCondition(const boost::json::value& condition);

// Output shape: [{"id","effect","resources","permission_groups":[{"id","name","meta":{}}]}].
boost::json::array policiesToJson(std::span<const Policy> policies);
// Output shape: {"request.ip":{"in":[...],"not_in":[...]}}.
boost::json::object conditionToJson(const Condition& condition);

// The store keeps policies/conditions as the JSON text produced here (store/rows.h). These
// re-validate it and keep the stored policy ids. "" as condition text means no condition.
std::string storePolicies(std::span<const Policy> policies);
std::string storeCondition(const std::optional<Condition>& condition);
Result<std::vector<Policy>> loadPolicies(std::string_view json_text);
Result<std::optional<Condition>> loadCondition(std::string_view json_text);

// Whether a request from `client` passes the condition. A token without condition passes.
bool ipAllowed(const std::optional<Condition>& condition, const IpAddress& client);
// Same from the peer address text; an unparseable address passes only a condition-free token.
bool ipAllowed(const std::optional<Condition>& condition, std::string_view client_address);

// Helpers shared with the evaluator: "32 lowercase hex".
bool isHexId(std::string_view s);

}  // namespace nubis::auth
