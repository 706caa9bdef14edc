// Users beyond the bootstrap one (`nubis user create`, and POST /client/v4/nubis/users for the
// instance admin): each with its own Global API Key and password, shown once, stored as a keyed
// hash and an argon2id hash like the bootstrap user's. Invites sent earlier to the user's e-mail
// become the user's (store::claimInvites), in the same transaction.
// Works on a data dir whether or not a server is running on it (SQLite serialises the writers;
// a running server sees the new user at its next lookup: nothing of an unknown credential is
// cached).
#pragma once

#include <string>

#include "base/clock.h"
#include "base/random.h"
#include "auth/secrets.h"
#include "base/result.h"
#include "store/store.h"

namespace nubis::app {

struct NewUser {
  std::string id;
  std::string email;
  std::string password;        // shown once
  std::string global_api_key;  // shown once
  // A first API token holding every permission group (like the bootstrap token), so that the
  // user can manage tokens (/user/tokens takes tokens only); what it reaches is bounded by the
  // user's memberships and roles, which are none until an invite is accepted.
  std::string api_token;  // shown once
  std::string api_token_id;
};

// `password` empty: one is generated. Errors (400, their message naming the field): an e-mail
// that is not one or is taken, a password under 8 characters.
Result<NewUser> createUserIn(store::Store& store, const auth::SecretHasher& hasher,
                             const std::string& email, const std::string& password,
                             const Clock& clock, Random& rng);

// The same on a data dir (the CLI). Also refused: no database in data_dir (the server has never
// started there).
Result<NewUser> createUser(const std::string& data_dir, const std::string& email,
                           const std::string& password, const Clock& clock, Random& rng);

}  // namespace nubis::app
