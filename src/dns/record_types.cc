#include "dns/record_types.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>

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

std::optional<std::string> unsupported(std::string_view, std::string& why) {
  why = "not implemented by Nubis";
  return std::nullopt;
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

constexpr std::array kTypes = {
    RecordType{"A", true, true, false, ipv4},
    RecordType{"AAAA", true, true, false, ipv6},
    RecordType{"CNAME", true, true, false, host},
    RecordType{"MX", true, false, true, host},
    RecordType{"NS", true, false, false, host},
    RecordType{"PTR", true, false, false, host},
    RecordType{"TXT", true, false, false, text},
    RecordType{"SRV", true, false, false, nullptr, kSrv, "priority"},
    RecordType{"CAA", true, false, false, nullptr, kCaa},
    RecordType{"URI", true, false, true, nullptr, kUri},
    RecordType{"TLSA", true, false, false, nullptr, kTlsa},
    RecordType{"SMIMEA", true, false, false, nullptr, kTlsa},
    RecordType{"SSHFP", true, false, false, nullptr, kSshfp},
    RecordType{"DS", true, false, false, nullptr, kDs},
    RecordType{"DNSKEY", true, false, false, nullptr, kDnskey},
    RecordType{"CERT", true, false, false, nullptr, kCert},
    RecordType{"HTTPS", true, false, false, nullptr, kSvcb, "priority"},
    RecordType{"SVCB", true, false, false, nullptr, kSvcb, "priority"},
    RecordType{"NAPTR", true, false, false, nullptr, kNaptr},
    // Listed by the schema, not stored by Nubis yet.
    RecordType{"LOC", false, false, false, unsupported},
    RecordType{"OPENPGPKEY", false, false, false, unsupported},
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

std::optional<std::string> dataContent(const RecordType& type, const boost::json::object& data,
                                       boost::json::object& canonical, std::string& why) {
  std::string content;
  for (const DataField& f : type.data) {
    const boost::json::value* v = data.if_contains(f.name);
    const std::string field = "data." + std::string(f.name);
    if (v == nullptr || v->is_null()) {
      why = field + " is required for " + std::string(type.name) + " records";
      return std::nullopt;
    }
    std::string piece;
    if (f.kind == FieldKind::kUint) {
      // JSON numbers may arrive as doubles (SDKs): whole values only.
      int64_t n = -1;
      if (v->is_int64()) n = v->as_int64();
      else if (v->is_uint64() && v->as_uint64() <= static_cast<uint64_t>(f.max)) n = static_cast<int64_t>(v->as_uint64());
      else if (v->is_double() && v->as_double() >= 0 && v->as_double() <= static_cast<double>(f.max) &&
               v->as_double() == static_cast<double>(static_cast<int64_t>(v->as_double()))) {
        n = static_cast<int64_t>(v->as_double());
      }
      if (n < 0 || n > f.max) {
        why = field + " must be a whole number from 0 to " + std::to_string(f.max);
        return std::nullopt;
      }
      canonical[f.name] = n;
      piece = std::to_string(n);
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
        case FieldKind::kQuoted:
          piece = quoted(s);
          break;
        case FieldKind::kText:  // SVCB parameters carry their own quoting (alpn="h3,h2")
          piece = s;
          break;
        case FieldKind::kUint:
          break;
      }
      // What is stored is what was checked, normalised (host names lower case, hex upper case).
      canonical[f.name] = f.kind == FieldKind::kQuoted ? boost::json::value(s) : boost::json::value(piece);
    }
    if (!content.empty() && !piece.empty()) content.push_back(' ');
    content += piece;
  }
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
