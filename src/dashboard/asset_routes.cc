// GET / (the dashboard's page) and GET /dashboard/assets/{name}: the embedded files, with headers
// that keep the page to itself: a CSP allowing only this origin's scripts, styles and calls (no
// inline script, no framing), no MIME sniffing, no referrer, and revalidation on every load.
#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>

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

// "http://127.0.0.1:8701/some/path" -> "http://127.0.0.1:8701"; empty unless it is a plain
// http(s) origin (the value goes into a header: nothing but URL host characters passes).
std::string originOf(std::string_view base) {
  const size_t scheme_end = base.find("://");
  if (scheme_end == std::string_view::npos) return {};
  const std::string_view scheme = base.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return {};
  const size_t host_end = base.find('/', scheme_end + 3);
  const std::string_view origin = base.substr(0, host_end);
  const std::string_view host = origin.substr(scheme_end + 3);
  if (host.empty()) return {};
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return {};
  }
  return std::string(origin);
}

Reply serve(const Asset& a, std::string body, const AssetDeps& deps) {
  Reply r = Reply::rawText(200, std::move(body), std::string(a.content_type));
  // Images come from this origin (the upload previews are blob: URLs) and from the delivery
  // origin, where the grid and the variants page load them.
  std::string img_src = "img-src 'self' data: blob:";
  if (const std::string delivery = originOf(deps.delivery_base ? deps.delivery_base() : ""); !delivery.empty())
    img_src += " " + delivery;
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'none'; script-src 'self'; style-src 'self'; " + img_src +
                             "; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

// The embedded file, or with --dashboard-dir the file of the same name in that directory (only
// names that are embedded: the directory is never browsed by an outside name).
Result<Reply> serveNamed(const Asset& a, const AssetDeps& deps) {
  if (deps.dev_dir.empty()) return serve(a, std::string(a.body), deps);
  std::ifstream in(deps.dev_dir + "/" + std::string(a.name), std::ios::binary);
  if (!in) return ApiError::internal("dashboard: cannot read " + std::string(a.name) + " from --dashboard-dir");
  std::ostringstream body;
  body << in.rdbuf();
  return serve(a, body.str(), deps);
}

}  // namespace

void registerAssetRoutes(api::Router& router, AssetDeps deps) {
  const Access pub = Access::only(Access::Kind::kPublic);
  auto shared = std::make_shared<const AssetDeps>(std::move(deps));
  router.add({verb::get, "/", pub, 0, true,
              [shared](Context&) -> Result<Reply> {
                const Asset* index = findAsset("index.html");
                if (index == nullptr) return ApiError::internal("dashboard: index.html not embedded");
                return serveNamed(*index, *shared);
              },
              "Dashboard"});
  router.add({verb::get, "/dashboard/assets/{name}", pub, 0, true,
              [shared](Context& ctx) -> Result<Reply> {
                const Asset* a = findAsset(ctx.param("name"));
                if (a == nullptr) return api::noRoute(ctx.path);
                return serveNamed(*a, *shared);
              },
              "Dashboard files"});
}

}  // namespace nubis::dashboard
