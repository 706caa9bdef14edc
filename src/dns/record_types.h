// The DNS record types, one table: which Nubis stores, what their content (or `data` object)
// must be, whether they take a priority or may be proxied. A type the schema lists but Nubis does
// not store yet is in the table too, refused by name (never silently accepted).
//
// Pure functions over immutable data: safe from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace nubis::dns {

// One field of a `data` object (SRV, CAA, ...), as the schema names it, and how it is checked
// and written into the content (zone-file presentation order is the order of the table).
enum class FieldKind {
  kUint,    // 0..max
  kHost,    // a host name ("." allowed: SRV's "no service")
  kQuoted,  // free text, written in double quotes (CAA value, URI target, NAPTR strings)
  kHex,     // hex digits (DS digest, SSHFP fingerprint, TLSA/SMIMEA certificate)
  kBase64,  // base64 (DNSKEY public key, CERT certificate)
  kTag,     // letters and digits (CAA tag)
  kText,    // free text without line breaks, as given (HTTPS/SVCB parameters)
};

struct DataField {
  std::string_view name;
  FieldKind kind;
  int64_t max = 0;  // kUint only
};

struct RecordType {
  std::string_view name;
  bool supported;       // false: refused with "not implemented by Nubis"
  bool proxiable;       // A, AAAA, CNAME
  bool needs_priority;  // MX, URI: a top-level priority (0-65535)
  // Content types: the content in canonical form, or nullopt with `why` set (a sentence naming
  // the problem). nullptr for data types.
  std::optional<std::string> (*canonical)(std::string_view content, std::string& why);
  // Data types: the fields of `data`, in presentation order; empty for content types.
  std::span<const DataField> data = {};
  // The data field that is also the record's priority (SRV, HTTPS, SVCB), or "".
  std::string_view data_priority = {};
};

// For a data type: checks `data` against the type's fields, writes the checked values (and only
// those) into `canonical`, and returns the content (the fields in presentation order), or
// nullopt with `why` naming the field.
std::optional<std::string> dataContent(const RecordType& type, const boost::json::object& data,
                                       boost::json::object& canonical, std::string& why);

// The row for `type` (upper case, as the API spells it), or nullptr for a type the schema does
// not list either.
const RecordType* recordType(std::string_view type);

// `s` as a zone-file quoted string: in double quotes, with \" and \\ escaped.
std::string quoted(std::string_view s);

// A host name as record content (CNAME, MX, NS, PTR targets) or a record name: 1 to 253
// characters, labels of 1 to 63 letters, digits, '-' or '_' (not starting or ending with '-'),
// a leading "*" label allowed when `wildcard`. Returns it lower-cased, without a trailing dot.
std::optional<std::string> hostName(std::string_view name, bool wildcard);

}  // namespace nubis::dns
