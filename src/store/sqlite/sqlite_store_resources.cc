// SqliteStore: API tokens and zones.
#include <algorithm>
#include <string_view>

#include "store/sqlite/connection.h"
#include "store/sqlite/query.h"
#include "store/sqlite/sqlite_store.h"

namespace nubis::store::sqlite {
namespace {

constexpr std::string_view kTokenColumns =
    "id, owner_kind, owner_id, name, status, issued_on, modified_on, last_used_on, not_before,"
    " expires_on, policies_json, condition_json, secret_hash, created_by";

TokenRow readToken(const Statement& s) {
  TokenRow r;
  r.id = s.text(0);
  r.owner_kind = s.text(1);
  r.owner_id = s.text(2);
  r.name = s.text(3);
  r.status = s.text(4);
  r.issued_on = s.int64(5);
  r.modified_on = s.int64(6);
  r.last_used_on = s.optInt64(7);
  r.not_before = s.optInt64(8);
  r.expires_on = s.optInt64(9);
  r.policies_json = s.text(10);
  r.condition_json = s.text(11);
  r.secret_hash = s.text(12);
  r.created_by = s.text(13);
  return r;
}

// Binds ?1..?14 in kTokenColumns order.
void bindToken(Statement& s, const TokenRow& r) {
  s.bind(1, r.id).bind(2, r.owner_kind).bind(3, r.owner_id).bind(4, r.name).bind(5, r.status);
  s.bind(6, r.issued_on).bind(7, r.modified_on).bind(8, r.last_used_on).bind(9, r.not_before);
  s.bind(10, r.expires_on).bind(11, r.policies_json).bind(12, r.condition_json);
  s.bind(13, r.secret_hash).bind(14, r.created_by);
}

constexpr std::string_view kZoneColumns =
    "id, account_id, name, status, type, paused, development_mode, name_servers_json,"
    " activated_on, created_on, modified_on";

ZoneRow readZone(const Statement& s) {
  ZoneRow r;
  r.id = s.text(0);
  r.account_id = s.text(1);
  r.name = s.text(2);
  r.status = s.text(3);
  r.type = s.text(4);
  r.paused = s.int64(5) != 0;
  r.development_mode = s.int64(6);
  r.name_servers_json = s.text(7);
  r.activated_on = s.optInt64(8);
  r.created_on = s.int64(9);
  r.modified_on = s.int64(10);
  return r;
}

// Binds ?1..?11 in kZoneColumns order.
void bindZone(Statement& s, const ZoneRow& r) {
  s.bind(1, r.id).bind(2, r.account_id).bind(3, r.name).bind(4, r.status).bind(5, r.type);
  s.bind(6, int64_t{r.paused ? 1 : 0}).bind(7, r.development_mode);
  s.bind(8, r.name_servers_json).bind(9, r.activated_on).bind(10, r.created_on);
  s.bind(11, r.modified_on);
}

}  // namespace

// ---- tokens

Result<std::optional<TokenRow>> SqliteStore::getToken(const std::string& id) {
  std::lock_guard lock(mu_);
  static const std::string kSql = selectSql(kTokenColumns, "tokens", "WHERE id = ?1");
  return queryOne<TokenRow>(
      *conn_, kSql, "getToken", [&](Statement& s) { s.bind(1, id); }, readToken);
}

Result<std::optional<TokenRow>> SqliteStore::findTokenBySecretHash(const std::string& hash) {
  std::lock_guard lock(mu_);
  static const std::string kSql = selectSql(kTokenColumns, "tokens", "WHERE secret_hash = ?1");
  return queryOne<TokenRow>(
      *conn_, kSql, "findTokenBySecretHash", [&](Statement& s) { s.bind(1, hash); }, readToken);
}

Result<std::vector<TokenRow>> SqliteStore::listTokens(const std::string& owner_kind,
                                                      const std::string& owner_id) {
  std::lock_guard lock(mu_);
  static const std::string kSql = selectSql(
      kTokenColumns, "tokens", "WHERE owner_kind = ?1 AND owner_id = ?2 ORDER BY issued_on, id");
  std::vector<TokenRow> rows;
  if (auto st = queryAll(
          *conn_, kSql, "listTokens",
          [&](Statement& s) { s.bind(1, owner_kind).bind(2, owner_id); }, readToken, rows);
      !st) {
    return std::move(st).error();
  }
  return rows;
}

Result<bool> SqliteStore::insertToken(const TokenRow& row) {
  std::lock_guard lock(mu_);
  static const std::string kSql =
      "INSERT INTO tokens (" + std::string(kTokenColumns) +
      ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
  return insertRow(*conn_, kSql, "insertToken", [&](Statement& s) { bindToken(s, row); });
}

Result<bool> SqliteStore::updateToken(const TokenRow& row) {
  std::lock_guard lock(mu_);
  // Never writes owner_kind (?2), owner_id (?3) or secret_hash (?13): rollToken owns the secret.
  static const std::string kSql =
      "UPDATE tokens SET name = ?4, status = ?5, issued_on = ?6, modified_on = ?7,"
      " last_used_on = ?8, not_before = ?9, expires_on = ?10, policies_json = ?11,"
      " condition_json = ?12, created_by = ?14 WHERE id = ?1";
  return writeAny(*conn_, kSql, "updateToken", [&](Statement& s) { bindToken(s, row); });
}

Result<bool> SqliteStore::rollToken(const std::string& id, const std::string& new_hash,
                                    int64_t modified_on) {
  std::lock_guard lock(mu_);
  static const std::string kSql =
      "UPDATE tokens SET secret_hash = ?2, modified_on = ?3 WHERE id = ?1";
  return writeAny(*conn_, kSql, "rollToken",
                  [&](Statement& s) { s.bind(1, id).bind(2, new_hash).bind(3, modified_on); });
}

Result<bool> SqliteStore::deleteToken(const std::string& id) {
  std::lock_guard lock(mu_);
  static const std::string kSql = "DELETE FROM tokens WHERE id = ?1";
  return writeAny(*conn_, kSql, "deleteToken", [&](Statement& s) { s.bind(1, id); });
}

Status SqliteStore::touchTokens(const std::vector<std::pair<std::string, int64_t>>& uses) {
  if (uses.empty()) return Ok{};
  // One transaction for the batch: one fsync instead of one per token.
  return transaction([&](Store&) -> Status {
    // last_used_on only moves forward, so batches flushed out of order cannot move it back.
    static const std::string kSql =
        "UPDATE tokens SET last_used_on = ?2"
        " WHERE id = ?1 AND (last_used_on IS NULL OR last_used_on < ?2)";
    for (const auto& use : uses) {  // (id, micros)
      if (auto st = writeStatus(*conn_, kSql, "touchTokens",
                                [&](Statement& s) { s.bind(1, use.first).bind(2, use.second); });
          !st) {
        return st;
      }
    }
    return Ok{};
  });
}

// ---- zones

Result<std::optional<ZoneRow>> SqliteStore::getZone(const std::string& id) {
  std::lock_guard lock(mu_);
  static const std::string kSql = selectSql(kZoneColumns, "zones", "WHERE id = ?1");
  return queryOne<ZoneRow>(
      *conn_, kSql, "getZone", [&](Statement& s) { s.bind(1, id); }, readZone);
}

Result<std::optional<ZoneRow>> SqliteStore::findZoneByName(const std::string& name) {
  std::lock_guard lock(mu_);
  static const std::string kSql = selectSql(kZoneColumns, "zones", "WHERE name = ?1");
  return queryOne<ZoneRow>(
      *conn_, kSql, "findZoneByName", [&](Statement& s) { s.bind(1, name); }, readZone);
}

Result<std::vector<ZoneRow>> SqliteStore::listZones(const std::vector<std::string>& account_ids) {
  std::lock_guard lock(mu_);
  // One cached statement per account (a principal has few accounts), then one merge by name,
  // instead of an IN list whose SQL text would vary with the number of accounts.
  static const std::string kSql =
      selectSql(kZoneColumns, "zones", "WHERE account_id = ?1 ORDER BY name");
  std::vector<std::string> ids = account_ids;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<ZoneRow> rows;
  for (const std::string& account_id : ids) {
    if (auto st = queryAll(
            *conn_, kSql, "listZones", [&](Statement& s) { s.bind(1, account_id); }, readZone,
            rows);
        !st) {
      return std::move(st).error();
    }
  }
  // Zone names are unique, so this order is total.
  std::sort(rows.begin(), rows.end(),
            [](const ZoneRow& a, const ZoneRow& b) { return a.name < b.name; });
  return rows;
}

Result<bool> SqliteStore::insertZone(const ZoneRow& row) {
  std::lock_guard lock(mu_);
  static const std::string kSql = "INSERT INTO zones (" + std::string(kZoneColumns) +
                                  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
  return insertRow(*conn_, kSql, "insertZone", [&](Statement& s) { bindZone(s, row); });
}

Result<bool> SqliteStore::updateZone(const ZoneRow& row) {
  std::lock_guard lock(mu_);
  // created_on (?10) is bound but not written.
  static const std::string kSql =
      "UPDATE zones SET account_id = ?2, name = ?3, status = ?4, type = ?5, paused = ?6,"
      " development_mode = ?7, name_servers_json = ?8, activated_on = ?9, modified_on = ?11"
      " WHERE id = ?1";
  return writeAny(*conn_, kSql, "updateZone", [&](Statement& s) { bindZone(s, row); });
}

Result<bool> SqliteStore::deleteZone(const std::string& id) {
  std::lock_guard lock(mu_);
  static const std::string kSql = "DELETE FROM zones WHERE id = ?1";
  return writeAny(*conn_, kSql, "deleteZone", [&](Statement& s) { s.bind(1, id); });
}

// ---- zone settings

Result<std::vector<ZoneSettingRow>> SqliteStore::listZoneSettings(const std::string& zone_id) {
  std::lock_guard lock(mu_);
  static const std::string kSql =
      "SELECT zone_id, id, value_json, modified_on FROM zone_settings WHERE zone_id = ?1 ORDER BY id";
  std::vector<ZoneSettingRow> rows;
  auto read = [](const Statement& s) {
    return ZoneSettingRow{s.text(0), s.text(1), s.text(2), s.int64(3)};
  };
  if (auto st = queryAll(
          *conn_, kSql, "listZoneSettings", [&](Statement& s) { s.bind(1, zone_id); }, read, rows);
      !st) {
    return std::move(st).error();
  }
  return rows;
}

Status SqliteStore::putZoneSettings(const std::vector<ZoneSettingRow>& rows) {
  return transaction([&](Store&) -> Status {
    static const std::string kSql =
        "INSERT INTO zone_settings (zone_id, id, value_json, modified_on) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT (zone_id, id) DO UPDATE SET value_json = excluded.value_json,"
        " modified_on = excluded.modified_on";
    for (const auto& r : rows) {
      Status st = writeStatus(*conn_, kSql, "putZoneSettings", [&](Statement& s) {
        s.bind(1, r.zone_id).bind(2, r.id).bind(3, r.value_json).bind(4, r.modified_on);
      });
      if (!st) return st;
    }
    return Ok{};
  });
}

}  // namespace nubis::store::sqlite
