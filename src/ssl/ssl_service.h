// SslService: certificate packs of zones (API-SURFACE.md §4.8). Every zone has a universal pack
// (hosts: the zone and its wildcard), issued by the local CA the first time the zone's packs are
// read, pending validation until the zone is active and active from then on. Advanced packs are
// ordered with the fields of the schema and issued at once (Nubis has nothing to validate).
//
// Thread-safety: safe from any worker thread; issuing a zone's universal pack is serialised.
#pragma once

#include <boost/json/object.hpp>
#include <mutex>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/random.h"
#include "base/result.h"
#include "ssl/local_ca.h"
#include "store/ssl_store.h"

namespace nubis::ssl {

class SslService {
 public:
  SslService(store::SslStore& packs, LocalCa& ca, const Clock& clock, Random& rng)
      : packs_(packs), ca_(ca), clock_(clock), rng_(rng) {}

  // The zone's packs (the universal one made or brought up to date first); `all` includes every
  // status, else active packs only.
  Result<std::vector<store::CertPackRow>> list(const store::ZoneRow& zone, bool all);
  Result<store::CertPackRow> get(const store::ZoneRow& zone, const std::string& id);
  Result<store::CertPackRow> order(const store::ZoneRow& zone, const boost::json::object& body);
  // Advanced packs only: the universal pack is the zone's own.
  Result<bool> remove(const store::ZoneRow& zone, const std::string& id);

  boost::json::object toJson(const store::CertPackRow& pack) const;

 private:
  Status ensureUniversal(const store::ZoneRow& zone);
  Result<store::CertPackRow> issuePack(const store::ZoneRow& zone, std::string type,
                                       std::vector<std::string> hosts, int64_t validity_days,
                                       std::string validation_method, std::string ca_name,
                                       bool branding, std::string status);

  store::SslStore& packs_;
  LocalCa& ca_;
  const Clock& clock_;
  Random& rng_;
  std::mutex mu_;
};

}  // namespace nubis::ssl
