// DnsStore: the repository interface for DNS records (rows.h DnsRecordRow).
//
// Contract (on top of store.h's: durable before success, I/O failures as ApiError::internal):
// - Records belong to a zone; deleting the zone deletes its records (a foreign key cascade).
// - listRecords filters, orders and pages inside the query: a page costs its rows plus the
//   index walk to its offset, not the zone's size in memory. Text filters compare
//   case-insensitively (ASCII); their values are bound, never spliced into SQL.
// - The order is total: ties on the requested column are broken by id.
// Thread-safety: safe from any thread; calls block on I/O, so run them on the worker pool.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/rows.h"

namespace nubis::store {

struct DnsTextFilter {
  enum class Op { kExact, kContains, kStartsWith, kEndsWith } op = Op::kExact;
  std::string value;
};

// One tag filter: whether a tag of that name is there (present, absent), or whether one of that
// name has a value equal to, containing, starting or ending with `value`. Tags are stored as
// "name" or "name:value" strings (rows.h); names and values compare case-insensitively (ASCII).
struct DnsTagFilter {
  enum class Op { kPresent, kAbsent, kExact, kContains, kStartsWith, kEndsWith } op = Op::kPresent;
  std::string name;
  std::string value;  // not for kPresent, kAbsent
};

struct DnsQuery {
  std::string zone_id;
  std::optional<std::string> type;  // exact, upper case
  std::optional<DnsTextFilter> name, content, comment;
  std::optional<bool> comment_present;  // comment.present / comment.absent
  std::optional<bool> proxied;
  // The tag filters, combined among themselves by tag_match (AND unless tag_match_any); that
  // result is one more filter for `match` to combine with the others.
  std::vector<DnsTagFilter> tags;
  bool tag_match_any = false;
  bool match_any = false;  // match=any: OR across the filters above; all (AND) otherwise
  // Free text found in the name, content, comment or a tag; required whatever `match` says.
  std::optional<std::string> search;
  std::string order = "type";  // type | name | content | ttl | proxied
  bool desc = false;
  int64_t offset = 0;
  int64_t limit = 100;
};

struct DnsPage {
  std::vector<DnsRecordRow> rows;
  int64_t total = 0;  // rows matching the filters, all pages
};

class DnsStore {
 public:
  virtual ~DnsStore() = default;

  // false when the id exists already.
  virtual Result<bool> insertRecord(const DnsRecordRow& row) = 0;
  virtual Result<std::optional<DnsRecordRow>> getRecord(const std::string& zone_id,
                                                        const std::string& id) = 0;
  // Every field but id, zone_id and created_on; false when the record does not exist.
  virtual Result<bool> updateRecord(const DnsRecordRow& row) = 0;
  virtual Result<bool> deleteRecord(const std::string& zone_id, const std::string& id) = 0;
  virtual Result<DnsPage> listRecords(const DnsQuery& q) = 0;
  // Every record of the zone with exactly this (lower-case) name, for the conflict rules.
  virtual Result<std::vector<DnsRecordRow>> recordsNamed(const std::string& zone_id,
                                                         const std::string& name) = 0;
};

}  // namespace nubis::store
