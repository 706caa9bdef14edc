#include "auth/authenticator.h"

#include <boost/json/parse.hpp>

#include "auth/roles.h"
#include "base/text.h"

namespace nubis::auth {

std::string Authenticator::globalKeyKey(std::string_view email, std::string_view key) const {
  return "k:" + text::asciiLower(email) + ":" + globalKeyHash(hasher_, key);
}

std::shared_ptr<const Principal> Authenticator::cached(const std::string& key) const {
  std::shared_lock lock(mu_);
  auto it = cache_.find(key);
  return it == cache_.end() ? nullptr : it->second;
}

void Authenticator::put(const std::string& key, std::shared_ptr<const Principal> p,
                        uint64_t generation) {
  std::unique_lock lock(mu_);
  if (generation != generation_.load()) return;  // invalidated while loading
  if (cache_.size() >= 100000) cache_.clear();   // bound memory under a flood of distinct keys
  cache_[key] = std::move(p);
}

void Authenticator::invalidateAll() {
  std::unique_lock lock(mu_);
  generation_.fetch_add(1);
  cache_.clear();
}

Status Authenticator::loadMemberships(const std::string& user_id, Principal& p) {
  auto ms = store_.listMembershipsOfUser(user_id);
  if (!ms) return ms.error();
  for (const auto& m : *ms) {
    if (m.status != "accepted") continue;
    p.account_ids.push_back(m.account_id);
    // Role names as stored; a name Nubis does not know grants nothing (fails closed).
    boost::system::error_code ec;
    boost::json::value roles = boost::json::parse(m.roles_json, ec);
    if (ec || !roles.is_array()) continue;
    for (const auto& r : roles.as_array()) {
      const Role* role = r.is_string() ? findRoleByName(r.as_string()) : nullptr;
      if (role == nullptr) continue;
      for (Policy& pol : rolePolicies(*role, m.account_id)) p.member_policies.push_back(std::move(pol));
    }
  }
  return Ok{};
}

Result<std::shared_ptr<const Principal>> Authenticator::principalFor(const store::TokenRow& row) {
  auto p = std::make_shared<Principal>();
  p->token_id = row.id;
  p->token_name = row.name;
  p->status = row.status;
  p->issued_on = row.issued_on;
  p->not_before = row.not_before;
  p->expires_on = row.expires_on;
  auto policies = loadPolicies(row.policies_json);
  if (!policies) return policies.error();
  p->policies = std::move(*policies);
  auto cond = loadCondition(row.condition_json);
  if (!cond) return cond.error();
  p->condition = std::move(*cond);
  if (row.owner_kind == "account") {
    p->kind = Principal::Kind::kAccountToken;
    p->account_id = row.owner_id;
    p->account_ids = {row.owner_id};
  } else {
    p->kind = Principal::Kind::kUserToken;
    p->user_id = row.owner_id;
    auto user = store_.getUser(row.owner_id);
    if (!user) return user.error();
    if (*user) p->email = (*user)->email;
    if (Status st = loadMemberships(row.owner_id, *p); !st) return st.error();
  }
  return std::shared_ptr<const Principal>(std::move(p));
}

Result<AuthResult> Authenticator::loadToken(const std::string& token_hash) {
  uint64_t gen = generation_.load();
  auto row = store_.findTokenBySecretHash(token_hash);
  if (!row) return row.error();
  if (!*row) return AuthResult{nullptr, AuthFailure::kUnknownToken};
  auto p = principalFor(**row);
  if (!p) return p.error();
  put(token_hash, *p, gen);
  return AuthResult{*p, AuthFailure::kNone};
}

Result<std::shared_ptr<Principal>> Authenticator::userPrincipal(const store::UserRow& user,
                                                              Principal::Kind kind) {
  auto p = std::make_shared<Principal>();
  p->kind = kind;
  p->user_id = user.id;
  p->email = user.email;
  p->status = "active";
  if (Status st = loadMemberships(p->user_id, *p); !st) return st.error();
  return p;
}

Result<std::shared_ptr<const Principal>> Authenticator::sessionPrincipal(const std::string& user_id) {
  auto user = store_.getUser(user_id);
  if (!user) return user.error();
  if (!*user) return std::shared_ptr<const Principal>();
  auto p = userPrincipal(**user, Principal::Kind::kSession);
  if (!p) return p.error();
  return std::shared_ptr<const Principal>(std::move(*p));
}

Result<AuthResult> Authenticator::loadGlobalKey(std::string_view email, std::string_view key,
                                                const std::string& cache_key) {
  uint64_t gen = generation_.load();
  auto user = store_.findUserByEmail(text::asciiLower(email));
  if (!user) return user.error();
  // Hash even for an unknown e-mail so both paths cost the same.
  std::string presented = globalKeyHash(hasher_, key);
  if (!*user || !constantTimeEquals(presented, (*user)->global_key_hash))
    return AuthResult{nullptr, AuthFailure::kUnknownKey};
  auto p = userPrincipal(**user, Principal::Kind::kGlobalKey);
  if (!p) return p.error();
  std::shared_ptr<const Principal> shared = std::move(*p);
  put(cache_key, shared, gen);
  return AuthResult{shared, AuthFailure::kNone};
}

void Authenticator::recordUse(const std::string& token_id, int64_t now) {
  std::lock_guard lock(uses_mu_);
  uses_[token_id] = now;
}

Status Authenticator::flushUses() {
  std::vector<std::pair<std::string, int64_t>> batch;
  {
    std::lock_guard lock(uses_mu_);
    batch.assign(uses_.begin(), uses_.end());
    uses_.clear();
  }
  if (batch.empty()) return Ok{};
  return store_.touchTokens(batch);
}

}  // namespace nubis::auth
