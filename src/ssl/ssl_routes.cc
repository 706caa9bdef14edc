#include "ssl/ssl_routes.h"

#include "api/errors.h"
#include "api/fields.h"
#include "api/pagination.h"
#include "api/zone_scope.h"
#include "auth/catalog.h"

namespace nubis::ssl {
namespace json = boost::json;
using api::Access;
using api::Context;
using api::Reply;
using api::Scope;
using verb = http::bhttp::verb;
namespace g = auth::groups;

void registerRoutes(api::Router& router, SslService& svc, store::Store& store) {
  Access read;
  read.groups = {g::kSslRead, g::kSslWrite};
  read.scope = Scope::kZone;
  Access write;
  write.groups = {g::kSslWrite};
  write.scope = Scope::kZone;
  const std::string base = "/client/v4/zones/{zone_id}/ssl/certificate_packs";

  router.add({verb::get, base, read, 0, false,
              [&svc, &store](Context& ctx) -> Result<Reply> {
                return api::withZone(store, ctx, [&](const store::ZoneRow& zone) -> Result<Reply> {
                  auto page = api::parsePage(ctx.query, {5, 50, 20});
                  if (!page) return page.error();
                  // `status=all` is the schema's; `ssl_status=all` is the seed's (Cloudflare's
                  // PowerShell example). Both list every status; without them, active packs.
                  bool all = false;
                  for (std::string_view p : {"status", "ssl_status"}) {
                    if (auto v = ctx.query.get(p)) {
                      if (*v != "all") return api::invalid(std::string(p) + " must be all");
                      all = true;
                    }
                  }
                  auto packs = svc.list(zone, all);
                  if (!packs) return packs.error();
                  json::array arr;
                  for (const auto& p : api::pageSlice(*packs, *page)) arr.push_back(svc.toJson(p));
                  Reply r = Reply::ok(std::move(arr));
                  r.result_info =
                      api::resultInfo(*page, r.result.as_array().size(), packs->size());
                  return r;
                });
              },
              "List certificate packs"});

  router.add({verb::get, base + "/{certificate_pack_id}", read, 0, false,
              [&svc, &store](Context& ctx) -> Result<Reply> {
                return api::withZone(store, ctx, [&](const store::ZoneRow& zone) -> Result<Reply> {
                  auto p = svc.get(zone, std::string(ctx.param("certificate_pack_id")));
                  if (!p) return p.error();
                  return Reply::ok(svc.toJson(*p));
                });
              },
              "Certificate pack details"});

  router.add({verb::post, base + "/order", write, 16 * 1024, false,
              [&svc, &store](Context& ctx) -> Result<Reply> {
                return api::withZone(store, ctx, [&](const store::ZoneRow& zone) -> Result<Reply> {
                  auto body = api::parseJsonObject(ctx.req.body(), false);
                  if (!body) return body.error();
                  auto p = svc.order(zone, *body);
                  if (!p) return p.error();
                  return Reply::ok(svc.toJson(*p));
                });
              },
              "Order an advanced certificate pack"});

  router.add({verb::delete_, base + "/{certificate_pack_id}", write, 0, false,
              [&svc, &store](Context& ctx) -> Result<Reply> {
                return api::withZone(store, ctx, [&](const store::ZoneRow& zone) -> Result<Reply> {
                  const std::string id(ctx.param("certificate_pack_id"));
                  auto gone = svc.remove(zone, id);
                  if (!gone) return gone.error();
                  return Reply::ok(json::object{{"id", id}});
                });
              },
              "Delete an advanced certificate pack"});
}

}  // namespace nubis::ssl
