#include "tokens/token_service.h"

#include "api/errors.h"
#include "api/fields.h"
#include "auth/catalog.h"
#include "auth/evaluator.h"
#include "auth/restrictions.h"
#include "base/ids.h"
#include "base/time_util.h"

namespace nubis::tokens {
namespace json = boost::json;
using api::Need;

struct TokenService::Fields {
  std::string name;
  std::string status = "active";
  std::vector<auth::Policy> policies;
  std::optional<auth::Condition> condition;
  std::optional<int64_t> not_before, expires_on;
};

namespace {

Result<std::optional<int64_t>> parseTime(api::FieldReader& r, std::string_view key) {
  auto s = r.str(key, 64, Need::kOptional, /*nullable=*/true);
  if (!r.ok() || !s) return std::optional<int64_t>();
  auto t = timeutil::parse(*s);
  if (!t) return api::invalid(std::string(key) + " must be an RFC 3339 date-time, e.g. 2030-01-01T00:00:00Z");
  return std::optional<int64_t>(*t);
}

}  // namespace

Status TokenService::checkOwnerScope(const Owner& owner,
                                     const std::vector<auth::Policy>& policies) {
  if (owner.kind != "account") return Ok{};
  // Account-owned tokens act only inside their account: no user groups, no other accounts.
  for (size_t i = 0; i < policies.size(); ++i) {
    for (const auto& gid : policies[i].group_ids) {
      const auto* g = auth::findGroup(gid);
      if (g && g->scope == auth::Scope::kUser)
        return api::invalid("policies[" + std::to_string(i) + "].permission_groups: \"" +
                            std::string(g->name) +
                            "\" is a user permission group; account-owned tokens cannot hold it");
    }
    for (const auto& key : policies[i].resources) {
      bool ok = true;
      if (key.kind == auth::ResourceKey::kUser) ok = false;
      if (key.kind == auth::ResourceKey::kAccount && key.id != owner.id) ok = false;
      if (key.kind == auth::ResourceKey::kZone) {
        if (key.id == "*") {
          ok = false;
        } else {
          auto zone = store_.getZone(key.id);
          if (!zone) return zone.error();
          ok = *zone && (*zone)->account_id == owner.id;
        }
      }
      if (!ok)
        return api::invalid("policies[" + std::to_string(i) + "].resources: \"" + key.key() +
                            "\" is outside account " + owner.id);
    }
  }
  return Ok{};
}

Result<TokenService::Fields> TokenService::parse(const Owner& owner, const auth::Principal& actor,
                                                 const json::object& body, bool is_update) {
  api::FieldReader r(body);
  // Read-only fields a client may echo back from a GET are ignored, anything else unknown is
  // refused so a typo never silently drops a restriction.
  r.rejectUnknown({"name", "policies", "condition", "not_before", "expires_on", "status", "id",
                   "issued_on", "modified_on", "last_used_on", "value"});
  Fields f;
  if (auto name = r.str("name", 120, Need::kRequired)) f.name = *name;
  {
    // Honoured on create too: a client that asks for a disabled token must not get an active one.
    if (auto st = r.str("status", 16, Need::kOptional)) {
      if (*st != "active" && *st != "disabled")
        r.fail(api::invalid("status must be active or disabled"));
      f.status = *st;
    }
  }
  if (!r.ok()) return r.error();
  auto nb = parseTime(r, "not_before");
  if (!nb) return nb.error();
  auto ex = parseTime(r, "expires_on");
  if (!ex) return ex.error();
  if (!r.ok()) return r.error();
  f.not_before = *nb;
  f.expires_on = *ex;
  if (f.not_before && f.expires_on && *f.expires_on <= *f.not_before)
    return api::invalid("expires_on must be later than not_before");

  const json::value* pol = body.if_contains("policies");
  if (!pol) return api::invalid("policies is required");
  auto policies = auth::parsePolicies(*pol, [this] { return ids::newId(rng_); });
  if (!policies) return policies.error();
  if (policies->empty()) return api::invalid("policies must contain at least one policy");
  f.policies = std::move(*policies);
  if (const json::value* cond = body.if_contains("condition")) {
    auto c = auth::parseCondition(*cond);
    if (!c) return c.error();
    f.condition = std::move(*c);
  }
  if (Status st = checkOwnerScope(owner, f.policies); !st) return st.error();

  if (Status st = checkCeiling(owner, actor, f.policies); !st) return st.error();
  // Nor may it escape its own IP condition or expiry through the token it mints.
  if (actor.isToken()) {
    if (!auth::conditionWithin(f.condition, actor.condition))
      return api::error(api::Err::Unauthorized).withDetail("condition broader than the creator's");
    if (!auth::expiryWithin(f.expires_on, actor.expires_on))
      return api::error(api::Err::Unauthorized).withDetail("expires_on later than the creator's");
  }
  return f;
}

Status TokenService::checkCeiling(const Owner& owner, const auth::Principal& actor,
                                  const std::vector<auth::Policy>& requested) {
  auth::CeilingContext ctx;
  ctx.unrestricted = actor.actsAsUser();
  ctx.user_id = actor.user_id;
  ctx.account_is_member = [&actor](std::string_view a) { return actor.reaches(std::string(a)); };
  ctx.zone_account = [this](std::string_view z) -> std::optional<std::string> {
    auto zone = store_.getZone(std::string(z));
    if (!zone || !*zone) return std::nullopt;
    return (*zone)->account_id;
  };
  if (Status st = auth::checkCeiling(actor.policies, requested, ctx); !st) return st;
  // An account-owned token acts for the account, not for a member: nothing caps it at use but its
  // own policies. So a user may mint (or roll, and so obtain) one only within what the user's
  // member roles grant in that account; else an Administrator could hand itself Account Settings
  // Write through such a token and make itself Super Administrator.
  if (owner.kind == "account" && actor.kind != auth::Principal::Kind::kAccountToken) {
    auth::CeilingContext roles = ctx;
    roles.unrestricted = false;
    if (Status st = auth::checkCeiling(actor.member_policies, requested, roles); !st) {
      return api::error(api::Err::Unauthorized)
          .withDetail("beyond the member's roles in account " + owner.id + ": " + st.error().detail);
    }
  }
  return Ok{};
}

Result<std::vector<store::TokenRow>> TokenService::list(const Owner& owner) {
  return store_.listTokens(owner.kind, owner.id);
}

Result<store::TokenRow> TokenService::get(const Owner& owner, const std::string& id) {
  if (!ids::isId(id)) return api::error(api::Err::TokenNotFound);
  auto row = store_.getToken(id);
  if (!row) return row.error();
  if (!*row || (*row)->owner_kind != owner.kind || (*row)->owner_id != owner.id)
    return api::error(api::Err::TokenNotFound);
  return **row;
}

Result<CreatedToken> TokenService::create(const Owner& owner, const auth::Principal& actor,
                                          const json::object& body) {
  auto f = parse(owner, actor, body, /*is_update=*/false);
  if (!f) return f.error();
  const int64_t now = clock_.nowMicros();
  CreatedToken out;
  store::TokenRow& row = out.row;
  row.id = ids::newId(rng_);
  row.owner_kind = owner.kind;
  row.owner_id = owner.id;
  row.name = f->name;
  row.status = f->status;
  // Token timestamps are whole seconds on Cloudflare; keep what we show equal to what we store.
  row.issued_on = row.modified_on = now / 1000000 * 1000000;
  row.not_before = f->not_before;
  row.expires_on = f->expires_on;
  row.policies_json = auth::storePolicies(f->policies);
  row.condition_json = auth::storeCondition(f->condition);
  row.created_by = actor.user_id;
  // Count and insert in one transaction: concurrent creates cannot overshoot the quota.
  const size_t quota = owner.kind == "account" ? kAccountQuota : kUserQuota;
  bool over_quota = false, inserted = false;
  Status st = store_.transaction([&](store::Store& tx) -> Status {
    auto existing = tx.listTokens(owner.kind, owner.id);
    if (!existing) return existing.error();
    if (existing->size() >= quota) {
      over_quota = true;
      return Ok{};
    }
    for (int attempt = 0; attempt < 3 && !inserted; ++attempt) {
      out.secret = ids::newTokenSecret(rng_);
      row.secret_hash = authn_.tokenKey(out.secret);
      auto ok = tx.insertToken(row);
      if (!ok) return ok.error();
      inserted = *ok;
    }
    return Ok{};
  });
  if (!st) return st.error();
  if (over_quota)
    return api::error(api::Err::TokenQuota, ": at most " + std::to_string(quota) +
                                                " API tokens per " + owner.kind);
  if (!inserted) return ApiError::internal("could not allocate a unique token secret");
  return out;
}

Result<store::TokenRow> TokenService::update(const Owner& owner, const auth::Principal& actor,
                                             const std::string& id, const json::object& body) {
  auto row = get(owner, id);
  if (!row) return row.error();
  auto f = parse(owner, actor, body, /*is_update=*/true);
  if (!f) return f.error();
  row->name = f->name;
  row->status = f->status;
  row->not_before = f->not_before;
  row->expires_on = f->expires_on;
  row->policies_json = auth::storePolicies(f->policies);
  row->condition_json = auth::storeCondition(f->condition);
  row->modified_on = clock_.nowMicros() / 1000000 * 1000000;
  auto ok = store_.updateToken(*row);
  if (!ok) return ok.error();
  authn_.invalidateAll();
  if (!*ok) return api::error(api::Err::TokenNotFound);
  return *row;
}

Result<std::string> TokenService::roll(const Owner& owner, const auth::Principal& actor,
                                       const std::string& id) {
  auto row = get(owner, id);
  if (!row) return row.error();
  auto policies = auth::loadPolicies(row->policies_json);
  if (!policies) return policies.error();
  if (Status st = checkCeiling(owner, actor, *policies); !st) return st.error();
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::string secret = ids::newTokenSecret(rng_);
    auto ok = store_.rollToken(id, authn_.tokenKey(secret), clock_.nowMicros() / 1000000 * 1000000);
    // Drop cached principals before answering: the old secret must stop working at once.
    authn_.invalidateAll();
    if (!ok) return ok.error();
    if (*ok) return secret;
  }
  return ApiError::internal("could not roll token " + id);
}

Result<std::string> TokenService::remove(const Owner& owner, const std::string& id) {
  auto row = get(owner, id);
  if (!row) return row.error();
  auto ok = store_.deleteToken(id);
  authn_.invalidateAll();
  if (!ok) return ok.error();
  if (!*ok) return api::error(api::Err::TokenNotFound);
  return id;
}

json::object TokenService::toJson(const store::TokenRow& row) const {
  json::object o;
  o["id"] = row.id;
  o["name"] = row.name;
  o["status"] = auth::reportedStatus(row.status, row.expires_on, clock_.nowMicros());
  o["issued_on"] = timeutil::formatSeconds(row.issued_on);
  o["modified_on"] = timeutil::formatSeconds(row.modified_on);
  if (row.last_used_on) o["last_used_on"] = timeutil::formatSeconds(*row.last_used_on);
  if (row.not_before) o["not_before"] = timeutil::formatSeconds(*row.not_before);
  if (row.expires_on) o["expires_on"] = timeutil::formatSeconds(*row.expires_on);
  auto policies = auth::loadPolicies(row.policies_json);
  o["policies"] = policies ? auth::policiesToJson(*policies) : json::array();
  auto cond = auth::loadCondition(row.condition_json);
  if (cond && *cond) o["condition"] = auth::conditionToJson(**cond);
  return o;
}

}  // namespace nubis::tokens
