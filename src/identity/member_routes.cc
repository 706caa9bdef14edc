// Account members, roles and the invited user's side (invites, answering and leaving).
#include <algorithm>

#include "api/errors.h"
#include "api/fields.h"
#include "api/pagination.h"
#include "auth/catalog.h"
#include "auth/roles.h"
#include "identity/identity_json.h"
#include "identity/identity_routes.h"

namespace nubis::identity {
namespace json = boost::json;
using api::Access;
using api::Context;
using api::Reply;
using api::Scope;
using verb = http::bhttp::verb;
namespace g = auth::groups;

namespace {

constexpr uint64_t kBodyLimit = 16 * 1024;

Access settingsRead() {
  return Access::groupsOn({g::kAccountSettingsRead, g::kAccountSettingsWrite}, Scope::kAccount);
}
Access settingsWrite() { return Access::groupsOn({g::kAccountSettingsWrite}, Scope::kAccount); }
Access membershipsRead() {
  return Access::groupsOn({g::kMembershipsRead, g::kMembershipsWrite}, Scope::kUser);
}
Access membershipsWrite() { return Access::groupsOn({g::kMembershipsWrite}, Scope::kUser); }

std::string param(const Context& ctx, std::string_view name) { return std::string(ctx.param(name)); }

Result<json::object> member(store::Store& st, const store::MembershipRow& m) {
  std::optional<store::UserRow> user;
  if (!m.user_id.empty()) {
    auto u = st.getUser(m.user_id);
    if (!u) return u.error();
    user = std::move(*u);
  }
  return memberJson(m, user);
}

Result<Reply> memberReply(store::Store& st, const Result<store::MembershipRow>& m) {
  if (!m) return m.error();
  auto o = member(st, *m);
  if (!o) return o.error();
  return Reply::ok(std::move(*o));
}

Result<Reply> inviteReply(store::Store& st, MemberService& members,
                          const Result<store::MembershipRow>& m) {
  if (!m) return m.error();
  auto a = st.getAccount(m->account_id);
  if (!a) return a.error();
  if (!*a) return api::error(api::Err::InviteNotFound);
  return Reply::ok(inviteJson(*m, **a, members.inviteStatus(*m)));
}

Reply idReply(const std::string& id) { return Reply::ok(json::object{{"id", id}}); }

}  // namespace

void registerMemberRoutes(api::Router& router, Deps d) {
  store::Store& st = d.store;
  MemberService& members = d.members;

  // ---- /accounts/{account_id}/members

  router.add({verb::get, "/client/v4/accounts/{account_id}/members", settingsRead(), 0, false,
              [&st, &members](Context& ctx) -> Result<Reply> {
                auto page = api::parsePage(ctx.query, {5, 50, 20},
                                           {"user.first_name", "user.last_name", "user.email", "status"});
                if (!page) return page.error();
                auto status = ctx.query.get("status");
                if (status && *status != "accepted" && *status != "pending" && *status != "rejected")
                  return api::invalid("status must be accepted, pending or rejected");
                auto rows = members.list(param(ctx, "account_id"));
                if (!rows) return rows.error();
                std::vector<json::object> items;
                for (const auto& m : *rows) {
                  if (status && *status != m.status) continue;
                  auto o = member(st, m);
                  if (!o) return o.error();
                  items.push_back(std::move(*o));
                }
                // Sorted by the field asked (null first), then by e-mail for a stable order.
                const std::string order = page->order.empty() ? "user.email" : page->order;
                auto key = [&](const json::object& o) -> std::string {
                  const json::value& v = order == "status" ? o.at("status")
                                                           : o.at("user").at(order.substr(5));
                  return v.is_string() ? std::string(v.as_string()) : std::string();
                };
                std::stable_sort(items.begin(), items.end(), [&](const auto& x, const auto& y) {
                  auto kx = key(x), ky = key(y);
                  if (kx == ky) return x.at("email").as_string() < y.at("email").as_string();
                  return page->desc ? ky < kx : kx < ky;
                });
                json::array arr;
                for (const auto& o : api::pageSlice(items, *page)) arr.push_back(o);
                Reply r = Reply::ok(std::move(arr));
                r.result_info = api::resultInfo(*page, r.result.as_array().size(), items.size());
                return r;
              },
              "List members"});

  router.add({verb::post, "/client/v4/accounts/{account_id}/members", settingsWrite(), kBodyLimit,
              false,
              [&st, &members](Context& ctx) -> Result<Reply> {
                auto body = api::parseJsonObject(ctx.req.body(), false);
                if (!body) return body.error();
                return memberReply(st, members.add(*ctx.principal, param(ctx, "account_id"), *body));
              },
              "Add member (an invite unless status is accepted)"});

  router.add({verb::get, "/client/v4/accounts/{account_id}/members/{member_id}", settingsRead(), 0,
              false,
              [&st, &members](Context& ctx) -> Result<Reply> {
                return memberReply(st, members.get(param(ctx, "account_id"), param(ctx, "member_id")));
              },
              "Member details"});

  router.add({verb::put, "/client/v4/accounts/{account_id}/members/{member_id}", settingsWrite(),
              kBodyLimit, false,
              [&st, &members](Context& ctx) -> Result<Reply> {
                auto body = api::parseJsonObject(ctx.req.body(), false);
                if (!body) return body.error();
                return memberReply(st, members.update(param(ctx, "account_id"),
                                                      param(ctx, "member_id"), *body));
              },
              "Update member roles"});

  router.add({verb::delete_, "/client/v4/accounts/{account_id}/members/{member_id}",
              settingsWrite(), 0, false,
              [&members](Context& ctx) -> Result<Reply> {
                const std::string id = param(ctx, "member_id");
                if (Status s = members.remove(param(ctx, "account_id"), id); !s) return s.error();
                return idReply(id);
              },
              "Remove member"});

  // ---- /accounts/{account_id}/roles (the same three roles in every account)

  router.add({verb::get, "/client/v4/accounts/{account_id}/roles", settingsRead(), 0, false,
              [](Context& ctx) -> Result<Reply> {
                auto page = api::parsePage(ctx.query, {1, 50, 20});
                if (!page) return page.error();
                std::vector<json::object> items;
                for (const auto& r : auth::allRoles()) items.push_back(roleJson(r));
                json::array arr;
                for (const auto& o : api::pageSlice(items, *page)) arr.push_back(o);
                Reply r = Reply::ok(std::move(arr));
                r.result_info = api::resultInfo(*page, r.result.as_array().size(), items.size());
                return r;
              },
              "List roles"});

  router.add({verb::get, "/client/v4/accounts/{account_id}/roles/{role_id}", settingsRead(), 0,
              false,
              [](Context& ctx) -> Result<Reply> {
                const auth::Role* r = auth::findRoleById(ctx.param("role_id"));
                if (r == nullptr) return api::error(api::Err::RoleNotFound);
                return Reply::ok(roleJson(*r));
              },
              "Role details"});

  // ---- /user/invites

  router.add({verb::get, "/client/v4/user/invites", membershipsRead(), 0, false,
              [&st, &members](Context& ctx) -> Result<Reply> {
                auto rows = members.invitesOf(ctx.principal->user_id);
                if (!rows) return rows.error();
                json::array arr;
                for (const auto& m : *rows) {
                  auto a = st.getAccount(m.account_id);
                  if (!a) return a.error();
                  if (*a) arr.push_back(inviteJson(m, **a, members.inviteStatus(m)));
                }
                return Reply::ok(std::move(arr));
              },
              "List invitations"});

  router.add({verb::get, "/client/v4/user/invites/{invite_id}", membershipsRead(), 0, false,
              [&st, &members](Context& ctx) -> Result<Reply> {
                return inviteReply(st, members,
                                   members.invite(ctx.principal->user_id, param(ctx, "invite_id")));
              },
              "Invitation details"});

  router.add({verb::patch, "/client/v4/user/invites/{invite_id}", membershipsWrite(), kBodyLimit,
              false,
              [&st, &members](Context& ctx) -> Result<Reply> {
                auto body = api::parseJsonObject(ctx.req.body(), false);
                if (!body) return body.error();
                return inviteReply(st, members, members.respond(ctx.principal->user_id,
                                                                param(ctx, "invite_id"), *body, true));
              },
              "Respond to an invitation (accepted | rejected)"});

  // ---- /memberships/{membership_id}: the same answer from the membership's side, and leaving

  router.add({verb::put, "/client/v4/memberships/{membership_id}", membershipsWrite(), kBodyLimit,
              false,
              [&st, &members](Context& ctx) -> Result<Reply> {
                auto body = api::parseJsonObject(ctx.req.body(), false);
                if (!body) return body.error();
                auto m = members.respond(ctx.principal->user_id, param(ctx, "membership_id"), *body,
                                         false);
                if (!m) return m.error();
                auto a = st.getAccount(m->account_id);
                if (!a) return a.error();
                if (!*a) return api::error(api::Err::MembershipNotFound);
                json::object o = membershipJson(*m, **a);
                o["policies"] = json::array();
                return Reply::ok(std::move(o));
              },
              "Update membership (accept or reject)"});

  router.add({verb::delete_, "/client/v4/memberships/{membership_id}", membershipsWrite(), 0, false,
              [&members](Context& ctx) -> Result<Reply> {
                const std::string id = param(ctx, "membership_id");
                if (Status s = members.leave(ctx.principal->user_id, id); !s) return s.error();
                return idReply(id);
              },
              "Delete membership (leave the account)"});
}

}  // namespace nubis::identity
