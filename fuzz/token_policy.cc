// Fuzz target token_policy (RELIABILITY.md R3): the API-token permission model of src/auth on
// hostile JSON. The input is either a `policies` array or a token body object (its "policies"
// and "condition" members are used). Beyond ASan/UBSan the target traps when:
//  - parsePolicies -> storePolicies -> loadPolicies does not give back equal policies (what the
//    store keeps must mean exactly what was granted);
//  - parseCondition -> storeCondition -> loadCondition changes a CIDR list;
//  - evaluate() depends on policy order (deny must beat allow whatever the order);
//  - checkCeiling refuses a token minting an exact copy of its own policies (X within X).
// policiesToJson / conditionToJson / ipAllowed must simply not crash.
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "auth/catalog.h"
#include "auth/cidr.h"
#include "auth/evaluator.h"
#include "auth/policy.h"

namespace {

namespace json = boost::json;
namespace auth = nubis::auth;
namespace g = nubis::auth::groups;

// Ids from Cloudflare's API examples.
constexpr std::string_view kAccount = "01a7362d577a6c3019a474fd6f485823";
constexpr std::string_view kZone = "023e105f4ecef8ad9ca31a8372d0c353";
constexpr std::string_view kUser = "7c5dae5552338874e5053f2534d2767a";

std::string nextId() {
  static unsigned n = 0;
  char buf[33];
  std::snprintf(buf, sizeof buf, "%032x", ++n);
  return buf;
}

bool sameCidrs(const std::optional<std::vector<auth::Cidr>>& a,
               const std::optional<std::vector<auth::Cidr>>& b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a) return true;
  if (a->size() != b->size()) return false;
  for (size_t i = 0; i < a->size(); ++i) {
    const auth::Cidr& x = (*a)[i];
    const auth::Cidr& y = (*b)[i];
    if (x.text != y.text || x.prefix != y.prefix || !(x.network == y.network)) return false;
  }
  return true;
}

void checkPolicies(const json::value& v) {
  auto parsed = auth::parsePolicies(v, nextId);
  if (!parsed) return;
  const std::vector<auth::Policy>& policies = *parsed;

  std::string stored = auth::storePolicies(policies);
  auto loaded = auth::loadPolicies(stored);
  if (!loaded || !(*loaded == policies)) __builtin_trap();
  (void)json::serialize(auth::policiesToJson(policies));

  const std::string_view zone_read[] = {g::kZoneRead, g::kZoneWrite};
  const std::string_view dns_write[] = {g::kDnsWrite};
  const std::string_view account_read[] = {g::kAccountSettingsRead, g::kAccountSettingsWrite};
  const std::string_view user_read[] = {g::kUserDetailsRead, g::kApiTokensWrite};
  const auth::Target targets[] = {
      auth::Target::zone(std::string(kAccount), std::string(kZone)),
      auth::Target::zone(std::string(kAccount), ""),  // zone creation
      auth::Target::account(std::string(kAccount)),
      auth::Target::user(std::string(kUser)),
  };
  std::vector<auth::Policy> reversed(policies.rbegin(), policies.rend());
  for (const auto& t : targets) {
    for (std::span<const std::string_view> accepted :
         {std::span<const std::string_view>(zone_read), std::span<const std::string_view>(dns_write),
          std::span<const std::string_view>(account_read),
          std::span<const std::string_view>(user_read)}) {
      if (auth::evaluate(policies, accepted, t) != auth::evaluate(reversed, accepted, t)) {
        __builtin_trap();
      }
    }
  }

  auth::CeilingContext ctx;
  ctx.user_id = std::string(kUser);
  ctx.account_is_member = [](std::string_view a) { return a == kAccount; };
  ctx.zone_account = [](std::string_view z) -> std::optional<std::string> {
    if (z == kZone) return std::string(kAccount);
    return std::nullopt;
  };
  if (!auth::checkCeiling(policies, policies, ctx)) __builtin_trap();
  ctx.unrestricted = true;
  (void)auth::checkCeiling({}, policies, ctx);
}

void checkCondition(const json::value& v) {
  auto parsed = auth::parseCondition(v);
  if (!parsed) return;
  const std::optional<auth::Condition>& cond = *parsed;
  auto loaded = auth::loadCondition(auth::storeCondition(cond));
  if (!loaded || loaded->has_value() != cond.has_value()) __builtin_trap();
  if (cond) {
    if (!sameCidrs(cond->in, (*loaded)->in) || !sameCidrs(cond->not_in, (*loaded)->not_in)) {
      __builtin_trap();
    }
    (void)json::serialize(auth::conditionToJson(*cond));
  }
  for (std::string_view client : {"199.27.128.1", "2400:cb00::1", "::ffff:10.0.0.1", "fe80::1%eth0",
                                  "not an address"}) {
    (void)auth::ipAllowed(cond, client);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  json::parse_options opt;
  opt.max_depth = 32;  // as parseJsonObject
  std::error_code ec;
  json::value v =
      json::parse(json::string_view(reinterpret_cast<const char*>(data), size), ec, {}, opt);
  if (ec) return 0;
  if (v.is_array()) {
    checkPolicies(v);
  } else if (const json::object* o = v.if_object()) {
    if (const json::value* p = o->if_contains("policies")) checkPolicies(*p);
    if (const json::value* c = o->if_contains("condition")) checkCondition(*c);
  }
  return 0;
}
