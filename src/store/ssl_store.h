// SslStore: the repository interface for certificate packs (rows.h CertPackRow).
//
// Contract (on top of store.h's): packs belong to a zone and go with it (cascade); listPacks is
// in creation order, then id. Thread-safety: safe from any thread; calls block on I/O.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/rows.h"

namespace nubis::store {

class SslStore {
 public:
  virtual ~SslStore() = default;

  virtual Result<bool> insertPack(const CertPackRow& row) = 0;  // false: the id exists
  virtual Result<std::optional<CertPackRow>> getPack(const std::string& zone_id,
                                                     const std::string& id) = 0;
  virtual Result<std::vector<CertPackRow>> listPacks(const std::string& zone_id) = 0;
  // status and certificates_json; false when the pack does not exist.
  virtual Result<bool> updatePack(const CertPackRow& row) = 0;
  virtual Result<bool> deletePack(const std::string& zone_id, const std::string& id) = 0;
};

}  // namespace nubis::store
