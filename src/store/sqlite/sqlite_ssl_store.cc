#include "store/sqlite/sqlite_ssl_store.h"

#include <string_view>
#include <utility>

#include "store/sqlite/connection.h"
#include "store/sqlite/query.h"

namespace nubis::store::sqlite {
namespace {

constexpr std::string_view kColumns =
    "id, zone_id, type, hosts_json, status, validity_days, validation_method,"
    " certificate_authority, cloudflare_branding, primary_certificate, certificates_json,"
    " created_on";

CertPackRow readPack(const Statement& s) {
  CertPackRow r;
  r.id = s.text(0);
  r.zone_id = s.text(1);
  r.type = s.text(2);
  r.hosts_json = s.text(3);
  r.status = s.text(4);
  r.validity_days = s.int64(5);
  r.validation_method = s.text(6);
  r.certificate_authority = s.text(7);
  r.cloudflare_branding = s.int64(8) != 0;
  r.primary_certificate = s.text(9);
  r.certificates_json = s.text(10);
  r.created_on = s.int64(11);
  return r;
}

void bindPack(Statement& s, const CertPackRow& r) {
  s.bind(1, r.id)
      .bind(2, r.zone_id)
      .bind(3, r.type)
      .bind(4, r.hosts_json)
      .bind(5, r.status)
      .bind(6, r.validity_days)
      .bind(7, r.validation_method)
      .bind(8, r.certificate_authority)
      .bind(9, int64_t{r.cloudflare_branding ? 1 : 0})
      .bind(10, r.primary_certificate)
      .bind(11, r.certificates_json)
      .bind(12, r.created_on);
}

}  // namespace

Result<bool> SqliteSslStore::insertPack(const CertPackRow& row) {
  std::lock_guard lock(mu_);
  static const std::string kSql = "INSERT INTO certificate_packs (" + std::string(kColumns) +
                                  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
  return insertRow(conn_, kSql, "insertPack", [&](Statement& s) { bindPack(s, row); });
}

Result<std::optional<CertPackRow>> SqliteSslStore::getPack(const std::string& zone_id,
                                                           const std::string& id) {
  std::lock_guard lock(mu_);
  static const std::string kSql =
      selectSql(kColumns, "certificate_packs", "WHERE zone_id = ?1 AND id = ?2");
  return queryOne<CertPackRow>(
      conn_, kSql, "getPack", [&](Statement& s) { s.bind(1, zone_id).bind(2, id); }, readPack);
}

Result<std::vector<CertPackRow>> SqliteSslStore::listPacks(const std::string& zone_id) {
  std::lock_guard lock(mu_);
  static const std::string kSql = selectSql(kColumns, "certificate_packs",
                                            "WHERE zone_id = ?1 ORDER BY created_on, id");
  std::vector<CertPackRow> out;
  Status st = queryAll<CertPackRow>(
      conn_, kSql, "listPacks", [&](Statement& s) { s.bind(1, zone_id); }, readPack, out);
  if (!st) return std::move(st).error();
  return out;
}

Result<bool> SqliteSslStore::updatePack(const CertPackRow& row) {
  std::lock_guard lock(mu_);
  static const std::string kSql =
      "UPDATE certificate_packs SET status = ?5, certificates_json = ?11"
      " WHERE id = ?1 AND zone_id = ?2";
  return writeAny(conn_, kSql, "updatePack", [&](Statement& s) {
    s.bind(1, row.id).bind(2, row.zone_id).bind(5, row.status).bind(11, row.certificates_json);
  });
}

Result<bool> SqliteSslStore::deletePack(const std::string& zone_id, const std::string& id) {
  std::lock_guard lock(mu_);
  static const std::string kSql = "DELETE FROM certificate_packs WHERE zone_id = ?1 AND id = ?2";
  return writeAny(conn_, kSql, "deletePack", [&](Statement& s) { s.bind(1, zone_id).bind(2, id); });
}

}  // namespace nubis::store::sqlite
