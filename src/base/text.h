// ASCII case mapping for protocol text (DNS names, record types, e-mails): locale-independent,
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

}  // namespace nubis::text
