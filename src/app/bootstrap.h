// First start on an empty data dir (ARCHITECTURE.md "first start"): one user, one account with
// its Images hash, the user's Global API Key, and the "Bootstrap token" holding every permission
// group on all accounts, all zones and the user. Printed once and written to
// DIR/bootstrap.json (mode 0600). Idempotent: a data dir that has been bootstrapped is left alone.
#pragma once

#include <string>
#include <vector>

#include "auth/authenticator.h"
#include "base/clock.h"
#include "base/random.h"
#include "base/result.h"
#include "store/store.h"

namespace nubis::app {

struct BootstrapResult {
  bool created = false;
  std::string json;  // bootstrap.json's content when created
};

// Presets from the environment: NUBIS_ADMIN_EMAIL, NUBIS_ADMIN_PASSWORD, NUBIS_ADMIN_API_TOKEN.
struct BootstrapPresets {
  std::string email = "admin@nubis.local";
  std::string password;   // empty: random
  std::string api_token;  // empty: random
};

Result<BootstrapResult> bootstrapIfEmpty(store::Store& store, auth::Authenticator& authn,
                                         const Clock& clock, Random& rng,
                                         const BootstrapPresets& presets,
                                         const std::string& data_dir,
                                         const std::string& api_base_url,
                                         const std::string& delivery_base_url);

// Writes a file atomically and durably: temp file, fsync, rename, directory fsync.
Status writeFileDurably(const std::string& path, const std::string& content, int mode);

// Every permission group: user groups on the user, account groups on all accounts, zone groups on
// all zones (the bootstrap token's and each new user's first token's policies; what they reach is
// still bounded by the user's memberships and roles).
std::vector<auth::Policy> everything(const std::string& user_id, Random& rng);

// A new user's rows and the secrets shown once, as every user starts (the bootstrap user and
// those of user_admin.h): the user (the e-mail lower-cased, an argon2id hash of the password, the
// keyed hash of a new Global API Key) and a first user token named `token_name` holding
// everything(). `password` / `api_token` empty: generated. Nothing is written.
struct UserSeed {
  store::UserRow user;
  store::TokenRow token;
  std::string password, global_api_key, api_token;
};
Result<UserSeed> seedUser(const auth::SecretHasher& hasher, const std::string& email,
                          const std::string& password, const std::string& api_token,
                          const std::string& token_name, int64_t now, Random& rng);

}  // namespace nubis::app
