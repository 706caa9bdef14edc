// BIND zone files: the export of a zone's records (GET …/dns_records/export) and the parser of
// an imported file (POST …/dns_records/import). Pure text work; the service decides what is
// stored (dns_service.h).
//
// The parser reads RFC 1035 master files as DNS hosting exports write them: $ORIGIN, $TTL,
// comments, "@", relative and absolute owners, a blank owner repeating the previous one, optional
// TTL and class (IN only) in either order, quoted strings with \" escapes, and parentheses
// joining lines. SOA records are read and skipped (the zone's SOA is the host's). Bounded: at most
// kMaxImportRecords records and kMaxImportBytes of text; anything malformed is an error naming
// its line.
//
// Pure functions: safe from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/rows.h"

namespace nubis::dns {

inline constexpr size_t kMaxImportBytes = 4 * 1024 * 1024;
inline constexpr size_t kMaxImportRecords = 100'000;

// One record of a file, in the terms of the API's create body.
struct ParsedRecord {
  int line = 0;
  std::string name;  // absolute, without the trailing dot
  std::string type;  // upper case
  int64_t ttl = 1;
  std::string content;         // content types
  boost::json::object data;    // data types
  std::optional<int64_t> priority;  // MX, URI
  bool proxied = false;        // "; cf_tags=cf-proxied:true" on the line
};

struct ParsedZone {
  std::vector<ParsedRecord> records;
  int skipped_soa = 0;
};

// `zone` is the zone's name (the default $ORIGIN).
Result<ParsedZone> parseZoneFile(std::string_view text, std::string_view zone);

// The zone as a BIND file: a header, then one line per record, grouped by type.
std::string exportZone(const store::ZoneRow& zone, const std::vector<store::DnsRecordRow>& records,
                       int64_t now_micros);

}  // namespace nubis::dns
