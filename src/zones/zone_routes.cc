#include "zones/zone_routes.h"

#include "api/errors.h"
#include "api/fields.h"
#include "api/pagination.h"
#include "auth/catalog.h"

namespace nubis::zones {
namespace json = boost::json;
using api::Access;
using api::Context;
using api::Reply;
using api::Scope;
using verb = http::bhttp::verb;
namespace g = auth::groups;


void registerRoutes(api::Router& router, ZoneService& svc) {
  // Create and list decide per zone (the target is in the body or in the data), through
  // api::allowed(); the route itself only requires a usable credential.
  Access authenticated;
  authenticated.kind = Access::Kind::kAuthenticated;

  router.add({verb::post, "/client/v4/zones", authenticated, 16 * 1024, false,
              [&svc](Context& ctx) -> Result<Reply> {
                auto body = api::parseJsonObject(ctx.req.body(), false);
                if (!body) return body.error();
                auto z = svc.create(*ctx.principal, *body);
                if (!z) return z.error();
                return Reply::ok(svc.toJson(*z));
              },
              "Create a zone"});

  router.add({verb::get, "/client/v4/zones", authenticated, 0, false,
              [&svc](Context& ctx) -> Result<Reply> {
                auto page = api::parsePage(ctx.query, {5, 50, 20},
                                           {"name", "status", "account.id", "account.name"}, false);
                if (!page) return page.error();
                auto zones = svc.list(*ctx.principal, ctx.query, page->order, page->desc);
                if (!zones) return zones.error();
                json::array arr;
                for (const auto& z : api::pageSlice(*zones, *page)) arr.push_back(svc.toJson(z));
                Reply r = Reply::ok(std::move(arr));
                r.result_info = api::resultInfo(*page, r.result.as_array().size(), zones->size());
                return r;
              },
              "List zones"});

  Access read;
  read.groups = {g::kZoneRead, g::kZoneWrite};
  read.scope = Scope::kZone;
  router.add({verb::get, "/client/v4/zones/{zone_id}", read, 0, false,
              [&svc](Context& ctx) -> Result<Reply> {
                auto z = svc.get(std::string(ctx.param("zone_id")));
                if (!z) return z.error();
                if (!*z) return api::noRoute(ctx.path);
                return Reply::ok(svc.toJson(**z));
              },
              "Zone details"});

  Access write;
  write.groups = {g::kZoneWrite};
  write.scope = Scope::kZone;
  router.add({verb::patch, "/client/v4/zones/{zone_id}", write, 16 * 1024, false,
              [&svc](Context& ctx) -> Result<Reply> {
                auto body = api::parseJsonObject(ctx.req.body(), false);
                if (!body) return body.error();
                auto z = svc.edit(std::string(ctx.param("zone_id")), *body);
                if (!z) return z.error();
                if (!*z) return api::noRoute(ctx.path);
                return Reply::ok(svc.toJson(**z));
              },
              "Edit a zone"});

  router.add({verb::put, "/client/v4/zones/{zone_id}/activation_check", write, 16 * 1024, false,
              [&svc](Context& ctx) -> Result<Reply> {
                std::string id(ctx.param("zone_id"));
                auto z = svc.activationCheck(id);
                if (!z) return z.error();
                if (!*z) return api::noRoute(ctx.path);
                return Reply::ok(json::object{{"id", id}});
              },
              "Rerun the activation check"});

  router.add({verb::delete_, "/client/v4/zones/{zone_id}", write, 0, false,
              [&svc](Context& ctx) -> Result<Reply> {
                std::string id(ctx.param("zone_id"));
                auto gone = svc.remove(id);
                if (!gone) return gone.error();
                if (!*gone) return api::noRoute(ctx.path);
                return Reply::ok(json::object{{"id", id}});
              },
              "Delete a zone"});
}

}  // namespace nubis::zones
