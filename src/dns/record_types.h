// The DNS record types, one table: what their content (or `data` object) must be, whether they
// take a priority or may be proxied. Every type of the schema (the 2026 SDK's 21) has its row.
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
  kDecimal,  // a number from lo to hi, kept to `decimals` places and written with them (LOC)
  kLetter,   // one of the letters of `letters` (LOC's N|S, E|W)
};

struct DataField {
  std::string_view name;
  FieldKind kind;
  int64_t max = 0;        // kUint
  double lo = 0, hi = 0;  // kDecimal
  int decimals = 0;       // kDecimal
  std::string_view letters = {};  // kLetter
  bool zero_default = false;      // absent or null reads as 0 (the schema's default: LOC)
};

struct RecordType {
  std::string_view name;
  bool proxiable;       // A, AAAA, CNAME
  bool needs_priority;  // MX, URI: a top-level priority (0-65535)
  // Content types: the content in canonical form, or nullopt with `why` set (a sentence naming
  // the problem). nullptr for data types.
  std::optional<std::string> (*canonical)(std::string_view content, std::string& why);
  // Data types: the fields of `data`, in presentation order; empty for content types.
  std::span<const DataField> data = {};
  // The data field that is also the record's priority (SRV, HTTPS, SVCB), or "".
  std::string_view data_priority = {};
  // A rule across the checked fields (LOC: at most 90 degrees of latitude), or nullptr; false
  // with `why` set when it fails.
  bool (*check)(const boost::json::object& canonical, std::string& why) = nullptr;
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
