// Authenticator: credential -> Principal, with an in-memory cache so the hot path (a known
// token) costs one HMAC and one hash-map lookup and touches no storage.
//
// The cache is keyed by the credential's keyed hash and dropped whole on any change that could
// alter a principal (token update/roll/delete, membership change): simple and at once correct.
// A load racing with an invalidation is not cached (generation check).
// last_used_on is recorded in memory and flushed to the store in batches, not written per request.
//
// Thread-safety: every method is safe from any thread. load*() and flushUses() block on the
// store: call them from the worker pool.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "auth/principal.h"
#include "auth/secrets.h"
#include "store/store.h"

namespace nubis::auth {

// What a user row keeps of its Global API Key: the key's keyed hash in a domain of its own.
inline std::string globalKeyHash(const SecretHasher& hasher, std::string_view key) {
  return hasher.hash("global_key", key);
}

// What a token row keeps of its secret: the secret's keyed hash.
inline std::string tokenHash(const SecretHasher& hasher, std::string_view secret) {
  return hasher.hash("token", secret);
}

struct AuthResult {
  std::shared_ptr<const Principal> principal;
  AuthFailure failure = AuthFailure::kNone;
};

class Authenticator {
 public:
  Authenticator(store::Store& store, const SecretHasher& hasher)
      : store_(store), hasher_(hasher) {}

  // Cache keys (keyed hashes; never the secret itself).
  std::string tokenKey(std::string_view secret) const { return tokenHash(hasher_, secret); }
  std::string globalKeyKey(std::string_view email, std::string_view key) const;

  // Never blocks. nullptr on a miss.
  std::shared_ptr<const Principal> cached(const std::string& cache_key) const;

  // Blocking loads; they fill the cache on success.
  Result<AuthResult> loadToken(const std::string& token_hash);
  Result<AuthResult> loadGlobalKey(std::string_view email, std::string_view key,
                                   const std::string& cache_key);
  // Builds the principal for a token row (also used after create/update to answer requests).
  Result<std::shared_ptr<const Principal>> principalFor(const store::TokenRow& row);
  // The user acting itself through a dashboard session (not cached: a session is checked
  // against the SessionStore on each request, and the user's memberships are read fresh).
  // nullptr when the user no longer exists.
  Result<std::shared_ptr<const Principal>> sessionPrincipal(const std::string& user_id);

  void invalidateAll();

  void recordUse(const std::string& token_id, int64_t now_micros);
  Status flushUses();

  const SecretHasher& hasher() const { return hasher_; }

 private:
  // Fills account_ids and member_policies from the user's accepted memberships.
  Status loadMemberships(const std::string& user_id, Principal& p);
  // The user acting itself (Global API Key, session).
  Result<std::shared_ptr<Principal>> userPrincipal(const store::UserRow& user, Principal::Kind kind);
  void put(const std::string& key, std::shared_ptr<const Principal> p, uint64_t generation);

  store::Store& store_;
  const SecretHasher& hasher_;

  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const Principal>> cache_;
  std::atomic<uint64_t> generation_{0};

  std::mutex uses_mu_;
  std::unordered_map<std::string, int64_t> uses_;
};

}  // namespace nubis::auth
