// SqliteDnsStore: the DnsStore over the same SQLite database, connection and mutex as one
// SqliteStore, which owns it and hands it out as SqliteStore::dns(). Tables come from migration
// 0003_dns.sql. Listing builds its SQL from a fixed set of fragments (the filters present, the
// order column from a closed list) with every value bound; that text varies with the query, so
// it is prepared uncached. A list walks the result's order once and keeps it (DnsPositions) while
// the database is unchanged, so the pages of a walk cost their rows, not the zone.
//
// Thread-safety: safe from any thread; every call holds the owner's recursive mutex.
#pragma once

#include <mutex>
#include <string>

#include "store/dns_store.h"
#include "store/sqlite/dns_positions.h"

namespace nubis::store::sqlite {

class Connection;

// The SELECT of listRecords for q (values as ?N parameters: ?1 the zone, then the filters): the
// rowids of every matching record, in the list's order. Exposed for its tests (query plans).
std::string dnsListSql(const DnsQuery& q);

class SqliteDnsStore final : public DnsStore {
 public:
  SqliteDnsStore(Connection& conn, std::recursive_mutex& mu) : conn_(conn), mu_(mu) {}
  SqliteDnsStore(const SqliteDnsStore&) = delete;
  SqliteDnsStore& operator=(const SqliteDnsStore&) = delete;

  Result<bool> insertRecord(const DnsRecordRow& row) override;
  Result<std::optional<DnsRecordRow>> getRecord(const std::string& zone_id,
                                                const std::string& id) override;
  Result<bool> updateRecord(const DnsRecordRow& row) override;
  Result<bool> deleteRecord(const std::string& zone_id, const std::string& id) override;
  Result<DnsPage> listRecords(const DnsQuery& q) override;
  Result<std::vector<DnsRecordRow>> recordsNamed(const std::string& zone_id,
                                                 const std::string& name) override;

 private:
  Connection& conn_;
  std::recursive_mutex& mu_;
  DnsPositions positions_;  // under mu_
};

}  // namespace nubis::store::sqlite
