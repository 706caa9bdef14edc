// TokenService: the rules of API tokens, user-owned (/user/tokens) and account-owned
// (/accounts/{id}/tokens): validation, quotas (50 per user, 500 per account), the privilege
// ceiling (no token may mint or edit a token broader than itself), secrets shown once, roll.
// No HTTP here: handlers in token_routes.cc translate.
//
// Thread-safety: stateless apart from its references; safe from any worker thread.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <utility>
#include <vector>

#include "auth/authenticator.h"
#include "auth/principal.h"
#include "base/clock.h"
#include "base/random.h"
#include "base/result.h"
#include "store/store.h"

namespace nubis::tokens {

struct Owner {
  std::string kind;  // "user" | "account"
  std::string id;
};

struct CreatedToken {
  store::TokenRow row;
  std::string secret;  // shown once, in the create response
};

class TokenService {
 public:
  TokenService(store::Store& store, auth::Authenticator& authn, const Clock& clock, Random& rng)
      : store_(store), authn_(authn), clock_(clock), rng_(rng) {}

  Result<std::vector<store::TokenRow>> list(const Owner& owner);
  Result<store::TokenRow> get(const Owner& owner, const std::string& id);
  Result<CreatedToken> create(const Owner& owner, const auth::Principal& actor,
                              const boost::json::object& body);
  Result<store::TokenRow> update(const Owner& owner, const auth::Principal& actor,
                                 const std::string& id, const boost::json::object& body);
  // Rolling reveals a secret, so the actor must cover every grant of the token it rolls
  // (otherwise API Tokens Write alone would yield any broader token's powers).
  Result<std::string> roll(const Owner& owner, const auth::Principal& actor, const std::string& id);
  Result<std::string> remove(const Owner& owner, const std::string& id);

  // The token's JSON as the API shows it (never the secret).
  boost::json::object toJson(const store::TokenRow& row) const;

  static constexpr size_t kUserQuota = 50;
  static constexpr size_t kAccountQuota = 500;

 private:
  struct Fields;
  Result<Fields> parse(const Owner& owner, const auth::Principal& actor,
                       const boost::json::object& body, bool is_update);
  Status checkCeiling(const Owner& owner, const auth::Principal& actor,
                      const std::vector<auth::Policy>& requested);
  Status checkOwnerScope(const Owner& owner, const std::vector<auth::Policy>& policies);

  store::Store& store_;
  auth::Authenticator& authn_;
  const Clock& clock_;
  Random& rng_;
};

}  // namespace nubis::tokens
