// Small helpers shared by the auth JSON parsers (policy.cc, condition.cc). Internal to auth/.
// Pure functions: safe from any thread.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "auth/policy.h"
#include "base/api_error.h"

namespace nubis::auth {

// A 400 validation error with the message naming the field path.
inline ApiError invalid(std::string message) {
  ApiError e;
  e.http_status = 400;
  e.code = kValidationCode;
  e.message = std::move(message);
  return e;
}

// Client text echoed inside an error message: quoted, cut to 80 bytes and with control or
// non-ASCII bytes replaced, so hostile input cannot bloat or garble the response and log.
inline std::string quoted(std::string_view s) {
  constexpr std::size_t kMax = 80;
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size() && i < kMax; ++i) {
    char c = s[i];
    out += (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? c : '?';
  }
  if (s.size() > kMax) out += "...";
  out += '"';
  return out;
}

inline bool isStar(const boost::json::value& v) { return v.is_string() && v.get_string() == "*"; }

}  // namespace nubis::auth
