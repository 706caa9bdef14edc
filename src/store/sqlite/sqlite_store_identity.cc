// SqliteStore: users, accounts and memberships.
#include <string_view>

#include "store/sqlite/connection.h"
#include "store/sqlite/query.h"
#include "store/sqlite/sqlite_store.h"

namespace nubis::store::sqlite {
namespace {

constexpr std::string_view kUserColumns =
    "id, email, first_name, last_name, telephone, country, zipcode, global_key_hash,"
    " password_hash, created_on, modified_on";

UserRow readUser(const Statement& s) {
  UserRow r;
  r.id = s.text(0);
  r.email = s.text(1);
  r.first_name = s.optText(2);
  r.last_name = s.optText(3);
  r.telephone = s.optText(4);
  r.country = s.optText(5);
  r.zipcode = s.optText(6);
  r.global_key_hash = s.text(7);
  r.password_hash = s.text(8);
  r.created_on = s.int64(9);
  r.modified_on = s.int64(10);
  return r;
}

// Binds ?1..?11 in kUserColumns order.
void bindUser(Statement& s, const UserRow& r) {
  s.bind(1, r.id).bind(2, r.email).bind(3, r.first_name).bind(4, r.last_name);
  s.bind(5, r.telephone).bind(6, r.country).bind(7, r.zipcode).bind(8, r.global_key_hash);
  s.bind(9, r.password_hash).bind(10, r.created_on).bind(11, r.modified_on);
}

constexpr std::string_view kAccountColumns = "id, name, hash, type, settings_json, created_on";

AccountRow readAccount(const Statement& s) {
  AccountRow r;
  r.id = s.text(0);
  r.name = s.text(1);
  r.hash = s.text(2);
  r.type = s.text(3);
  r.settings_json = s.text(4);
  r.created_on = s.int64(5);
  return r;
}

void bindAccount(Statement& s, const AccountRow& r) {
  s.bind(1, r.id).bind(2, r.name).bind(3, r.hash).bind(4, r.type).bind(5, r.settings_json);
  s.bind(6, r.created_on);
}

constexpr std::string_view kMembershipColumns =
    "id, user_id, email, account_id, status, roles_json, invited_by, expires_on, created_on";

MembershipRow readMembership(const Statement& s) {
  MembershipRow r;
  r.id = s.text(0);
  r.user_id = s.optText(1).value_or("");
  r.email = s.text(2);
  r.account_id = s.text(3);
  r.status = s.text(4);
  r.roles_json = s.text(5);
  r.invited_by = s.text(6);
  r.expires_on = s.optInt64(7);
  r.created_on = s.int64(8);
  return r;
}

// Binds ?1..?8 (and ?9, created_on, unless `with_created` is false: updates never write it) in
// kMembershipColumns order; an empty user_id is NULL (an unclaimed invite).
void bindMembership(Statement& s, const MembershipRow& r, bool with_created = true) {
  s.bind(1, r.id);
  if (r.user_id.empty()) {
    s.bindNull(2);
  } else {
    s.bind(2, r.user_id);
  }
  s.bind(3, r.email).bind(4, r.account_id).bind(5, r.status).bind(6, r.roles_json);
  s.bind(7, r.invited_by).bind(8, r.expires_on);
  if (with_created) s.bind(9, r.created_on);
}

}  // namespace

// ---- users

Result<std::optional<UserRow>> SqliteStore::getUser(const std::string& id) {
  std::lock_guard lock(mu_);
  static const std::string kSql = selectSql(kUserColumns, "users", "WHERE id = ?1");
  return queryOne<UserRow>(
      *conn_, kSql, "getUser", [&](Statement& s) { s.bind(1, id); }, readUser);
}

Result<std::optional<UserRow>> SqliteStore::findUserByEmail(const std::string& email) {
  std::lock_guard lock(mu_);
  static const std::string kSql = selectSql(kUserColumns, "users", "WHERE email = ?1");
  return queryOne<UserRow>(
      *conn_, kSql, "findUserByEmail", [&](Statement& s) { s.bind(1, email); }, readUser);
}

Result<bool> SqliteStore::insertUser(const UserRow& row) {
  std::lock_guard lock(mu_);
  static const std::string kSql = "INSERT INTO users (" + std::string(kUserColumns) +
                                  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
  return insertRow(*conn_, kSql, "insertUser", [&](Statement& s) { bindUser(s, row); });
}

Result<std::vector<UserRow>> SqliteStore::listUsers() {
  std::lock_guard lock(mu_);
  static const std::string kSql = selectSql(kUserColumns, "users", "ORDER BY created_on, id");
  std::vector<UserRow> rows;
  if (auto st = queryAll(*conn_, kSql, "listUsers", [](Statement&) {}, readUser, rows); !st) {
    return std::move(st).error();
  }
  return rows;
}

Status SqliteStore::updateUser(const UserRow& row) {
  std::lock_guard lock(mu_);
  // ?10 (created_on) is bound but not written: created_on never changes.
  static const std::string kSql =
      "UPDATE users SET email = ?2, first_name = ?3, last_name = ?4, telephone = ?5,"
      " country = ?6, zipcode = ?7, global_key_hash = ?8, password_hash = ?9,"
      " modified_on = ?11 WHERE id = ?1";
  return writeStatus(*conn_, kSql, "updateUser", [&](Statement& s) { bindUser(s, row); });
}

// ---- accounts

Result<std::optional<AccountRow>> SqliteStore::getAccount(const std::string& id) {
  std::lock_guard lock(mu_);
  static const std::string kSql = selectSql(kAccountColumns, "accounts", "WHERE id = ?1");
  return queryOne<AccountRow>(
      *conn_, kSql, "getAccount", [&](Statement& s) { s.bind(1, id); }, readAccount);
}

Result<std::optional<AccountRow>> SqliteStore::findAccountByHash(const std::string& hash) {
  std::lock_guard lock(mu_);
  static const std::string kSql = selectSql(kAccountColumns, "accounts", "WHERE hash = ?1");
  return queryOne<AccountRow>(
      *conn_, kSql, "findAccountByHash", [&](Statement& s) { s.bind(1, hash); }, readAccount);
}

Result<bool> SqliteStore::insertAccount(const AccountRow& row) {
  std::lock_guard lock(mu_);
  static const std::string kSql =
      "INSERT INTO accounts (" + std::string(kAccountColumns) + ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
  return insertRow(*conn_, kSql, "insertAccount", [&](Statement& s) { bindAccount(s, row); });
}

Status SqliteStore::updateAccount(const AccountRow& row) {
  std::lock_guard lock(mu_);
  static const std::string kSql =
      "UPDATE accounts SET name = ?2, hash = ?3, type = ?4, settings_json = ?5 WHERE id = ?1";
  return writeStatus(*conn_, kSql, "updateAccount", [&](Statement& s) {
    s.bind(1, row.id).bind(2, row.name).bind(3, row.hash).bind(4, row.type);
    s.bind(5, row.settings_json);
  });
}

// ---- memberships

Result<std::optional<MembershipRow>> SqliteStore::getMembership(const std::string& id) {
  std::lock_guard lock(mu_);
  static const std::string kSql = selectSql(kMembershipColumns, "memberships", "WHERE id = ?1");
  return queryOne<MembershipRow>(
      *conn_, kSql, "getMembership", [&](Statement& s) { s.bind(1, id); }, readMembership);
}

Result<std::vector<MembershipRow>> SqliteStore::listMembershipsOfUser(const std::string& user_id) {
  std::lock_guard lock(mu_);
  static const std::string kSql =
      selectSql(kMembershipColumns, "memberships", "WHERE user_id = ?1 ORDER BY created_on, id");
  std::vector<MembershipRow> rows;
  if (auto st = queryAll(
          *conn_, kSql, "listMembershipsOfUser", [&](Statement& s) { s.bind(1, user_id); },
          readMembership, rows);
      !st) {
    return std::move(st).error();
  }
  return rows;
}

Result<std::vector<MembershipRow>> SqliteStore::listMembershipsOfAccount(
    const std::string& account_id) {
  std::lock_guard lock(mu_);
  static const std::string kSql = selectSql(kMembershipColumns, "memberships",
                                            "WHERE account_id = ?1 ORDER BY created_on, id");
  std::vector<MembershipRow> rows;
  if (auto st = queryAll(
          *conn_, kSql, "listMembershipsOfAccount", [&](Statement& s) { s.bind(1, account_id); },
          readMembership, rows);
      !st) {
    return std::move(st).error();
  }
  return rows;
}

Status SqliteStore::claimInvites(const std::string& email, const std::string& user_id) {
  std::lock_guard lock(mu_);
  static const std::string kSql =
      "UPDATE memberships SET user_id = ?2 WHERE user_id IS NULL AND email = ?1";
  return writeStatus(*conn_, kSql, "claimInvites",
                     [&](Statement& s) { s.bind(1, email).bind(2, user_id); });
}

Result<bool> SqliteStore::insertMembership(const MembershipRow& row) {
  std::lock_guard lock(mu_);
  static const std::string kSql = "INSERT INTO memberships (" + std::string(kMembershipColumns) +
                                  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
  return insertRow(*conn_, kSql, "insertMembership", [&](Statement& s) { bindMembership(s, row); });
}

Status SqliteStore::updateMembership(const MembershipRow& row) {
  std::lock_guard lock(mu_);
  // created_on is not written: an invite keeps its invited_on.
  static const std::string kSql =
      "UPDATE memberships SET user_id = ?2, email = ?3, account_id = ?4, status = ?5,"
      " roles_json = ?6, invited_by = ?7, expires_on = ?8 WHERE id = ?1";
  return writeStatus(*conn_, kSql, "updateMembership",
                     [&](Statement& s) { bindMembership(s, row, false); });
}

Result<bool> SqliteStore::deleteMembership(const std::string& id) {
  std::lock_guard lock(mu_);
  static const std::string kSql = "DELETE FROM memberships WHERE id = ?1";
  return writeAny(*conn_, kSql, "deleteMembership", [&](Statement& s) { s.bind(1, id); });
}

}  // namespace nubis::store::sqlite
