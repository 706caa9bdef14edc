// Fuzz target dns_zone_file (issue 5): arbitrary text through parseZoneFile (the BIND import).
// Beyond ASan/UBSan it traps when the parser accepts more records than its bound, returns a
// record with an empty name or type, or when a parsed record that the type table accepts does
// not survive export and parse again (the round trip the import/export pair promises).
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dns/bind.h"
#include "dns/record_types.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = nubis::dns::parseZoneFile(text, "example.com");
  if (!parsed) return 0;
  if (parsed->records.size() > nubis::dns::kMaxImportRecords) __builtin_trap();
  std::vector<nubis::store::DnsRecordRow> rows;
  for (const auto& r : parsed->records) {
    if (r.name.empty() || r.type.empty()) __builtin_trap();
    const nubis::dns::RecordType* t = nubis::dns::recordType(r.type);
    if (t == nullptr) __builtin_trap();  // the parser refuses unknown types itself
    // Only what the API would store takes part in the round trip.
    nubis::store::DnsRecordRow row;
    row.type = r.type;
    row.name = r.name;
    row.ttl = r.ttl;
    row.priority = r.priority;
    std::string why;
    if (!t->data.empty()) {
      boost::json::object canonical;
      auto content = nubis::dns::dataContent(*t, r.data, canonical, why);
      if (!content) continue;
      row.content = *content;
      row.data_json = boost::json::serialize(canonical);
      if (!t->data_priority.empty()) row.priority = canonical.at(t->data_priority).as_int64();
    } else {
      auto content = t->canonical(r.content, why);
      if (!content) continue;
      row.content = *content;
    }
    if (!nubis::dns::hostName(row.name, true)) continue;
    rows.push_back(std::move(row));
  }
  nubis::store::ZoneRow zone;
  zone.name = "example.com";
  const std::string exported = nubis::dns::exportZone(zone, rows, 0);
  auto again = nubis::dns::parseZoneFile(exported, "example.com");
  if (!again || again->records.size() != rows.size()) __builtin_trap();
  return 0;
}
