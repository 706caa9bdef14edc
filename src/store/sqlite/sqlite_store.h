// SqliteStore: the embedded Store, one SQLite database file in WAL mode.
//
// open() sets journal_mode=WAL, synchronous=FULL, foreign_keys=ON and busy_timeout=5000, then
// applies the compiled-in migrations (src/store/migrations/sqlite) it has not applied yet, each in
// its own transaction, recording them in schema_migrations. A write returns only after its COMMIT,
// which synchronous=FULL makes durable.
//
// Semantics beyond store.h (the contract suite in tests/store_contract pins them):
// - update* write every column but id and created_on (updateToken: see store.h); Status updates
//   of a missing id are no-ops. A unique conflict from an update is an internal error.
// - touchTokens only moves last_used_on forward and never touches modified_on.
// - A transaction() inside transaction() is a SAVEPOINT: its failure undoes only its own writes.
// - Inserts whose foreign key (membership user/account, zone account) is missing are an error.
// - images() is the ImageStore over the same database and connection (sqlite_image_store.h);
//   its calls inside transaction() join that transaction.
//
// Thread-safety: safe from any thread. One connection is guarded by a recursive mutex;
// transaction(fn) holds it for the whole of fn, so fn may call back into the store on the same
// thread but must not wait for another thread that uses the store. Calls block on disk I/O.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "store/dns_store.h"
#include "store/image_store.h"
#include "store/ssl_store.h"
#include "store/rows.h"
#include "store/store.h"

namespace nubis::store::sqlite {

class Connection;
class SqliteImageStore;
class SqliteDnsStore;
class SqliteSslStore;

class SqliteStore final : public Store {
 public:
  // path is the database file (created if missing; its directory must exist) or ":memory:".
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // PRAGMA integrity_check is "ok" and PRAGMA foreign_key_check finds nothing (for --verify).
  Status checkIntegrity();
  // The highest migration version applied to this database.
  Result<int64_t> schemaVersion();

  // The Images records in this database; lives as long as this store.
  ImageStore& images();
  // The DnsStore over the same database and connection (sqlite_dns_store.h).
  DnsStore& dns();
  // The SslStore over the same database and connection (sqlite_ssl_store.h).
  SslStore& ssl();

  Status transaction(const std::function<Status(Store&)>& fn) override;

  Result<std::optional<std::string>> getMeta(const std::string& key) override;
  Status setMeta(const std::string& key, const std::string& value) override;

  Result<std::optional<UserRow>> getUser(const std::string& id) override;
  Result<std::optional<UserRow>> findUserByEmail(const std::string& email) override;
  Result<bool> insertUser(const UserRow& row) override;
  Result<std::vector<UserRow>> listUsers() override;
  Status updateUser(const UserRow& row) override;

  Result<std::optional<AccountRow>> getAccount(const std::string& id) override;
  Result<std::optional<AccountRow>> findAccountByHash(const std::string& hash) override;
  Result<bool> insertAccount(const AccountRow& row) override;
  Status updateAccount(const AccountRow& row) override;

  Result<std::optional<MembershipRow>> getMembership(const std::string& id) override;
  Result<std::vector<MembershipRow>> listMembershipsOfUser(const std::string& user_id) override;
  Result<std::vector<MembershipRow>> listMembershipsOfAccount(
      const std::string& account_id) override;
  Status claimInvites(const std::string& email, const std::string& user_id) override;
  Result<bool> insertMembership(const MembershipRow& row) override;
  Status updateMembership(const MembershipRow& row) override;
  Result<bool> deleteMembership(const std::string& id) override;

  Result<std::optional<TokenRow>> getToken(const std::string& id) override;
  Result<std::optional<TokenRow>> findTokenBySecretHash(const std::string& hash) override;
  Result<std::vector<TokenRow>> listTokens(const std::string& owner_kind,
                                           const std::string& owner_id) override;
  Result<bool> insertToken(const TokenRow& row) override;
  Result<bool> updateToken(const TokenRow& row) override;
  Result<bool> rollToken(const std::string& id, const std::string& new_hash,
                         int64_t modified_on) override;
  Result<bool> deleteToken(const std::string& id) override;
  Status touchTokens(const std::vector<std::pair<std::string, int64_t>>& uses) override;

  Result<std::optional<ZoneRow>> getZone(const std::string& id) override;
  Result<std::optional<ZoneRow>> findZoneByName(const std::string& name) override;
  Result<std::vector<ZoneRow>> listZones(const std::vector<std::string>& account_ids) override;
  Result<bool> insertZone(const ZoneRow& row) override;
  Result<bool> updateZone(const ZoneRow& row) override;
  Result<bool> deleteZone(const std::string& id) override;
  Result<std::vector<ZoneSettingRow>> listZoneSettings(const std::string& zone_id) override;
  Status putZoneSettings(const std::vector<ZoneSettingRow>& rows) override;

 private:
  explicit SqliteStore(std::unique_ptr<Connection> conn);

  Status configure();
  Status migrate();
  Status applyMigration(int64_t version, std::string_view name, std::string_view sql);

  std::recursive_mutex mu_;
  std::unique_ptr<Connection> conn_;  // guarded by mu_
  int depth_ = 0;                     // open transaction() scopes; guarded by mu_
  // Shares conn_ and mu_; declared after them so it goes first.
  std::unique_ptr<SqliteImageStore> images_;
  std::unique_ptr<SqliteDnsStore> dns_;
  std::unique_ptr<SqliteSslStore> ssl_;
};

}  // namespace nubis::store::sqlite
