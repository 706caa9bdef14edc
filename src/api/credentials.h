// Credentials: what a request presents, parsed from its headers with Cloudflare's validation
// (API-SURFACE.md §2.2). Pure: no lookups.
//
// Precedence when several credential headers arrive together (the official SDK sends every
// credential it was given): a well-formed `Authorization: Bearer` wins and the X-Auth-* headers
// are ignored; otherwise X-Auth-Email + X-Auth-Key. Any malformed credential header refuses
// the request (400 6003) rather than falling back to another one.
#pragma once

#include <string>
#include <variant>

#include "base/result.h"
#include "http/types.h"

namespace nubis::api {

struct BearerToken {
  std::string secret;
};
struct GlobalKey {
  std::string email;
  std::string key;
};
// The dashboard's session cookie (auth/sessions.h), used only when the request carries no API
// credential header at all: an API credential always wins over a cookie.
struct SessionCookie {
  std::string secret;
  std::string csrf;  // the X-CSRF-Token header ("" when absent)
};
using Credential = std::variant<BearerToken, GlobalKey, SessionCookie>;

Result<Credential> parseCredentials(const http::RequestHeader& header);

// The cookie's name, and its value in a request's Cookie header(s) ("" when absent or when the
// cookie appears twice: a second value is someone's attempt to shadow the first).
inline constexpr std::string_view kSessionCookie = "nubis_session";
std::string sessionCookieValue(const http::RequestHeader& header);

// RFC 6750 b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
bool isB64Token(std::string_view s);

}  // namespace nubis::api
