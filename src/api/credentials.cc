#include "api/credentials.h"

#include <cctype>

#include "api/errors.h"

namespace nubis::api {
namespace {

ApiError headerError(api::Err detail) {
  ApiError e = error(Err::InvalidHeaders);
  const auto& s = spec(detail);
  e.chain.push_back({s.code, std::string(s.message)});
  return e;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// Legacy Global API Keys are 37-45 lowercase hex; newer ones are "cfk_" + 40 + checksum.
bool isGlobalKeyShape(std::string_view k) {
  if (k.size() >= 37 && k.size() <= 45) {
    bool hex = true;
    for (char c : k)
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) hex = false;
    if (hex) return true;
  }
  if (k.size() > 4 && k.size() <= 64 && k.substr(0, 4) == "cfk_") {
    for (char c : k.substr(4))
      if (!std::isalnum(static_cast<unsigned char>(c))) return false;
    return true;
  }
  return false;
}

bool isEmailShape(std::string_view e) {
  if (e.size() < 3 || e.size() > 254) return false;
  size_t at = e.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 >= e.size()) return false;
  if (e.find('@', at + 1) != std::string_view::npos) return false;
  for (char c : e)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  return true;
}

}  // namespace

bool isB64Token(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
        c == '~' || c == '+' || c == '/')
      ++i;
    else
      break;
  }
  if (i == 0) return false;
  while (i < s.size() && s[i] == '=') ++i;
  return i == s.size();
}

Result<Credential> parseCredentials(const http::RequestHeader& h) {
  using http::bhttp::field;
  size_t n_auth = h.count(field::authorization);
  size_t n_email = h.count("X-Auth-Email");
  size_t n_key = h.count("X-Auth-Key");

  if (n_auth > 1) return headerError(Err::BadAuthorizationHeader);
  if (n_auth == 1) {
    std::string_view v = h[field::authorization];
    size_t sp = v.find(' ');
    if (sp == std::string_view::npos || !iequals(v.substr(0, sp), "Bearer"))
      return headerError(Err::BadAuthorizationHeader);
    std::string_view tok = v.substr(sp);
    while (!tok.empty() && tok.front() == ' ') tok.remove_prefix(1);
    while (!tok.empty() && (tok.back() == ' ' || tok.back() == '\t')) tok.remove_suffix(1);
    if (tok.size() > 512 || !isB64Token(tok)) return headerError(Err::BadAuthorizationHeader);
    return Credential(BearerToken{std::string(tok)});
  }
  if (n_key > 1) return headerError(Err::BadKeyHeader);
  if (n_email > 1) return headerError(Err::BadEmailHeader);
  if (n_key == 1 || n_email == 1) {
    std::string_view key = h["X-Auth-Key"];
    std::string_view email = h["X-Auth-Email"];
    if (n_key == 1 && !isGlobalKeyShape(key)) return headerError(Err::BadKeyHeader);
    if (n_email == 1 && !isEmailShape(email)) return headerError(Err::BadEmailHeader);
    if (n_key == 0 || n_email == 0) return error(Err::NoCredentials);
    return Credential(GlobalKey{std::string(email), std::string(key)});
  }
  if (h.count("X-Auth-User-Service-Key") > 0) return error(Err::ServiceKeyUnsupported);
  if (std::string secret = sessionCookieValue(h); !secret.empty()) {
    return Credential(SessionCookie{std::move(secret), std::string(h["X-CSRF-Token"])});
  }
  return error(Err::NoCredentials);
}

std::string sessionCookieValue(const http::RequestHeader& h) {
  std::string found;
  int seen = 0;
  for (const auto& f : h) {
    if (f.name() != http::bhttp::field::cookie) continue;
    std::string_view v = f.value();
    while (!v.empty()) {
      const size_t semi = v.find(';');
      std::string_view pair = v.substr(0, semi);
      v = semi == std::string_view::npos ? std::string_view() : v.substr(semi + 1);
      while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t')) pair.remove_prefix(1);
      const size_t eq = pair.find('=');
      if (eq == std::string_view::npos || pair.substr(0, eq) != kSessionCookie) continue;
      ++seen;
      found = std::string(pair.substr(eq + 1));
    }
  }
  // Secrets are 40 characters of the token alphabet; anything else is no session.
  if (seen != 1 || found.size() != 40 || !isB64Token(found)) return "";
  return found;
}

}  // namespace nubis::api
