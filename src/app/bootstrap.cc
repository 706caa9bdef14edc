#include "app/bootstrap.h"

#include "auth/passwords.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <cerrno>
#include <cstring>

#include "auth/catalog.h"
#include "auth/policy.h"
#include "base/ids.h"
#include "base/text.h"

namespace nubis::app {
namespace json = boost::json;

Status writeFileDurably(const std::string& path, const std::string& content, int mode) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return ApiError::internal("cannot create " + tmp + ": " + std::strerror(errno));
  size_t off = 0;
  while (off < content.size()) {
    ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return ApiError::internal("cannot write " + tmp + ": " + std::strerror(errno));
    }
    off += static_cast<size_t>(n);
  }
  if (::fchmod(fd, static_cast<mode_t>(mode)) != 0 || ::fsync(fd) != 0) {
    ::close(fd);
    return ApiError::internal("cannot sync " + tmp + ": " + std::strerror(errno));
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0)
    return ApiError::internal("cannot rename " + tmp + ": " + std::strerror(errno));
  std::string dir = path.find('/') == std::string::npos ? "." : path.substr(0, path.rfind('/'));
  int dfd = ::open(dir.empty() ? "/" : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Ok{};
}


std::vector<auth::Policy> everything(const std::string& user_id, Random& rng) {
  std::vector<auth::Policy> out(3);
  for (auto& p : out) p.id = ids::newId(rng);
  for (const auto& g : auth::allGroups()) {
    size_t i = g.scope == auth::Scope::kUser ? 0 : g.scope == auth::Scope::kAccount ? 1 : 2;
    out[i].group_ids.emplace_back(g.id);
  }
  out[0].resources = {auth::ResourceKey{auth::ResourceKey::kUser, user_id, {}}};
  out[1].resources = {auth::ResourceKey{auth::ResourceKey::kAccount, "*", {}}};
  out[2].resources = {auth::ResourceKey{auth::ResourceKey::kZone, "*", {}}};
  return out;
}

Result<UserSeed> seedUser(const auth::SecretHasher& hasher, const std::string& email,
                          const std::string& password, const std::string& api_token,
                          const std::string& token_name, int64_t now, Random& rng) {
  UserSeed out;
  out.password = password.empty() ? ids::newPassword(rng) : password;
  out.global_api_key = ids::newGlobalKey(rng);
  out.api_token = api_token.empty() ? ids::newTokenSecret(rng) : api_token;
  store::UserRow& user = out.user;
  user.id = ids::newId(rng);
  user.email = text::asciiLower(email);
  user.password_hash = auth::hashPassword(out.password, rng);
  if (user.password_hash.empty()) return ApiError::internal("argon2 hashing failed");
  user.global_key_hash = auth::globalKeyHash(hasher, out.global_api_key);
  user.created_on = user.modified_on = now;
  store::TokenRow& token = out.token;
  token.id = ids::newId(rng);
  token.owner_kind = "user";
  token.owner_id = user.id;
  token.name = token_name;
  token.status = "active";
  token.issued_on = token.modified_on = now / 1000000 * 1000000;
  token.policies_json = auth::storePolicies(everything(user.id, rng));
  token.secret_hash = auth::tokenHash(hasher, out.api_token);
  token.created_by = user.id;
  return out;
}

namespace {

bool validPresetToken(const std::string& t) {
  if (t.size() != 40) return false;
  for (char c : t)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_')) return false;
  return true;
}

}  // namespace

Result<BootstrapResult> bootstrapIfEmpty(store::Store& store, auth::Authenticator& authn,
                                         const Clock& clock, Random& rng,
                                         const BootstrapPresets& presets,
                                         const std::string& data_dir,
                                         const std::string& api_base_url,
                                         const std::string& delivery_base_url) {
  auto done = store.getMeta("bootstrapped");
  if (!done) return done.error();
  if (*done) return BootstrapResult{};
  if (!presets.api_token.empty() && !validPresetToken(presets.api_token))
    return ApiError::internal("NUBIS_ADMIN_API_TOKEN must be 40 characters of [A-Za-z0-9_-]");

  const int64_t now = clock.nowMicros();
  auto seed = seedUser(authn.hasher(), presets.email, presets.password, presets.api_token, "Bootstrap token",
                       now, rng);
  if (!seed) return seed.error();
  const store::UserRow& user = seed->user;
  const store::TokenRow& token = seed->token;

  store::AccountRow account;
  account.id = ids::newId(rng);
  account.name = user.email + "'s Account";
  account.hash = ids::newAccountHash(rng);
  account.created_on = now;

  store::MembershipRow membership;
  membership.id = ids::newId(rng);
  membership.user_id = user.id;
  membership.email = user.email;
  membership.account_id = account.id;
  membership.status = "accepted";
  // The account's creator is the one who may manage its members.
  membership.roles_json = R"(["Super Administrator - All Privileges"])";
  membership.created_on = now;

  json::object o{{"email", user.email},
                 {"password", seed->password},
                 {"global_api_key", seed->global_api_key},
                 {"api_token", seed->api_token},
                 {"api_token_id", token.id},
                 {"user_id", user.id},
                 {"account_id", account.id},
                 {"account_hash", account.hash},
                 {"api_base_url", api_base_url},
                 {"delivery_base_url", delivery_base_url}};
  BootstrapResult out{true, json::serialize(o)};
  // The file first, the commit second: a crash in between leaves an uncommitted data dir that
  // the next start bootstraps again (overwriting the file), never committed credentials that
  // nobody was shown.
  if (Status w = writeFileDurably(data_dir + "/bootstrap.json", out.json + "\n", 0600); !w)
    return w.error();
  Status st = store.transaction([&](store::Store& s) -> Status {
    auto u = s.insertUser(user);
    if (!u) return u.error();
    auto a = s.insertAccount(account);
    if (!a) return a.error();
    auto m = s.insertMembership(membership);
    if (!m) return m.error();
    auto t = s.insertToken(token);
    if (!t) return t.error();
    if (!*u || !*a || !*m || !*t) return ApiError::internal("bootstrap rows conflict");
    // The bootstrap user administers the instance (POST /client/v4/nubis/users).
    if (Status meta = s.setMeta("instance_admin", user.id); !meta) return meta;
    return s.setMeta("bootstrapped", std::to_string(now));
  });
  if (!st) return st.error();

  return out;
}

}  // namespace nubis::app
