#include "identity/identity_routes.h"

#include <algorithm>
#include <boost/json/serialize.hpp>

#include "api/authorize.h"
#include "api/errors.h"
#include "api/fields.h"
#include "api/pagination.h"
#include "auth/catalog.h"
#include "base/text.h"
#include "identity/identity_json.h"

namespace nubis::identity {
namespace json = boost::json;
using api::Access;
using api::Context;
using api::Need;
using api::Reply;
using api::Scope;
using verb = http::bhttp::verb;
namespace g = auth::groups;

namespace {

Access groups(std::vector<std::string_view> ids, Scope scope) {
  return Access::groupsOn(std::move(ids), scope);
}

// The user's memberships with their accounts, for the user object's `organizations`.
Result<std::vector<std::pair<store::MembershipRow, store::AccountRow>>> organizations(
    store::Store& st, const std::string& user_id) {
  auto ms = st.listMembershipsOfUser(user_id);
  if (!ms) return ms.error();
  std::vector<std::pair<store::MembershipRow, store::AccountRow>> out;
  for (auto& m : *ms) {
    auto a = st.getAccount(m.account_id);
    if (!a) return a.error();
    if (*a) out.emplace_back(std::move(m), std::move(**a));
  }
  return out;
}

Result<Reply> userReply(store::Store& st, const store::UserRow& u) {
  auto orgs = organizations(st, u.id);
  if (!orgs) return orgs.error();
  return Reply::ok(userJson(u, *orgs));
}

Result<store::UserRow> currentUser(store::Store& st, const Context& ctx) {
  auto u = st.getUser(ctx.principal->user_id);
  if (!u) return u.error();
  if (!*u) return api::error(api::Err::AuthenticationError);
  return **u;
}

// Accounts a principal can see in GET /accounts: those it reaches and holds any permission on
// (the account itself, or any zone in it).
bool seesAccount(store::Store& st, const auth::Principal& p, const std::string& account_id) {
  if (!p.reaches(account_id)) return false;
  if (p.actsAsUser()) return true;
  std::vector<std::string_view> account_groups;
  for (const auto& grp : auth::allGroups())
    if (grp.scope == auth::Scope::kAccount) account_groups.push_back(grp.id);
  if (api::allowed(p, account_groups, auth::Target::account(account_id))) return true;
  auto zones = st.listZones({account_id});
  if (zones && !zones->empty()) {
    for (const auto& z : *zones)
      if (api::allowed(p, api::anyZoneGroup(), auth::Target::zone(account_id, z.id))) return true;
  }
  // A zone wildcard grants over zones yet to exist in the account.
  return api::allowed(p, api::anyZoneGroup(), auth::Target::zone(account_id, std::string(32, '0')));
}

}  // namespace

void registerRoutes(api::Router& router, Deps d) {
  store::Store& st = d.store;

  router.add({verb::get, "/client/v4/user", groups({g::kUserDetailsRead, g::kUserDetailsWrite}, Scope::kUser),
              0, false,
              [&st](Context& ctx) -> Result<Reply> {
                auto u = currentUser(st, ctx);
                if (!u) return u.error();
                return userReply(st, *u);
              },
              "User details"});

  router.add({verb::patch, "/client/v4/user", groups({g::kUserDetailsWrite}, Scope::kUser), 16 * 1024,
              false,
              [&st, d](Context& ctx) -> Result<Reply> {
                auto body = api::parseJsonObject(ctx.req.body(), false);
                if (!body) return body.error();
                auto u = currentUser(st, ctx);
                if (!u) return u.error();
                api::FieldReader r(*body);
                r.rejectUnknown({"first_name", "last_name", "telephone", "country", "zipcode"});
                struct F {
                  const char* key;
                  size_t max;
                  std::optional<std::string>* slot;
                } fields[] = {{"first_name", 60, &u->first_name},
                              {"last_name", 60, &u->last_name},
                              {"telephone", 20, &u->telephone},
                              {"country", 30, &u->country},
                              {"zipcode", 20, &u->zipcode}};
                for (auto& f : fields) {
                  if (!r.has(f.key)) continue;
                  *f.slot = r.str(f.key, f.max, Need::kOptional, /*nullable=*/true);
                }
                if (!r.ok()) return r.error();
                u->modified_on = d.clock.nowMicros();
                if (Status s = st.updateUser(*u); !s) return s.error();
                return userReply(st, *u);
              },
              "Edit user details"});

  const Access list_accounts = Access::only(Access::Kind::kAuthenticated);
  router.add({verb::get, "/client/v4/accounts", list_accounts, 0, false,
              [&st](Context& ctx) -> Result<Reply> {
                const auth::Principal& p = *ctx.principal;
                if (p.kind == auth::Principal::Kind::kAccountToken)
                  return api::error(api::Err::AccountTokenOnAccounts);
                auto page = api::parsePage(ctx.query, {5, 50, 20}, {}, false);
                if (!page) return page.error();
                auto name = ctx.query.get("name");
                std::vector<json::object> items;
                for (const auto& id : p.account_ids) {
                  auto a = st.getAccount(id);
                  if (!a) return a.error();
                  if (!*a || !seesAccount(st, p, id)) continue;
                  if (name && text::asciiLower(*name) != text::asciiLower((*a)->name)) continue;
                  items.push_back(accountJson(**a));
                }
                std::sort(items.begin(), items.end(), [&](const auto& x, const auto& y) {
                  auto a = x.at("name").as_string(), b = y.at("name").as_string();
                  return page->desc ? b < a : a < b;
                });
                json::array arr;
                for (const auto& o : api::pageSlice(items, *page)) arr.push_back(o);
                Reply r = Reply::ok(std::move(arr));
                r.result_info = api::resultInfo(*page, r.result.as_array().size(), items.size());
                return r;
              },
              "List accounts"});

  router.add({verb::get, "/client/v4/accounts/{account_id}",
              groups({g::kAccountSettingsRead, g::kAccountSettingsWrite}, Scope::kAccount), 0, false,
              [&st](Context& ctx) -> Result<Reply> {
                auto a = st.getAccount(std::string(ctx.param("account_id")));
                if (!a) return a.error();
                if (!*a) return api::noRoute(ctx.path);
                return Reply::ok(accountJson(**a));
              },
              "Account details"});

  router.add({verb::put, "/client/v4/accounts/{account_id}",
              groups({g::kAccountSettingsWrite}, Scope::kAccount), 16 * 1024, false,
              [&st, d](Context& ctx) -> Result<Reply> {
                auto body = api::parseJsonObject(ctx.req.body(), false);
                if (!body) return body.error();
                auto a = st.getAccount(std::string(ctx.param("account_id")));
                if (!a) return a.error();
                if (!*a) return api::noRoute(ctx.path);
                api::FieldReader r(*body);
                r.rejectUnknown({"id", "name", "settings", "type", "created_on", "managed_by"});
                auto name = r.str("name", 100, Need::kRequired);
                if (auto id = r.str("id", 32, Need::kOptional); id && *id != (*a)->id)
                  r.fail(api::invalid("id does not match the account in the path"));
                if (!r.ok()) return r.error();
                store::AccountRow row = **a;
                row.name = *name;
                if (const json::value* s = body->if_contains("settings")) {
                  if (!s->is_object()) return api::invalid("settings must be an object");
                  api::FieldReader sr(s->as_object(), "settings");
                  sr.rejectUnknown({"abuse_contact_email", "default_nameservers", "enforce_twofactor",
                                    "use_account_custom_ns_by_default"});
                  sr.str("abuse_contact_email", 254, Need::kOptional, true);
                  sr.boolean("enforce_twofactor", Need::kOptional);
                  sr.boolean("use_account_custom_ns_by_default", Need::kOptional);
                  if (auto ns = sr.str("default_nameservers", 32, Need::kOptional)) {
                    if (*ns != "cloudflare.standard" && *ns != "custom.account" && *ns != "custom.tenant")
                      sr.fail(api::invalid("settings.default_nameservers must be cloudflare.standard, custom.account or custom.tenant"));
                  }
                  if (!sr.ok()) return sr.error();
                  row.settings_json = json::serialize(s->as_object());
                }
                if (Status s = st.updateAccount(row); !s) return s.error();
                d.authn.invalidateAll();
                return Reply::ok(accountJson(row));
              },
              "Update account"});

  router.add({verb::get, "/client/v4/memberships",
              groups({g::kMembershipsRead, g::kMembershipsWrite}, Scope::kUser), 0, false,
              [&st](Context& ctx) -> Result<Reply> {
                auto page = api::parsePage(ctx.query, {5, 50, 20}, {"id", "account.name", "status"}, false);
                if (!page) return page.error();
                auto name = ctx.query.get("account.name");
                if (!name) name = ctx.query.get("name");
                auto status = ctx.query.get("status");
                if (status && *status != "accepted" && *status != "pending" && *status != "rejected")
                  return api::invalid("status must be accepted, pending or rejected");
                auto ms = st.listMembershipsOfUser(ctx.principal->user_id);
                if (!ms) return ms.error();
                std::vector<json::object> items;
                for (const auto& m : *ms) {
                  auto a = st.getAccount(m.account_id);
                  if (!a) return a.error();
                  if (!*a) continue;
                  if (name && text::asciiLower(*name) != text::asciiLower((*a)->name)) continue;
                  if (status && *status != m.status) continue;
                  items.push_back(membershipJson(m, **a));
                }
                std::string order = page->order.empty() ? "id" : page->order;
                auto key = [&](const json::object& o) -> std::string {
                  if (order == "account.name") return std::string(o.at("account").at("name").as_string());
                  return std::string(o.at(order).as_string());
                };
                std::stable_sort(items.begin(), items.end(), [&](const auto& x, const auto& y) {
                  return page->desc ? key(y) < key(x) : key(x) < key(y);
                });
                json::array arr;
                for (const auto& o : api::pageSlice(items, *page)) arr.push_back(o);
                Reply r = Reply::ok(std::move(arr));
                r.result_info = api::resultInfo(*page, r.result.as_array().size(), items.size());
                return r;
              },
              "List memberships"});

  router.add({verb::get, "/client/v4/memberships/{membership_id}",
              groups({g::kMembershipsRead, g::kMembershipsWrite}, Scope::kUser), 0, false,
              [&st](Context& ctx) -> Result<Reply> {
                auto m = st.getMembership(std::string(ctx.param("membership_id")));
                if (!m) return m.error();
                if (!*m || (*m)->user_id != ctx.principal->user_id)
                  return api::error(api::Err::MembershipNotFound);
                auto a = st.getAccount((*m)->account_id);
                if (!a) return a.error();
                if (!*a) return api::error(api::Err::MembershipNotFound);
                json::object o = membershipJson(**m, **a);
                o["policies"] = json::array();
                return Reply::ok(std::move(o));
              },
              "Membership details"});
}

}  // namespace nubis::identity
