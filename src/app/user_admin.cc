#include "app/user_admin.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>

#include "app/bootstrap.h"
#include "auth/secrets.h"
#include "base/ids.h"
#include "store/sqlite/sqlite_store.h"

namespace nubis::app {
namespace {

constexpr size_t kMaxEmail = 90;  // Cloudflare's user e-mail bound

bool plausibleEmail(const std::string& e) {
  const size_t at = e.find('@');
  if (e.size() > kMaxEmail || at == std::string::npos || at == 0 || at + 1 >= e.size() ||
      e.find('@', at + 1) != std::string::npos || e.find('.', at) == std::string::npos) {
    return false;
  }
  return std::none_of(e.begin(), e.end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c));
  });
}

}  // namespace

Result<NewUser> createUser(const std::string& data_dir, const std::string& email_in,
                           const std::string& password_in, const Clock& clock, Random& rng) {
  std::string email = email_in;
  for (char& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!plausibleEmail(email)) {
    return ApiError::internal("--email \"" + email_in + "\" is not an e-mail address");
  }
  if (!password_in.empty() && password_in.size() < 8) {
    return ApiError::internal("--password must be at least 8 characters");
  }
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

  NewUser out;
  out.email = email;
  out.password = password_in.empty() ? ids::newPassword(rng) : password_in;
  out.global_api_key = ids::newGlobalKey(rng);
  store::UserRow user;
  user.id = ids::newId(rng);
  user.email = email;
  user.password_hash = hashPassword(out.password, rng);
  if (user.password_hash.empty()) return ApiError::internal("argon2 hashing failed");
  user.global_key_hash = hasher.hash("global_key", out.global_api_key);
  user.created_on = user.modified_on = clock.nowMicros();
  auto inserted = (*db)->insertUser(user);
  if (!inserted) return inserted.error();
  if (!*inserted) return ApiError::internal("a user with the e-mail " + email + " exists");
  out.id = user.id;
  return out;
}

}  // namespace nubis::app
