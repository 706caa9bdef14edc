// DnsService: the rules of DNS records (API-SURFACE.md §4.7): bodies read and validated through
// the type table (record_types.h), names made fully qualified inside the zone, the CNAME and
// duplicate rules with Cloudflare's codes (81053, 81054, 81058), list filters and order.
//
// Thread-safety: safe from any worker thread. Writes to one process's records go through one
// mutex, so a conflict check and the write it allows cannot interleave with another's.
#pragma once

#include <boost/json/object.hpp>
#include <mutex>
#include <optional>
#include <string>

#include "api/pagination.h"
#include "api/query.h"
#include "base/clock.h"
#include "base/random.h"
#include "base/result.h"
#include "store/dns_store.h"
#include "store/store.h"

namespace nubis::dns {

inline constexpr size_t kMaxBatch = 200;  // Cloudflare's limit on the plans it documents first

class DnsService {
 public:
  DnsService(store::Store& store, store::DnsStore& records, const Clock& clock, Random& rng)
      : store_(store), records_(records), clock_(clock), rng_(rng) {}

  Result<store::DnsRecordRow> create(const store::ZoneRow& zone, const boost::json::object& body);
  // 81044 when the record is not in the zone.
  Result<store::DnsRecordRow> get(const store::ZoneRow& zone, const std::string& id);
  // PUT: the body replaces the record (type, name, content required again).
  Result<store::DnsRecordRow> replace(const store::ZoneRow& zone, const std::string& id,
                                      const boost::json::object& body);
  // PATCH: the fields sent change, the others stay.
  Result<store::DnsRecordRow> edit(const store::ZoneRow& zone, const std::string& id,
                                   const boost::json::object& body);
  Result<bool> remove(const store::ZoneRow& zone, const std::string& id);
  // POST …/dns_records/batch: {deletes, patches, puts, posts}, applied in that order, all or
  // nothing (one transaction; the first refusal is the answer and nothing is written). At most
  // kMaxBatch operations. The result holds the records each list touched.
  Result<boost::json::object> batch(const store::ZoneRow& zone, const boost::json::object& body);
  Result<store::DnsPage> list(const store::ZoneRow& zone, const api::Query& q,
                              const api::PageParams& page);

  boost::json::object toJson(const store::ZoneRow& zone, const store::DnsRecordRow& r) const;

  // GET …/dns_records/export: every record of the zone as a BIND file (bind.h).
  Result<std::string> exportZone(const store::ZoneRow& zone);
  // POST …/dns_records/import: each record of the file goes through create()'s rules; those
  // refused (invalid, conflicting, identical to one already there, outside the zone) are skipped.
  // `proxied` proxies every proxiable record (Cloudflare's form field); a line's
  // "cf_tags=cf-proxied:true" proxies that one. A malformed file is refused whole (line named).
  struct Imported {
    int64_t added = 0;
    int64_t parsed = 0;
  };
  Result<Imported> importZone(const store::ZoneRow& zone, std::string_view text, bool proxied);

 private:
  // The record a body describes: on top of `base` (PATCH), or from nothing (POST, PUT).
  Result<store::DnsRecordRow> read(const store::ZoneRow& zone, const boost::json::object& body,
                                   const store::DnsRecordRow* base);
  // 81053 / 81054 / 81058 against the zone's other records of that name.
  Status checkConflicts(const store::DnsRecordRow& r);
  Result<store::DnsRecordRow> write(const store::ZoneRow& zone, const std::string& id,
                                    const boost::json::object& body, bool partial);

  store::Store& store_;
  store::DnsStore& records_;
  const Clock& clock_;
  Random& rng_;
  // Recursive: batch() holds it across the create/edit/remove calls it makes.
  std::recursive_mutex write_mu_;
};

// "@" and names relative to the zone ("www") become fully qualified ("www.example.com"); a name
// already ending in the zone stays. nullopt when the result is not a valid DNS name.
std::optional<std::string> qualifiedName(std::string_view name, std::string_view zone);

}  // namespace nubis::dns
