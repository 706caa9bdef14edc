#include "identity/identity_json.h"

#include <boost/json/parse.hpp>

#include "base/time_util.h"

namespace nubis::identity {
namespace json = boost::json;

namespace {
json::value nullable(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}
json::value parseOr(const std::string& text, json::value fallback) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return ec ? fallback : v;
}
}  // namespace

json::object userJson(const store::UserRow& u) {
  return json::object{{"id", u.id},
                      {"email", u.email},
                      {"first_name", nullable(u.first_name)},
                      {"last_name", nullable(u.last_name)},
                      {"username", u.id},
                      {"telephone", nullable(u.telephone)},
                      {"country", nullable(u.country)},
                      {"zipcode", nullable(u.zipcode)},
                      {"created_on", timeutil::formatMicros(u.created_on)},
                      {"modified_on", timeutil::formatMicros(u.modified_on)},
                      {"two_factor_authentication_enabled", false},
                      {"two_factor_authentication_locked", false},
                      {"has_pro_zones", false},
                      {"has_business_zones", false},
                      {"has_enterprise_zones", false},
                      {"suspended", false},
                      {"betas", json::array()},
                      {"organizations", json::array()}};
}

json::object accountJson(const store::AccountRow& a) {
  json::object settings{{"abuse_contact_email", nullptr},
                        {"default_nameservers", "cloudflare.standard"},
                        {"enforce_twofactor", false},
                        {"use_account_custom_ns_by_default", false}};
  json::value stored = parseOr(a.settings_json, json::object());
  if (stored.is_object())
    for (const auto& kv : stored.as_object()) settings[kv.key()] = kv.value();
  return json::object{{"id", a.id},
                      {"name", a.name},
                      {"type", a.type},
                      {"created_on", timeutil::formatMicros(a.created_on)},
                      {"settings", std::move(settings)}};
}

json::object membershipJson(const store::MembershipRow& m, const store::AccountRow& a) {
  json::object rw{{"read", true}, {"write", true}};
  json::object permissions;
  for (const char* k : {"analytics", "billing", "cache_purge", "dns", "dns_records", "lb", "logs",
                        "organization", "ssl", "waf", "zone_settings", "zones"})
    permissions[k] = rw;
  return json::object{{"id", m.id},
                      {"account", accountJson(a)},
                      {"api_access_enabled", nullptr},
                      {"permissions", std::move(permissions)},
                      {"roles", parseOr(m.roles_json, json::array())},
                      {"status", m.status}};
}

}  // namespace nubis::identity
