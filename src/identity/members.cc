#include "identity/members.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

#include "api/fields.h"
#include "auth/roles.h"
#include "base/ids.h"
#include "base/text.h"

namespace nubis::identity {
namespace json = boost::json;
using api::Need;

namespace {

constexpr size_t kMaxRoles = 20;

// `roles`: role ids, or RoleParam objects {id} (the SDK's update shape). Stored as role names.
Result<std::string> parseRoles(const json::object& body) {
  const json::value* v = body.if_contains("roles");
  if (v == nullptr || v->is_null()) return api::invalid("roles is required");
  if (!v->is_array()) return api::invalid("roles must be an array of role ids");
  const json::array& in = v->as_array();
  if (in.empty()) return api::invalid("roles must name at least one role");
  if (in.size() > kMaxRoles) return api::invalid("roles holds at most 20 roles");
  json::array names;
  for (size_t i = 0; i < in.size(); ++i) {
    const json::value* id = &in[i];
    if (id->is_object()) {
      id = id->as_object().if_contains("id");
      if (id == nullptr) return api::invalid("roles[" + std::to_string(i) + "].id is required");
    }
    if (!id->is_string())
      return api::invalid("roles[" + std::to_string(i) + "] must be a role id");
    const auth::Role* role = auth::findRoleById(id->as_string());
    if (role == nullptr) {
      return api::invalid("roles[" + std::to_string(i) +
                          "]: unknown role id (GET /accounts/{account_id}/roles lists them)");
    }
    json::string name(role->name);
    if (std::find(names.begin(), names.end(), json::value(name)) == names.end()) names.push_back(name);
  }
  return json::serialize(names);
}

bool hasSuperAdministrator(const std::string& roles_json) {
  boost::system::error_code ec;
  json::value v = json::parse(roles_json, ec);
  if (ec || !v.is_array()) return false;
  const auth::Role* super = auth::findRoleById(auth::kSuperAdministratorRole);
  for (const auto& r : v.as_array())
    if (r.is_string() && r.as_string() == super->name) return true;
  return false;
}

// Whether the account still has an accepted Super Administrator once `changed` (its new state,
// or nullopt when it goes) replaces the row with its id.
bool keepsSuperAdministrator(const std::vector<store::MembershipRow>& rows, const std::string& id,
                             const std::optional<store::MembershipRow>& changed) {
  for (const auto& m : rows) {
    const store::MembershipRow* now = &m;
    if (m.id == id) {
      if (!changed) continue;
      now = &*changed;
    }
    if (now->status == "accepted" && hasSuperAdministrator(now->roles_json)) return true;
  }
  return false;
}

Status refusePolicies(const json::object& body) {
  if (body.contains("policies")) {
    return api::error(api::Err::NotImplemented,
                      "member policies (Nubis models members by roles: pass `roles`)");
  }
  return Ok{};
}

}  // namespace

Result<std::vector<store::MembershipRow>> MemberService::list(const std::string& account_id) {
  return store_.listMembershipsOfAccount(account_id);
}

Result<store::MembershipRow> MemberService::get(const std::string& account_id,
                                                const std::string& member_id) {
  auto m = store_.getMembership(member_id);
  if (!m) return m.error();
  if (!*m || (*m)->account_id != account_id) return api::error(api::Err::MemberNotFound);
  return **m;
}

Result<store::MembershipRow> MemberService::add(const auth::Principal& actor,
                                                const std::string& account_id,
                                                const json::object& body) {
  api::FieldReader r(body);
  r.rejectUnknown({"email", "roles", "status", "policies"});
  auto email_in = r.str("email", 90, Need::kRequired);
  auto status = r.str("status", 16, Need::kOptional);
  if (!r.ok()) return r.error();
  if (Status st = refusePolicies(body); !st) return st.error();
  const std::string email = text::asciiLower(*email_in);
  if (!text::plausibleEmail(email)) return api::invalid("email is not an e-mail address");
  if (status && *status != "pending" && *status != "accepted")
    return api::invalid("status must be pending or accepted");
  auto roles = parseRoles(body);
  if (!roles) return roles.error();

  const int64_t now = clock_.nowMicros();
  store::MembershipRow row;
  row.id = ids::newId(rng_);
  row.email = email;
  row.account_id = account_id;
  row.status = status.value_or("pending");
  row.roles_json = *roles;
  // Who invited: the user, or for an account-owned token the token (it has no user).
  row.invited_by = actor.email.empty() ? "API token " + actor.token_name : actor.email;
  row.created_on = now;
  if (row.status == "pending") row.expires_on = now + kInviteLifetimeMicros;

  Status st = store_.transaction([&](store::Store& s) -> Status {
    auto user = s.findUserByEmail(email);
    if (!user) return user.error();
    if (*user) row.user_id = (*user)->id;
    if (row.status == "accepted" && !*user) {
      return api::invalid("status accepted (direct add) needs an existing user; no user has the "
                          "e-mail " + email + ": invite them with status pending");
    }
    auto existing = s.listMembershipsOfAccount(account_id);
    if (!existing) return existing.error();
    for (const auto& m : *existing) {
      if (m.email != email) continue;
      // A rejected or expired invite may be sent again; anything else is there already.
      if (m.status != "rejected" && inviteStatus(m) != "expired")
        return api::error(api::Err::MemberExists, email);
      auto gone = s.deleteMembership(m.id);
      if (!gone) return gone.error();
    }
    auto inserted = s.insertMembership(row);
    if (!inserted) return inserted.error();
    if (!*inserted) return api::error(api::Err::MemberExists, email);
    return Ok{};
  });
  if (!st) return st.error();
  if (row.status == "accepted") authn_.invalidateAll();
  return row;
}

Result<store::MembershipRow> MemberService::update(const std::string& account_id,
                                                   const std::string& member_id,
                                                   const json::object& body) {
  api::FieldReader r(body);
  // The SDK's update sends the member back as it read it: its other fields are ignored.
  r.rejectUnknown({"roles", "policies", "id", "email", "status", "user"});
  if (!r.ok()) return r.error();
  if (Status st = refusePolicies(body); !st) return st.error();
  auto roles = parseRoles(body);
  if (!roles) return roles.error();
  store::MembershipRow out;
  Status st = store_.transaction([&](store::Store& s) -> Status {
    auto m = s.getMembership(member_id);
    if (!m) return m.error();
    if (!*m || (*m)->account_id != account_id) return api::error(api::Err::MemberNotFound);
    out = **m;
    out.roles_json = *roles;
    auto rows = s.listMembershipsOfAccount(account_id);
    if (!rows) return rows.error();
    if (!keepsSuperAdministrator(*rows, out.id, out))
      return api::error(api::Err::LastSuperAdministrator);
    return s.updateMembership(out);
  });
  if (!st) return st.error();
  authn_.invalidateAll();
  return out;
}

Status MemberService::remove(const std::string& account_id, const std::string& member_id) {
  Status st = store_.transaction([&](store::Store& s) -> Status {
    auto m = s.getMembership(member_id);
    if (!m) return m.error();
    if (!*m || (*m)->account_id != account_id) return api::error(api::Err::MemberNotFound);
    auto rows = s.listMembershipsOfAccount(account_id);
    if (!rows) return rows.error();
    if (!keepsSuperAdministrator(*rows, member_id, std::nullopt))
      return api::error(api::Err::LastSuperAdministrator);
    auto gone = s.deleteMembership(member_id);
    if (!gone) return gone.error();
    return Ok{};
  });
  if (!st) return st;
  authn_.invalidateAll();
  return Ok{};
}

Result<std::vector<store::MembershipRow>> MemberService::invitesOf(const std::string& user_id) {
  auto rows = store_.listMembershipsOfUser(user_id);
  if (!rows) return rows.error();
  std::vector<store::MembershipRow> out;
  for (auto& m : *rows)
    if (!m.invited_by.empty()) out.push_back(std::move(m));
  return out;
}

Result<store::MembershipRow> MemberService::ownRow(const std::string& user_id,
                                                   const std::string& id, api::Err not_found) {
  auto m = store_.getMembership(id);
  if (!m) return m.error();
  if (!*m || (*m)->user_id != user_id) return api::error(not_found);
  return **m;
}

Result<store::MembershipRow> MemberService::invite(const std::string& user_id,
                                                   const std::string& invite_id) {
  auto m = ownRow(user_id, invite_id, api::Err::InviteNotFound);
  if (!m) return m.error();
  if (m->invited_by.empty()) return api::error(api::Err::InviteNotFound);
  return *m;
}

std::string MemberService::inviteStatus(const store::MembershipRow& m) const {
  if (m.status == "pending" && m.expires_on && clock_.nowMicros() >= *m.expires_on)
    return "expired";
  return m.status;
}

Result<store::MembershipRow> MemberService::respond(const std::string& user_id,
                                                    const std::string& id,
                                                    const json::object& body, bool as_invite) {
  api::FieldReader r(body);
  r.rejectUnknown({"status"});
  auto status = r.str("status", 16, Need::kRequired);
  if (!r.ok()) return r.error();
  if (*status != "accepted" && *status != "rejected")
    return api::invalid("status must be accepted or rejected");
  const api::Err not_found = as_invite ? api::Err::InviteNotFound : api::Err::MembershipNotFound;
  store::MembershipRow out;
  Status st = store_.transaction([&](store::Store& s) -> Status {
    auto m = s.getMembership(id);
    if (!m) return m.error();
    // As an invite, only what the user was invited to (not an account it created).
    if (!*m || (*m)->user_id != user_id || (as_invite && (*m)->invited_by.empty()))
      return api::error(not_found);
    out = **m;
    if (out.status == *status) return Ok{};  // answering the same twice changes nothing
    if (out.status != "pending")
      return api::invalid("the invite was already " + out.status);
    if (inviteStatus(out) == "expired")
      return api::invalid("the invite has expired: ask the account for a new one");
    out.status = *status;
    return s.updateMembership(out);
  });
  if (!st) return st.error();
  authn_.invalidateAll();
  return out;
}

Status MemberService::leave(const std::string& user_id, const std::string& membership_id) {
  auto m = ownRow(user_id, membership_id, api::Err::MembershipNotFound);
  if (!m) return m.error();
  return remove(m->account_id, membership_id);
}

}  // namespace nubis::identity
