#include "identity/identity_json.h"

#include <boost/json/parse.hpp>
#include <span>
#include <vector>

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

json::array organizationsJson(
    const std::vector<std::pair<store::MembershipRow, store::AccountRow>>& memberships);

json::object userJson(const store::UserRow& u,
                      const std::vector<std::pair<store::MembershipRow, store::AccountRow>>& memberships) {
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
                      {"organizations", organizationsJson(memberships)}};
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

namespace {

// The stored role names, resolved; names Nubis does not know are kept out (they grant nothing).
std::vector<const auth::Role*> rolesOf(const store::MembershipRow& m) {
  std::vector<const auth::Role*> out;
  json::value v = parseOr(m.roles_json, json::array());
  if (!v.is_array()) return out;
  for (const auto& n : v.as_array())
    if (n.is_string())
      if (const auth::Role* r = auth::findRoleByName(n.as_string())) out.push_back(r);
  return out;
}

json::object permissionsJson(std::span<const auth::Role* const> roles) {
  json::object out;
  for (const auto& p : auth::legacyPermissions(roles))
    out[p.key] = json::object{{"read", p.read}, {"write", p.write}};
  return out;
}

json::array roleNames(const store::MembershipRow& m) {
  json::array out;
  for (const auth::Role* r : rolesOf(m)) out.emplace_back(r->name);
  return out;
}

}  // namespace

json::array organizationsJson(
    const std::vector<std::pair<store::MembershipRow, store::AccountRow>>& memberships) {
  json::array out;
  for (const auto& [m, a] : memberships) {
    if (m.status != "accepted" && m.status != "pending") continue;
    const auto roles = rolesOf(m);
    json::array permissions;
    for (const auto& p : auth::legacyPermissions(roles)) {
      if (p.read) permissions.emplace_back("#" + std::string(p.key) + ":read");
      if (p.write) permissions.emplace_back("#" + std::string(p.key) + ":edit");
    }
    out.push_back(json::object{{"id", a.id},
                               {"name", a.name},
                               {"permissions", std::move(permissions)},
                               {"roles", roleNames(m)},
                               {"status", m.status == "accepted" ? "member" : "invited"}});
  }
  return out;
}

json::object membershipJson(const store::MembershipRow& m, const store::AccountRow& a) {
  return json::object{{"id", m.id},
                      {"account", accountJson(a)},
                      {"api_access_enabled", nullptr},
                      {"permissions", permissionsJson(rolesOf(m))},
                      {"roles", roleNames(m)},
                      {"status", m.status}};
}

json::object roleJson(const auth::Role& role) {
  const auth::Role* one[] = {&role};
  return json::object{{"id", role.id},
                      {"name", role.name},
                      {"description", role.description},
                      {"permissions", permissionsJson(one)}};
}

json::object memberJson(const store::MembershipRow& m, const std::optional<store::UserRow>& u) {
  json::array roles;
  for (const auth::Role* r : rolesOf(m)) roles.push_back(roleJson(*r));
  // Who the user is shows only once they have accepted: an invite must not tell the account
  // whether an e-mail belongs to a user, nor that user's name.
  const bool shown = u && m.status == "accepted";
  json::object user{{"id", shown ? json::value(u->id) : json::value(nullptr)},
                    {"email", m.email},
                    {"first_name", shown ? nullable(u->first_name) : json::value(nullptr)},
                    {"last_name", shown ? nullable(u->last_name) : json::value(nullptr)},
                    {"two_factor_authentication_enabled", false}};
  return json::object{{"id", m.id},
                      {"email", m.email},
                      {"status", m.status},
                      {"roles", std::move(roles)},
                      {"user", std::move(user)},
                      {"policies", json::array()}};
}

json::object inviteJson(const store::MembershipRow& m, const store::AccountRow& a,
                        const std::string& status) {
  bool enforcing = false;
  json::value settings = parseOr(a.settings_json, json::object());
  if (settings.is_object())
    if (const json::value* e = settings.as_object().if_contains("enforce_twofactor"); e && e->is_bool())
      enforcing = e->as_bool();
  return json::object{
      {"id", m.id},
      {"invited_member_id", m.user_id.empty() ? json::value(nullptr) : json::value(m.user_id)},
      {"invited_member_email", m.email},
      {"organization_id", a.id},
      {"organization_name", a.name},
      {"organization_is_enforcing_twofactor", enforcing},
      {"invited_by", m.invited_by},
      {"invited_on", timeutil::formatMicros(m.created_on)},
      {"expires_on", m.expires_on ? json::value(timeutil::formatMicros(*m.expires_on))
                                  : json::value(nullptr)},
      {"roles", roleNames(m)},
      {"status", status}};
}

}  // namespace nubis::identity
