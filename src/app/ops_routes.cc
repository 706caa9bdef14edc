#include "app/ops_routes.h"

#include <boost/json/serialize.hpp>
#include <map>

#include "auth/catalog.h"

namespace nubis::app {
namespace json = boost::json;
using api::Access;
using api::Context;
using api::Reply;
using verb = http::bhttp::verb;

namespace {

const char* scopeName(api::Scope s) {
  switch (s) {
    case api::Scope::kNone: return "none";
    case api::Scope::kUser: return "user";
    case api::Scope::kAccount: return "account";
    case api::Scope::kZone: return "zone";
  }
  return "none";
}

std::string lowerMethod(verb v) {
  std::string m(http::bhttp::to_string(v));
  for (auto& c : m) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return m;
}

}  // namespace

std::string openApiDocument(const api::Router& router) {
  std::map<std::string, json::object> paths;
  for (const auto& r : router.routes()) {
    const std::string prefix = "/client/v4";
    if (r.pattern.rfind(prefix, 0) != 0) continue;
    std::string path = r.pattern.substr(prefix.size());
    json::array groups;
    for (auto g : r.access.groups) {
      const auto* grp = auth::findGroup(g);
      groups.push_back(json::object{{"id", g}, {"name", grp ? grp->name : ""}});
    }
    const char* kind = r.access.kind == Access::Kind::kPublic          ? "public"
                       : r.access.kind == Access::Kind::kAuthenticated ? "authenticated"
                       : r.access.kind == Access::Kind::kInstanceAdmin ? "instance_admin"
                                                                       : "groups";
    json::array params;
    for (const auto& seg : r.segments)
      if (seg.kind != api::Route::Segment::kLiteral)
        params.push_back(json::object{{"name", seg.text},
                                      {"in", "path"},
                                      {"required", true},
                                      {"schema", json::object{{"type", "string"}}}});
    json::object op{{"summary", r.summary},
                    {"operationId", lowerMethod(r.method) + path},
                    {"parameters", std::move(params)},
                    {"responses", json::object{{"200", json::object{{"description", "Success"}}},
                                               {"4XX", json::object{{"description", "Failure"}}}}},
                    {"x-nubis-access", json::object{{"kind", kind},
                                                    {"scope", scopeName(r.access.scope)},
                                                    {"groups", std::move(groups)},
                                                    {"token_only", r.access.token_only},
                                                    {"user_tokens", r.access.allow_user_tokens},
                                                    {"account_tokens", r.access.allow_account_tokens},
                                                    {"body_limit", r.body_limit}}}};
    paths[path][lowerMethod(r.method)] = std::move(op);
  }
  json::object p;
  for (auto& [k, v] : paths) p[k] = std::move(v);
  json::object doc{
      {"openapi", "3.0.3"},
      {"info", json::object{{"title", "Nubis: Cloudflare API v4 (implemented subset)"},
                            {"version", NUBIS_VERSION}}},
      {"servers", json::array{json::object{{"url", "/client/v4"}}}},
      {"paths", std::move(p)}};
  return json::serialize(doc);
}

void registerOpsRoutes(api::Router& router, api::Metrics& metrics, std::function<bool()> ready) {
  Access pub;
  pub.kind = Access::Kind::kPublic;
  router.add({verb::get, "/healthz", pub, 0, true,
              [](Context&) -> Result<Reply> {
                return Reply::rawText(200, "{\"status\":\"ok\"}", "application/json");
              },
              "Process is up"});
  router.add({verb::get, "/readyz", pub, 0, true,
              [ready](Context&) -> Result<Reply> {
                bool ok = ready();
                return Reply::rawText(ok ? 200 : 503,
                                      ok ? "{\"status\":\"ready\"}" : "{\"status\":\"starting\"}",
                                      "application/json");
              },
              "Storage open and migrated"});
  router.add({verb::get, "/metrics", pub, 0, true,
              [&metrics](Context&) -> Result<Reply> {
                return Reply::rawText(200, metrics.render(), "text/plain; version=0.0.4");
              },
              "Prometheus metrics"});
  router.add({verb::get, "/openapi.json", pub, 0, true,
              [&router](Context&) -> Result<Reply> {
                return Reply::rawText(200, openApiDocument(router), "application/json");
              },
              "The implemented operations"});
}

}  // namespace nubis::app
