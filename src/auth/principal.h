// Principal: who is acting on a request, as the authenticator resolved it from a credential.
// Immutable once built and shared between requests through the authenticator's cache.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/policy.h"

namespace nubis::auth {

struct Principal {
  // kSession: a dashboard sign-in (auth/sessions.h). Like the Global API Key it is the user
  // acting itself, with its member roles; unlike it, it may manage tokens (as Cloudflare's
  // dashboard does).
  enum class Kind { kUserToken, kAccountToken, kGlobalKey, kSession };
  Kind kind = Kind::kUserToken;
  std::string token_id;  // empty for the Global API Key
  std::string token_name;
  std::string user_id;  // the acting user (user tokens, Global API Key); empty for account tokens
  std::string account_id;  // the owning account (account tokens only)
  std::string email;       // the user's e-mail (user tokens, Global API Key)
  std::string status;      // stored status: active | disabled
  int64_t issued_on = 0;
  std::optional<int64_t> not_before;
  std::optional<int64_t> expires_on;
  std::vector<Policy> policies;
  std::optional<Condition> condition;
  // Accounts this principal can reach at all: the user's accepted memberships, or the owning
  // account of an account token. Permission groups are evaluated only inside this reach.
  std::vector<std::string> account_ids;
  // What the user's member roles grant in those accounts (auth/roles.h), as policies. Users act
  // within them whatever the credential: the Global API Key holds exactly these, a user token
  // the intersection with its own policies. Empty for account tokens, which the account owns.
  std::vector<Policy> member_policies;

  bool reaches(const std::string& account) const {
    return std::find(account_ids.begin(), account_ids.end(), account) != account_ids.end();
  }
  bool isToken() const { return kind == Kind::kUserToken || kind == Kind::kAccountToken; }
  // The user itself (Global API Key, dashboard session): its rights are its member roles.
  bool actsAsUser() const { return kind == Kind::kGlobalKey || kind == Kind::kSession; }
};

// Why a credential was refused. The API layer gives each its public face.
enum class AuthFailure {
  kNone,
  kUnknownToken,
  kUnknownKey,
  kDisabled,
  kExpired,
  kNotYetValid,
  kIpNotAllowed
};

const char* toString(AuthFailure f);

// Token validity window, inclusive start, exclusive end: usable iff
// not_before <= now < expires_on. (A token whose expires_on is now is already expired.)
AuthFailure checkUsable(const Principal& p, int64_t now_micros, std::string_view client_ip);

// "active" | "disabled" | "expired" as the API reports it at `now`.
std::string reportedStatus(const std::string& stored, std::optional<int64_t> expires_on,
                           int64_t now_micros);

}  // namespace nubis::auth
