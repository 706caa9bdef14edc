#include "tokens/token_routes.h"

#include <algorithm>

#include "api/errors.h"
#include "api/fields.h"
#include "api/pagination.h"
#include "auth/catalog.h"
#include "base/time_util.h"

namespace nubis::tokens {
namespace json = boost::json;
using api::Access;
using api::Context;
using api::Reply;
using api::Scope;
using verb = http::bhttp::verb;
namespace g = auth::groups;

namespace {

struct Family {
  std::string prefix;  // "/client/v4/user/tokens" or "/client/v4/accounts/{account_id}/tokens"
  bool account;
  std::string_view read, write;
};

Owner ownerOf(const Family& f, const Context& ctx) {
  if (f.account) return Owner{"account", std::string(ctx.param("account_id"))};
  return Owner{"user", ctx.principal->user_id};
}

Access groupsAccess(const Family& f, bool write) {
  Access a;
  a.kind = Access::Kind::kGroups;
  a.groups = write ? std::vector<std::string_view>{f.write}
                   : std::vector<std::string_view>{f.read, f.write};
  a.scope = f.account ? Scope::kAccount : Scope::kUser;
  // /user/tokens* are token-only (API-SURFACE §2.1); account tokens cannot manage user tokens.
  a.token_only = !f.account;
  a.allow_account_tokens = f.account;
  a.deny_as_unauthorized = true;
  return a;
}

json::array permissionGroups(const Context& ctx, bool account_only) {
  auto name = ctx.query.get("name");
  auto scope = ctx.query.get("scope");
  json::array out;
  for (const auto& grp : auth::allGroups()) {
    if (account_only && grp.scope == auth::Scope::kUser) continue;
    if (name && *name != grp.name) continue;
    std::string_view s = auth::scopeString(grp.scope);
    if (scope && *scope != s) continue;
    out.push_back(json::object{{"id", grp.id},
                               {"name", grp.name},
                               {"description", ""},
                               {"category", grp.category},
                               {"is_selectable", grp.is_selectable},
                               {"scopes", json::array{s}}});
  }
  return out;
}

void registerFamily(api::Router& router, TokenService& svc, const Family& f) {
  router.add({verb::get, f.prefix, groupsAccess(f, false), 0, false,
              [&svc, f](Context& ctx) -> Result<Reply> {
                auto page = api::parsePage(ctx.query, {5, 50, 20}, {}, false);
                if (!page) return page.error();
                auto rows = svc.list(ownerOf(f, ctx));
                if (!rows) return rows.error();
                bool include_expired = ctx.query.get("include_expired") == "true";
                std::vector<json::object> items;
                for (const auto& row : *rows) {
                  json::object o = svc.toJson(row);
                  // Current Cloudflare hides expired tokens unless include_expired=true.
                  if (!include_expired && o["status"] == "expired") continue;
                  items.push_back(std::move(o));
                }
                if (page->desc) std::reverse(items.begin(), items.end());
                json::array arr;
                for (const auto& o : api::pageSlice(items, *page)) arr.push_back(o);
                Reply r = Reply::ok(std::move(arr));
                r.result_info = api::resultInfo(*page, r.result.as_array().size(), items.size());
                return r;
              },
              "List API tokens"});

  router.add({verb::post, f.prefix, groupsAccess(f, true), 64 * 1024, false,
              [&svc, f](Context& ctx) -> Result<Reply> {
                auto body = api::parseJsonObject(ctx.req.body(), false);
                if (!body) return body.error();
                auto created = svc.create(ownerOf(f, ctx), *ctx.principal, *body);
                if (!created) return created.error();
                json::object o = svc.toJson(created->row);
                o["value"] = created->secret;
                return Reply::ok(std::move(o));
              },
              "Create an API token"});

  // Verify: any usable token of the right kind, no permission group (API-SURFACE §3.7).
  Access verify;
  verify.kind = Access::Kind::kAuthenticated;
  verify.token_only = true;
  verify.verify_style = true;
  verify.allow_user_tokens = !f.account;
  verify.allow_account_tokens = f.account;
  router.add({verb::get, f.prefix + "/verify", verify, 0, true,
              [f](Context& ctx) -> Result<Reply> {
                const auth::Principal& p = *ctx.principal;
                if (f.account && p.account_id != ctx.param("account_id"))
                  return api::error(api::Err::InvalidApiToken);
                json::object o{{"id", p.token_id}, {"status", "active"}};
                if (p.not_before) o["not_before"] = timeutil::formatSeconds(*p.not_before);
                if (p.expires_on) o["expires_on"] = timeutil::formatSeconds(*p.expires_on);
                Reply r = Reply::ok(std::move(o));
                r.messages.push_back(json::object{{"code", 10000},
                                                  {"message", "This API Token is valid and active"},
                                                  {"type", nullptr}});
                return r;
              },
              "Verify the calling API token"});

  router.add({verb::get, f.prefix + "/permission_groups", groupsAccess(f, false), 0, true,
              [f](Context& ctx) -> Result<Reply> { return Reply::ok(permissionGroups(ctx, f.account)); },
              "List permission groups"});

  router.add({verb::get, f.prefix + "/{token_id}", groupsAccess(f, false), 0, false,
              [&svc, f](Context& ctx) -> Result<Reply> {
                auto row = svc.get(ownerOf(f, ctx), std::string(ctx.param("token_id")));
                if (!row) return row.error();
                return Reply::ok(svc.toJson(*row));
              },
              "Get an API token"});

  router.add({verb::put, f.prefix + "/{token_id}", groupsAccess(f, true), 64 * 1024, false,
              [&svc, f](Context& ctx) -> Result<Reply> {
                auto body = api::parseJsonObject(ctx.req.body(), false);
                if (!body) return body.error();
                auto row = svc.update(ownerOf(f, ctx), *ctx.principal,
                                      std::string(ctx.param("token_id")), *body);
                if (!row) return row.error();
                return Reply::ok(svc.toJson(*row));
              },
              "Update an API token"});

  router.add({verb::delete_, f.prefix + "/{token_id}", groupsAccess(f, true), 0, false,
              [&svc, f](Context& ctx) -> Result<Reply> {
                auto id = svc.remove(ownerOf(f, ctx), std::string(ctx.param("token_id")));
                if (!id) return id.error();
                return Reply::ok(json::object{{"id", *id}});
              },
              "Delete an API token"});

  // Roll: the SDK sends no body; curl users send {}. Both are fine.
  router.add({verb::put, f.prefix + "/{token_id}/value", groupsAccess(f, true), 4 * 1024, false,
              [&svc, f](Context& ctx) -> Result<Reply> {
                auto body = api::parseJsonObject(ctx.req.body(), true);
                if (!body) return body.error();
                auto secret = svc.roll(ownerOf(f, ctx), *ctx.principal,
                                       std::string(ctx.param("token_id")));
                if (!secret) return secret.error();
                return Reply::ok(json::value(*secret));
              },
              "Roll an API token's secret"});
}

}  // namespace

void registerRoutes(api::Router& router, TokenService& service) {
  registerFamily(router, service,
                 {"/client/v4/user/tokens", false, g::kApiTokensRead, g::kApiTokensWrite});
  registerFamily(router, service,
                 {"/client/v4/accounts/{account_id}/tokens", true, g::kAccountApiTokensRead,
                  g::kAccountApiTokensWrite});
}

}  // namespace nubis::tokens
