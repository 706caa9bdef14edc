// Store: the repository interface every implementation (SQLite now, PostgreSQL later) provides.
//
// Contract, checked by tests/store_contract for every implementation:
// - A method that returns success has made its write durable (committed and synced) first.
// - Unique constraints (user e-mail, account hash, token secret hash, zone name, one membership
//   per account and e-mail) are reported as a `false` from the insert, never as an error; I/O
//   failures are ApiError::internal.
// - Lists return whole scopes; callers page and filter (scopes are bounded: 50 user tokens,
//   500 account tokens, zones per account).
// - transaction(fn) runs fn atomically: all of its writes land or none do.
// Thread-safety: implementations are safe to call from any thread; calls may block on I/O, so
// callers run them on the worker pool, never on an I/O thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "store/rows.h"

namespace nubis::store {

class Store {
 public:
  virtual ~Store() = default;

  // Runs fn inside one transaction. fn's failure (or exception) rolls everything back.
  virtual Status transaction(const std::function<Status(Store&)>& fn) = 0;

  // Small key/value facts about the installation (bootstrap done, schema notes).
  virtual Result<std::optional<std::string>> getMeta(const std::string& key) = 0;
  virtual Status setMeta(const std::string& key, const std::string& value) = 0;

  // Users.
  virtual Result<std::optional<UserRow>> getUser(const std::string& id) = 0;
  virtual Result<std::optional<UserRow>> findUserByEmail(const std::string& email) = 0;
  virtual Result<bool> insertUser(const UserRow& row) = 0;
  // Every user, in (created_on, id) order (the instance admin's list; users are few).
  virtual Result<std::vector<UserRow>> listUsers() = 0;
  virtual Status updateUser(const UserRow& row) = 0;

  // Accounts.
  virtual Result<std::optional<AccountRow>> getAccount(const std::string& id) = 0;
  virtual Result<std::optional<AccountRow>> findAccountByHash(const std::string& hash) = 0;
  virtual Result<bool> insertAccount(const AccountRow& row) = 0;
  virtual Status updateAccount(const AccountRow& row) = 0;

  // Memberships (user <-> account).
  virtual Result<std::optional<MembershipRow>> getMembership(const std::string& id) = 0;
  virtual Result<std::vector<MembershipRow>> listMembershipsOfUser(const std::string& user_id) = 0;
  // In (created_on, id) order.
  virtual Result<std::vector<MembershipRow>> listMembershipsOfAccount(
      const std::string& account_id) = 0;
  // Gives invites that name `email` and no user to `user_id` (a user created after the invite).
  virtual Status claimInvites(const std::string& email, const std::string& user_id) = 0;
  virtual Result<bool> insertMembership(const MembershipRow& row) = 0;
  virtual Status updateMembership(const MembershipRow& row) = 0;
  virtual Result<bool> deleteMembership(const std::string& id) = 0;

  // API tokens.
  virtual Result<std::optional<TokenRow>> getToken(const std::string& id) = 0;
  virtual Result<std::optional<TokenRow>> findTokenBySecretHash(const std::string& hash) = 0;
  virtual Result<std::vector<TokenRow>> listTokens(const std::string& owner_kind,
                                                   const std::string& owner_id) = 0;
  virtual Result<bool> insertToken(const TokenRow& row) = 0;
  // Updates every column but id, owner and secret_hash. Returns false if the id is gone.
  virtual Result<bool> updateToken(const TokenRow& row) = 0;
  // Replaces the secret hash atomically. Returns false if the id is gone.
  virtual Result<bool> rollToken(const std::string& id, const std::string& new_hash,
                                 int64_t modified_on) = 0;
  virtual Result<bool> deleteToken(const std::string& id) = 0;
  // Batched last_used_on updates (id, micros); missing ids are ignored.
  virtual Status touchTokens(const std::vector<std::pair<std::string, int64_t>>& uses) = 0;

  // Zones.
  virtual Result<std::optional<ZoneRow>> getZone(const std::string& id) = 0;
  virtual Result<std::optional<ZoneRow>> findZoneByName(const std::string& name) = 0;
  virtual Result<std::vector<ZoneRow>> listZones(const std::vector<std::string>& account_ids) = 0;
  virtual Result<bool> insertZone(const ZoneRow& row) = 0;
  virtual Result<bool> updateZone(const ZoneRow& row) = 0;
  virtual Result<bool> deleteZone(const std::string& id) = 0;

  // Zone settings a client has set (they go with their zone).
  virtual Result<std::vector<ZoneSettingRow>> listZoneSettings(const std::string& zone_id) = 0;
  // Inserts or replaces each row, all or none.
  virtual Status putZoneSettings(const std::vector<ZoneSettingRow>& rows) = 0;
};

}  // namespace nubis::store
