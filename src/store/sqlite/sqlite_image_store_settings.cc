// SqliteImageStore: named variants, URL-signing keys and the per-account Images config.
#include <string_view>
#include <utility>

#include "store/sqlite/connection.h"
#include "store/sqlite/query.h"
#include "store/sqlite/sqlite_image_store.h"

namespace nubis::store::sqlite {
namespace {

constexpr std::string_view kVariantColumns =
    "account_id, name, options_json, never_require_signed, created, modified";

VariantRow readVariant(const Statement& s) {
  VariantRow r;
  r.account_id = s.text(0);
  r.name = s.text(1);
  r.options_json = s.text(2);
  r.never_require_signed = s.int64(3) != 0;
  r.created = s.int64(4);
  r.modified = s.int64(5);
  return r;
}

// Binds ?1..?6 in kVariantColumns order.
void bindVariant(Statement& s, const VariantRow& r) {
  s.bind(1, r.account_id).bind(2, r.name).bind(3, r.options_json);
  s.bind(4, int64_t{r.never_require_signed ? 1 : 0}).bind(5, r.created).bind(6, r.modified);
}

constexpr std::string_view kKeyColumns = "account_id, name, value, created";

SigningKeyRow readKey(const Statement& s) {
  SigningKeyRow r;
  r.account_id = s.text(0);
  r.name = s.text(1);
  r.value = s.text(2);
  r.created = s.int64(3);
  return r;
}

}  // namespace

// ---- variants

Result<std::vector<VariantRow>> SqliteImageStore::listVariants(const std::string& account_id) {
  std::lock_guard lock(mu_);
  static const std::string kSql =
      selectSql(kVariantColumns, "image_variants", "WHERE account_id = ?1 ORDER BY name");
  std::vector<VariantRow> rows;
  if (auto st = queryAll(
          conn_, kSql, "listVariants", [&](Statement& s) { s.bind(1, account_id); }, readVariant,
          rows);
      !st) {
    return std::move(st).error();
  }
  return rows;
}

Result<std::optional<VariantRow>> SqliteImageStore::getVariant(const std::string& account_id,
                                                               const std::string& name) {
  std::lock_guard lock(mu_);
  static const std::string kSql =
      selectSql(kVariantColumns, "image_variants", "WHERE account_id = ?1 AND name = ?2");
  return queryOne<VariantRow>(
      conn_, kSql, "getVariant", [&](Statement& s) { s.bind(1, account_id).bind(2, name); },
      readVariant);
}

Result<bool> SqliteImageStore::insertVariant(const VariantRow& row) {
  std::lock_guard lock(mu_);
  static const std::string kSql = "INSERT INTO image_variants (" + std::string(kVariantColumns) +
                                  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
  return insertRow(conn_, kSql, "insertVariant", [&](Statement& s) { bindVariant(s, row); });
}

Result<bool> SqliteImageStore::updateVariant(const VariantRow& row) {
  std::lock_guard lock(mu_);
  // created (?5) is bound but not written.
  static const std::string kSql =
      "UPDATE image_variants SET options_json = ?3, never_require_signed = ?4, modified = ?6"
      " WHERE account_id = ?1 AND name = ?2";
  return writeAny(conn_, kSql, "updateVariant", [&](Statement& s) { bindVariant(s, row); });
}

Result<bool> SqliteImageStore::deleteVariant(const std::string& account_id,
                                             const std::string& name) {
  std::lock_guard lock(mu_);
  static const std::string kSql = "DELETE FROM image_variants WHERE account_id = ?1 AND name = ?2";
  return writeAny(conn_, kSql, "deleteVariant",
                  [&](Statement& s) { s.bind(1, account_id).bind(2, name); });
}

// ---- signing keys

Result<std::vector<SigningKeyRow>> SqliteImageStore::listSigningKeys(
    const std::string& account_id) {
  std::lock_guard lock(mu_);
  static const std::string kSql =
      selectSql(kKeyColumns, "image_signing_keys", "WHERE account_id = ?1 ORDER BY created, name");
  std::vector<SigningKeyRow> rows;
  if (auto st = queryAll(
          conn_, kSql, "listSigningKeys", [&](Statement& s) { s.bind(1, account_id); }, readKey,
          rows);
      !st) {
    return std::move(st).error();
  }
  return rows;
}

Status SqliteImageStore::putSigningKey(const SigningKeyRow& row) {
  std::lock_guard lock(mu_);
  // A replaced key keeps its created, so the list order does not move on a rotation.
  static const std::string kSql =
      "INSERT INTO image_signing_keys (" + std::string(kKeyColumns) +
      ") VALUES (?1, ?2, ?3, ?4)"
      " ON CONFLICT (account_id, name) DO UPDATE SET value = excluded.value";
  return writeStatus(conn_, kSql, "putSigningKey", [&](Statement& s) {
    s.bind(1, row.account_id).bind(2, row.name).bind(3, row.value).bind(4, row.created);
  });
}

Result<bool> SqliteImageStore::deleteSigningKey(const std::string& account_id,
                                                const std::string& name) {
  std::lock_guard lock(mu_);
  static const std::string kSql =
      "DELETE FROM image_signing_keys WHERE account_id = ?1 AND name = ?2";
  return writeAny(conn_, kSql, "deleteSigningKey",
                  [&](Statement& s) { s.bind(1, account_id).bind(2, name); });
}

// ---- config

Result<ImagesConfigRow> SqliteImageStore::getImagesConfig(const std::string& account_id) {
  std::lock_guard lock(mu_);
  static const std::string kSql = selectSql("account_id, flexible_variants, browser_ttl",
                                            "images_config", "WHERE account_id = ?1");
  auto row = queryOne<ImagesConfigRow>(
      conn_, kSql, "getImagesConfig", [&](Statement& s) { s.bind(1, account_id); },
      [](const Statement& s) {
        ImagesConfigRow r;
        r.account_id = s.text(0);
        r.flexible_variants = s.int64(1) != 0;
        r.browser_ttl = s.int64(2);
        return r;
      });
  if (!row) return std::move(row).error();
  if (row->has_value()) return std::move(**row);
  ImagesConfigRow defaults;
  defaults.account_id = account_id;
  return defaults;
}

Status SqliteImageStore::putImagesConfig(const ImagesConfigRow& row) {
  std::lock_guard lock(mu_);
  static const std::string kSql =
      "INSERT INTO images_config (account_id, flexible_variants, browser_ttl) VALUES (?1, ?2, ?3)"
      " ON CONFLICT (account_id) DO UPDATE SET flexible_variants = excluded.flexible_variants,"
      " browser_ttl = excluded.browser_ttl";
  return writeStatus(conn_, kSql, "putImagesConfig", [&](Statement& s) {
    s.bind(1, row.account_id).bind(2, int64_t{row.flexible_variants ? 1 : 0});
    s.bind(3, row.browser_ttl);
  });
}

}  // namespace nubis::store::sqlite
