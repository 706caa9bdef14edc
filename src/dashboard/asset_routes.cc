// GET / (the dashboard's page) and GET /dashboard/assets/{name}: the embedded files, with headers
// that keep the page to itself: a CSP allowing only this origin's scripts, styles and calls (no
// inline script, no framing), no MIME sniffing, no referrer, and revalidation on every load.
#include <algorithm>

#include "api/errors.h"
#include "dashboard/assets.h"
#include "dashboard/session_routes.h"

namespace nubis::dashboard {
using api::Access;
using api::Context;
using api::Reply;
using verb = http::bhttp::verb;

const Asset* findAsset(std::string_view name) {
  auto all = embeddedAssets();
  auto it = std::find_if(all.begin(), all.end(), [name](const Asset& a) { return a.name == name; });
  return it == all.end() ? nullptr : &*it;
}

namespace {

Reply serve(const Asset& a) {
  Reply r = Reply::rawText(200, std::string(a.body), std::string(a.content_type));
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                         "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

}  // namespace

void registerAssetRoutes(api::Router& router) {
  const Access pub = Access::only(Access::Kind::kPublic);
  router.add({verb::get, "/", pub, 0, true,
              [](Context&) -> Result<Reply> {
                const Asset* index = findAsset("index.html");
                if (index == nullptr) return ApiError::internal("dashboard: index.html not embedded");
                return serve(*index);
              },
              "Dashboard"});
  router.add({verb::get, "/dashboard/assets/{name}", pub, 0, true,
              [](Context& ctx) -> Result<Reply> {
                const Asset* a = findAsset(ctx.param("name"));
                if (a == nullptr) return api::noRoute(ctx.path);
                return serve(*a);
              },
              "Dashboard files"});
}

}  // namespace nubis::dashboard
