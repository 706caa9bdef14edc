// The DNS record types, one table: which Nubis stores, what their content must be, whether they
// take a priority or may be proxied. Everything the schema lists but Nubis does not store yet
// is in the table too, refused by name (never silently accepted).
//
// Pure functions over immutable data: safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nubis::dns {

struct RecordType {
  std::string_view name;
  bool supported;       // false: refused with "not implemented by Nubis"
  bool proxiable;       // A, AAAA, CNAME
  bool needs_priority;  // MX (0-65535)
  // The content in canonical form, or nullopt with `why` set (a sentence naming the problem).
  std::optional<std::string> (*canonical)(std::string_view content, std::string& why);
};

// The row for `type` (upper case, as the API spells it), or nullptr for a type the schema does
// not list either.
const RecordType* recordType(std::string_view type);

// A host name as record content (CNAME, MX, NS, PTR targets) or a record name: 1 to 253
// characters, labels of 1 to 63 letters, digits, '-' or '_' (not starting or ending with '-'),
// a leading "*" label allowed when `wildcard`. Returns it lower-cased, without a trailing dot.
std::optional<std::string> hostName(std::string_view name, bool wildcard);

}  // namespace nubis::dns
