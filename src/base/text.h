// ASCII text helpers for protocol text (DNS names, record types, e-mails): locale-independent,
// byte for byte, so non-ASCII bytes pass through unchanged.
#pragma once

#include <string>
#include <string_view>

namespace nubis::text {

inline std::string asciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  }
  return out;
}

inline std::string asciiUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - ('a' - 'A'));
  }
  return out;
}

// An e-mail address as users and invites carry it: at most 90 bytes (Cloudflare's bound), one
// '@' with something before it and a dot after it, no blanks or control bytes. Deliberately
// loose: the address is an identifier here, and nothing is ever sent to it.
inline bool plausibleEmail(std::string_view e) {
  const size_t at = e.find('@');
  if (e.size() > 90 || at == std::string_view::npos || at == 0 || at + 1 >= e.size() ||
      e.find('@', at + 1) != std::string_view::npos || e.find('.', at) == std::string_view::npos) {
    return false;
  }
  for (char c : e) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= ' ' || u == 0x7f) return false;
  }
  return true;
}

}  // namespace nubis::text
