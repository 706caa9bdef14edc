#include "dns/record_types.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "base/text.h"

namespace nubis::dns {
namespace {

std::optional<std::string> ipv4(std::string_view content, std::string& why) {
  in_addr a{};
  const std::string text(content);
  // inet_pton takes dotted quads only: no "127.1", no octal, no hex.
  if (inet_pton(AF_INET, text.c_str(), &a) != 1) {
    why = "content for an A record must be an IPv4 address (e.g. 192.0.2.1)";
    return std::nullopt;
  }
  char out[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &a, out, sizeof out);
  return std::string(out);
}

std::optional<std::string> ipv6(std::string_view content, std::string& why) {
  in6_addr a{};
  const std::string text(content);
  if (inet_pton(AF_INET6, text.c_str(), &a) != 1) {
    why = "content for an AAAA record must be an IPv6 address (e.g. 2001:db8::1)";
    return std::nullopt;
  }
  char out[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, &a, out, sizeof out);  // RFC 5952 form: lower case, zeros compressed
  return std::string(out);
}

std::optional<std::string> host(std::string_view content, std::string& why) {
  auto h = hostName(content, false);
  if (!h) why = "content must be a host name (e.g. mail.example.com)";
  return h;
}

std::optional<std::string> text(std::string_view content, std::string& why) {
  // Cloudflare's TXT content limit; the record is split into 255-byte strings on the wire.
  if (content.size() > 2048) {
    why = "content for a TXT record must be at most 2048 characters";
    return std::nullopt;
  }
  if (std::any_of(content.begin(), content.end(),
                  [](char c) { return c == '\0' || c == '\n' || c == '\r'; })) {
    why = "content for a TXT record may not contain NUL or line breaks";
    return std::nullopt;
  }
  return std::string(content);
}

bool isBase64(std::string_view s);

std::optional<std::string> base64(std::string_view content, std::string& why) {
  if (!isBase64(content)) {
    why = "content for an OPENPGPKEY record must be one base64 OpenPGP public key (RFC 7929)";
    return std::nullopt;
  }
  return std::string(content);
}

using K = FieldKind;
constexpr DataField kSrv[] = {{"priority", K::kUint, 65535},
                              {"weight", K::kUint, 65535},
                              {"port", K::kUint, 65535},
                              {"target", K::kHost}};
constexpr DataField kCaa[] = {{"flags", K::kUint, 255}, {"tag", K::kTag}, {"value", K::kQuoted}};
constexpr DataField kUri[] = {{"weight", K::kUint, 65535}, {"target", K::kQuoted}};
constexpr DataField kTlsa[] = {{"usage", K::kUint, 255},
                               {"selector", K::kUint, 255},
                               {"matching_type", K::kUint, 255},
                               {"certificate", K::kHex}};
constexpr DataField kSshfp[] = {{"algorithm", K::kUint, 255},
                                {"type", K::kUint, 255},
                                {"fingerprint", K::kHex}};
constexpr DataField kDs[] = {{"key_tag", K::kUint, 65535},
                             {"algorithm", K::kUint, 255},
                             {"digest_type", K::kUint, 255},
                             {"digest", K::kHex}};
constexpr DataField kDnskey[] = {{"flags", K::kUint, 65535},
                                 {"protocol", K::kUint, 255},
                                 {"algorithm", K::kUint, 255},
                                 {"public_key", K::kBase64}};
constexpr DataField kCert[] = {{"type", K::kUint, 65535},
                               {"key_tag", K::kUint, 65535},
                               {"algorithm", K::kUint, 255},
                               {"certificate", K::kBase64}};
constexpr DataField kSvcb[] = {{"priority", K::kUint, 65535},
                               {"target", K::kHost},
                               {"value", K::kText}};
constexpr DataField kNaptr[] = {{"order", K::kUint, 65535},      {"preference", K::kUint, 65535},
                                {"flags", K::kQuoted},           {"service", K::kQuoted},
                                {"regex", K::kQuoted},           {"replacement", K::kHost}};

// LOC (RFC 1876) with the schema's names and bounds. The content is written as Cloudflare's API
// answers it: "37 46 46.000 N 122 23 35.000 W 0.00 100.00 0.00 0.00" (seconds to 3 places,
// meters to 2, no unit; the live-API assertion of terraform-provider-cloudflare's
// TestAccCloudflareRecord_LOC). Minutes, seconds, size and precisions default to 0 (schema).
constexpr DataField kLoc[] = {
    {.name = "lat_degrees", .kind = K::kUint, .max = 90},
    {.name = "lat_minutes", .kind = K::kUint, .max = 59, .zero_default = true},
    {.name = "lat_seconds", .kind = K::kDecimal, .hi = 59.999, .decimals = 3,
     .zero_default = true},
    {.name = "lat_direction", .kind = K::kLetter, .letters = "NS"},
    {.name = "long_degrees", .kind = K::kUint, .max = 180},
    {.name = "long_minutes", .kind = K::kUint, .max = 59, .zero_default = true},
    {.name = "long_seconds", .kind = K::kDecimal, .hi = 59.999, .decimals = 3,
     .zero_default = true},
    {.name = "long_direction", .kind = K::kLetter, .letters = "EW"},
    {.name = "altitude", .kind = K::kDecimal, .lo = -100000, .hi = 42849672.95, .decimals = 2},
    {.name = "size", .kind = K::kDecimal, .hi = 90000000, .decimals = 2, .zero_default = true},
    {.name = "precision_horz", .kind = K::kDecimal, .hi = 90000000, .decimals = 2,
     .zero_default = true},
    {.name = "precision_vert", .kind = K::kDecimal, .hi = 90000000, .decimals = 2,
     .zero_default = true},
};

double number(const boost::json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.as_int64());
  if (v.is_uint64()) return static_cast<double>(v.as_uint64());
  return v.as_double();
}

// RFC 1876 angles: the wire form cannot hold more than 90 degrees of latitude or 180 of
// longitude, so 90 degrees 30 minutes is refused although each field is in its range.
bool locAngles(const boost::json::object& d, std::string& why) {
  auto arc = [&](const char* deg, const char* min, const char* sec) {
    return number(d.at(deg)) * 3600 + number(d.at(min)) * 60 + number(d.at(sec));
  };
  if (arc("lat_degrees", "lat_minutes", "lat_seconds") > 90 * 3600) {
    why = "data: a latitude is at most 90 degrees (minutes and seconds 0 at 90)";
    return false;
  }
  if (arc("long_degrees", "long_minutes", "long_seconds") > 180 * 3600) {
    why = "data: a longitude is at most 180 degrees (minutes and seconds 0 at 180)";
    return false;
  }
  return true;
}

constexpr std::array kTypes = {
    RecordType{"A", true, false, ipv4},
    RecordType{"AAAA", true, false, ipv6},
    RecordType{"CNAME", true, false, host},
    RecordType{"MX", false, true, host},
    RecordType{"NS", false, false, host},
    RecordType{"PTR", false, false, host},
    RecordType{"TXT", false, false, text},
    RecordType{"OPENPGPKEY", false, false, base64},
    RecordType{"SRV", false, false, nullptr, kSrv, "priority"},
    RecordType{"CAA", false, false, nullptr, kCaa},
    RecordType{"URI", false, true, nullptr, kUri},
    RecordType{"TLSA", false, false, nullptr, kTlsa},
    RecordType{"SMIMEA", false, false, nullptr, kTlsa},
    RecordType{"SSHFP", false, false, nullptr, kSshfp},
    RecordType{"DS", false, false, nullptr, kDs},
    RecordType{"DNSKEY", false, false, nullptr, kDnskey},
    RecordType{"CERT", false, false, nullptr, kCert},
    RecordType{"HTTPS", false, false, nullptr, kSvcb, "priority"},
    RecordType{"SVCB", false, false, nullptr, kSvcb, "priority"},
    RecordType{"NAPTR", false, false, nullptr, kNaptr},
    RecordType{"LOC", false, false, nullptr, kLoc, {}, locAngles},
};

bool isHex(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
  });
}

bool isBase64(std::string_view s) {
  if (s.empty() || s.size() % 4 != 0) return false;
  size_t pad = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '=') {
      if (i + 2 < s.size()) return false;
      ++pad;
      continue;
    }
    if (pad > 0) return false;
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/') return false;
  }
  return pad <= 2;
}

bool labelChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

}  // namespace

const RecordType* recordType(std::string_view type) {
  for (const RecordType& t : kTypes) {
    if (t.name == type) return &t;
  }
  return nullptr;
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

namespace {

// A JSON number as a double, or nullopt for anything else (and for inf/nan).
std::optional<double> jsonNumber(const boost::json::value& v) {
  if (!v.is_number()) return std::nullopt;
  const double d = number(v);
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

// kUint: JSON numbers may arrive as doubles (SDKs): whole values only.
std::optional<std::string> uintField(const DataField& f, const boost::json::value& v,
                                     const std::string& field, boost::json::object& canonical,
                                     std::string& why) {
  int64_t n = -1;
  if (v.is_int64()) n = v.as_int64();
  else if (v.is_uint64() && v.as_uint64() <= static_cast<uint64_t>(f.max))
    n = static_cast<int64_t>(v.as_uint64());
  else if (v.is_double() && v.as_double() >= 0 && v.as_double() <= static_cast<double>(f.max) &&
           v.as_double() == static_cast<double>(static_cast<int64_t>(v.as_double()))) {
    n = static_cast<int64_t>(v.as_double());
  }
  if (n < 0 || n > f.max) {
    why = field + " must be a whole number from 0 to " + std::to_string(f.max);
    return std::nullopt;
  }
  canonical[f.name] = n;
  return std::to_string(n);
}

// kDecimal: kept to the places the content shows, so that what is stored is what is written
// (and a stored record read back is a fixed point). Whole values stay JSON integers.
std::optional<std::string> decimalField(const DataField& f, const boost::json::value& v,
                                        const std::string& field, boost::json::object& canonical,
                                        std::string& why) {
  auto d = jsonNumber(v);
  if (!d || *d < f.lo || *d > f.hi) {
    char range[96];
    std::snprintf(range, sizeof range, " must be a number from %.*f to %.*f", f.decimals, f.lo,
                  f.decimals, f.hi);
    why = field + range;
    return std::nullopt;
  }
  const double scale = std::pow(10.0, f.decimals);
  double kept = std::round(*d * scale) / scale;
  if (kept == 0) kept = 0;  // no "-0.00"
  if (kept == std::trunc(kept)) canonical[f.name] = static_cast<int64_t>(kept);
  else canonical[f.name] = kept;
  char out[64];
  std::snprintf(out, sizeof out, "%.*f", f.decimals, kept);
  return std::string(out);
}

}  // namespace

std::optional<std::string> dataContent(const RecordType& type, const boost::json::object& data,
                                       boost::json::object& canonical, std::string& why) {
  static const boost::json::value kZero(0);
  std::string content;
  for (const DataField& f : type.data) {
    const boost::json::value* v = data.if_contains(f.name);
    const std::string field = "data." + std::string(f.name);
    if ((v == nullptr || v->is_null()) && f.zero_default) v = &kZero;
    if (v == nullptr || v->is_null()) {
      why = field + " is required for " + std::string(type.name) + " records";
      return std::nullopt;
    }
    std::string piece;
    if (f.kind == FieldKind::kUint || f.kind == FieldKind::kDecimal) {
      auto p = f.kind == FieldKind::kUint ? uintField(f, *v, field, canonical, why)
                                          : decimalField(f, *v, field, canonical, why);
      if (!p) return std::nullopt;
      piece = *p;
    } else {
      if (!v->is_string()) {
        why = field + " must be a string";
        return std::nullopt;
      }
      const std::string_view s = v->as_string();
      if (s.size() > 4096 || s.find_first_of(std::string_view("\0\n\r", 3)) != std::string_view::npos) {
        why = field + " must be at most 4096 characters, without NUL or line breaks";
        return std::nullopt;
      }
      switch (f.kind) {
        case FieldKind::kHost: {
          if (s == ".") {
            piece = ".";
            break;
          }
          auto h = hostName(s, false);
          if (!h) {
            why = field + " must be a host name";
            return std::nullopt;
          }
          piece = *h;
          break;
        }
        case FieldKind::kHex:
          if (!isHex(s)) {
            why = field + " must be hexadecimal digits";
            return std::nullopt;
          }
          piece = text::asciiUpper(s);
          break;
        case FieldKind::kBase64:
          if (!isBase64(s)) {
            why = field + " must be base64";
            return std::nullopt;
          }
          piece = s;
          break;
        case FieldKind::kTag:
          if (s.empty() || s.size() > 15 ||
              !std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; })) {
            why = field + " must be 1 to 15 letters or digits (e.g. issue, issuewild, iodef)";
            return std::nullopt;
          }
          piece = text::asciiLower(s);
          break;
        case FieldKind::kLetter:
          piece = text::asciiUpper(s);
          if (piece.size() != 1 || f.letters.find(piece[0]) == std::string_view::npos) {
            why = field + " must be one of";
            for (char c : f.letters) why += std::string(" ") + c;
            return std::nullopt;
          }
          break;
        case FieldKind::kQuoted:
          piece = quoted(s);
          break;
        case FieldKind::kText:  // SVCB parameters carry their own quoting (alpn="h3,h2")
          piece = s;
          break;
        case FieldKind::kUint:
        case FieldKind::kDecimal:
          break;
      }
      // What is stored is what was checked, normalised (host names lower case, hex upper case).
      canonical[f.name] = f.kind == FieldKind::kQuoted ? boost::json::value(s) : boost::json::value(piece);
    }
    if (!content.empty() && !piece.empty()) content.push_back(' ');
    content += piece;
  }
  if (type.check != nullptr && !type.check(canonical, why)) return std::nullopt;
  return content;
}

std::optional<std::string> hostName(std::string_view name, bool wildcard) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty() || name.size() > 253) return std::nullopt;
  std::string out;
  out.reserve(name.size());
  size_t pos = 0;
  bool first = true;
  while (true) {
    const size_t dot = name.find('.', pos);
    const std::string_view label =
        name.substr(pos, dot == std::string_view::npos ? std::string_view::npos : dot - pos);
    const bool star = first && wildcard && label == "*";
    if (!star) {
      if (label.empty() || label.size() > 63) return std::nullopt;
      if (!std::all_of(label.begin(), label.end(), labelChar)) return std::nullopt;
      if (label.front() == '-' || label.back() == '-') return std::nullopt;
    }
    for (char c : label) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (dot == std::string_view::npos) break;
    out.push_back('.');
    pos = dot + 1;
    first = false;
  }
  return out;
}

}  // namespace nubis::dns
