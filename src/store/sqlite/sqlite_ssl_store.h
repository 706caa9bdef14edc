// SqliteSslStore: the SslStore over the same SQLite database, connection and mutex as one
// SqliteStore (SqliteStore::ssl()). Tables from migration 0004_ssl.sql.
//
// Thread-safety: safe from any thread; every call holds the owner's recursive mutex.
#pragma once

#include <mutex>

#include "store/ssl_store.h"

namespace nubis::store::sqlite {

class Connection;

class SqliteSslStore final : public SslStore {
 public:
  SqliteSslStore(Connection& conn, std::recursive_mutex& mu) : conn_(conn), mu_(mu) {}
  SqliteSslStore(const SqliteSslStore&) = delete;
  SqliteSslStore& operator=(const SqliteSslStore&) = delete;

  Result<bool> insertPack(const CertPackRow& row) override;
  Result<std::optional<CertPackRow>> getPack(const std::string& zone_id,
                                             const std::string& id) override;
  Result<std::vector<CertPackRow>> listPacks(const std::string& zone_id) override;
  Result<bool> updatePack(const CertPackRow& row) override;
  Result<bool> deletePack(const std::string& zone_id, const std::string& id) override;

 private:
  Connection& conn_;
  std::recursive_mutex& mu_;
};

}  // namespace nubis::store::sqlite
