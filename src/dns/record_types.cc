#include "dns/record_types.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>

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

constexpr std::array kTypes = {
    RecordType{"A", true, true, false, ipv4},
    RecordType{"AAAA", true, true, false, ipv6},
    RecordType{"CNAME", true, true, false, host},
    RecordType{"MX", true, false, true, host},
    RecordType{"NS", true, false, false, host},
    RecordType{"PTR", true, false, false, host},
    RecordType{"TXT", true, false, false, text},
    // Listed by the schema; their `data` objects are not stored by Nubis yet.
    RecordType{"CAA", false, false, false, unsupported},
    RecordType{"CERT", false, false, false, unsupported},
    RecordType{"DNSKEY", false, false, false, unsupported},
    RecordType{"DS", false, false, false, unsupported},
    RecordType{"HTTPS", false, false, false, unsupported},
    RecordType{"LOC", false, false, false, unsupported},
    RecordType{"NAPTR", false, false, false, unsupported},
    RecordType{"OPENPGPKEY", false, false, false, unsupported},
    RecordType{"SMIMEA", false, false, false, unsupported},
    RecordType{"SRV", false, false, false, unsupported},
    RecordType{"SSHFP", false, false, false, unsupported},
    RecordType{"SVCB", false, false, false, unsupported},
    RecordType{"TLSA", false, false, false, unsupported},
    RecordType{"URI", false, false, false, unsupported},
};

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
