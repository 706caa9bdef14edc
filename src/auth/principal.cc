#include "auth/principal.h"

namespace nubis::auth {

const char* toString(AuthFailure f) {
  switch (f) {
    case AuthFailure::kNone:
      return "none";
    case AuthFailure::kUnknownToken:
      return "unknown_token";
    case AuthFailure::kUnknownKey:
      return "unknown_key";
    case AuthFailure::kDisabled:
      return "disabled";
    case AuthFailure::kExpired:
      return "expired";
    case AuthFailure::kNotYetValid:
      return "not_yet_valid";
    case AuthFailure::kIpNotAllowed:
      return "ip_not_allowed";
  }
  return "unknown";
}

AuthFailure checkUsable(const Principal& p, int64_t now, std::string_view client_ip) {
  if (!p.isToken()) return AuthFailure::kNone;
  if (p.status != "active") return AuthFailure::kDisabled;
  if (p.not_before && now < *p.not_before) return AuthFailure::kNotYetValid;
  if (p.expires_on && now >= *p.expires_on) return AuthFailure::kExpired;
  if (!ipAllowed(p.condition, client_ip)) return AuthFailure::kIpNotAllowed;
  return AuthFailure::kNone;
}

std::string reportedStatus(const std::string& stored, std::optional<int64_t> expires_on,
                           int64_t now) {
  if (stored == "active" && expires_on && now >= *expires_on) return "expired";
  return stored;
}

}  // namespace nubis::auth
