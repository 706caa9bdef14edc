// Users beyond the bootstrap one (`nubis user create`): each with its own Global API Key and
// password, shown once, stored as a keyed hash and an argon2id hash like the bootstrap user's.
// Works on a data dir whether or not a server is running on it (SQLite serialises the writers;
// a running server sees the new user at its next lookup: nothing of an unknown credential is
// cached).
#pragma once

#include <string>

#include "base/clock.h"
#include "base/random.h"
#include "base/result.h"

namespace nubis::app {

struct NewUser {
  std::string id;
  std::string email;
  std::string password;        // shown once
  std::string global_api_key;  // shown once
};

// `password` empty: one is generated. Errors: no database in data_dir (the server has never
// started there), an e-mail that is not one or is taken, a password under 8 characters.
Result<NewUser> createUser(const std::string& data_dir, const std::string& email,
                           const std::string& password, const Clock& clock, Random& rng);

}  // namespace nubis::app
