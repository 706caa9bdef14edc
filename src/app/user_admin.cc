#include "app/user_admin.h"

#include <sys/stat.h>

#include "api/errors.h"
#include "app/bootstrap.h"
#include "auth/authenticator.h"
#include "auth/passwords.h"
#include "auth/policy.h"
#include "auth/secrets.h"
#include "base/ids.h"
#include "base/text.h"
#include "store/sqlite/sqlite_store.h"

namespace nubis::app {

Result<NewUser> createUserIn(store::Store& store, const auth::SecretHasher& hasher,
                             const std::string& email_in, const std::string& password_in,
                             const Clock& clock, Random& rng) {
  const std::string email = text::asciiLower(email_in);
  if (!text::plausibleEmail(email)) {
    return api::invalid("email \"" + email_in + "\" is not an e-mail address");
  }
  if (!password_in.empty() && password_in.size() < 8) {
    return api::invalid("password must be at least 8 characters");
  }
  if (password_in.size() > 1024) return api::invalid("password must be at most 1024 characters");
  auto seed = seedUser(hasher, email, password_in, "", "User token", clock.nowMicros(), rng);
  if (!seed) return seed.error();
  const store::UserRow& user = seed->user;
  const store::TokenRow& token = seed->token;
  NewUser out{user.id, email, seed->password, seed->global_api_key, seed->api_token, token.id};
  bool taken = false;
  Status written = store.transaction([&](store::Store& s) -> Status {
    auto inserted = s.insertUser(user);
    if (!inserted) return inserted.error();
    if (!*inserted) {
      taken = true;
      return Ok{};
    }
    auto t = s.insertToken(token);
    if (!t) return t.error();
    if (!*t) return ApiError::internal("token secret collision");
    return s.claimInvites(user.email, user.id);
  });
  if (!written) return written.error();
  if (taken) return api::invalid("a user with the e-mail " + email + " exists");
  return out;
}

Result<NewUser> createUser(const std::string& data_dir, const std::string& email,
                           const std::string& password, const Clock& clock, Random& rng) {
  struct stat st {};
  if (::stat((data_dir + "/nubis.db").c_str(), &st) != 0 ||
      ::stat((data_dir + "/pepper").c_str(), &st) != 0) {
    return ApiError::internal("no Nubis data in " + data_dir +
                              ": start `nubis serve --data-dir " + data_dir + "` once first");
  }
  auto pepper = auth::loadOrCreatePepper(data_dir + "/pepper", rng);
  if (!pepper) return pepper.error();
  auto db = store::sqlite::SqliteStore::open(data_dir + "/nubis.db");
  if (!db) return db.error();
  const auth::SecretHasher hasher(*pepper);
  return createUserIn(**db, hasher, email, password, clock, rng);
}

}  // namespace nubis::app
