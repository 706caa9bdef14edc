#include "dns/dns_routes.h"

#include "api/errors.h"
#include "api/fields.h"
#include "api/multipart.h"
#include "api/pagination.h"
#include "api/zone_scope.h"
#include "auth/catalog.h"
#include "dns/bind.h"

namespace nubis::dns {
namespace json = boost::json;
using api::Access;
using api::Context;
using api::Reply;
using api::Scope;
using verb = http::bhttp::verb;
namespace g = auth::groups;

namespace {

constexpr size_t kBodyLimit = 16 * 1024;

}  // namespace

void registerRoutes(api::Router& router, DnsService& svc, store::Store& store) {
  Access read;
  read.groups = {g::kDnsRead, g::kDnsWrite};
  read.scope = Scope::kZone;
  Access write;
  write.groups = {g::kDnsWrite};
  write.scope = Scope::kZone;

  router.add({verb::get, "/client/v4/zones/{zone_id}/dns_records", read, 0, false,
              [&svc, &store](Context& ctx) -> Result<Reply> {
                return api::withZone(store, ctx, [&](const store::ZoneRow& zone) -> Result<Reply> {
                  auto page = api::parsePage(ctx.query, {1, 5'000'000, 100},
                                             {"type", "name", "content", "ttl", "proxied"});
                  if (!page) return page.error();
                  auto found = svc.list(zone, ctx.query, *page);
                  if (!found) return found.error();
                  json::array arr;
                  for (const auto& r : found->rows) arr.push_back(svc.toJson(zone, r));
                  Reply rep = Reply::ok(std::move(arr));
                  rep.result_info = api::resultInfo(*page, found->rows.size(),
                                                    static_cast<size_t>(found->total));
                  return rep;
                });
              },
              "List DNS records"});

  router.add({verb::post, "/client/v4/zones/{zone_id}/dns_records", write, kBodyLimit, false,
              [&svc, &store](Context& ctx) -> Result<Reply> {
                return api::withZone(store, ctx, [&](const store::ZoneRow& zone) -> Result<Reply> {
                  auto body = api::parseJsonObject(ctx.req.body(), false);
                  if (!body) return body.error();
                  auto r = svc.create(zone, *body);
                  if (!r) return r.error();
                  return Reply::ok(svc.toJson(zone, *r));
                });
              },
              "Create a DNS record"});

  router.add({verb::get, "/client/v4/zones/{zone_id}/dns_records/export", read, 0, false,
              [&svc, &store](Context& ctx) -> Result<Reply> {
                return api::withZone(store, ctx, [&](const store::ZoneRow& zone) -> Result<Reply> {
                  auto text = svc.exportZone(zone);
                  if (!text) return text.error();
                  return Reply::rawText(200, std::move(*text), "text/plain; charset=utf-8");
                });
              },
              "Export DNS records (BIND)"});

  router.add({verb::post, "/client/v4/zones/{zone_id}/dns_records/batch", write, 1024 * 1024,
              false,
              [&svc, &store](Context& ctx) -> Result<Reply> {
                return api::withZone(store, ctx, [&](const store::ZoneRow& zone) -> Result<Reply> {
                  auto body = api::parseJsonObject(ctx.req.body(), false);
                  if (!body) return body.error();
                  auto done = svc.batch(zone, *body);
                  if (!done) return done.error();
                  return Reply::ok(std::move(*done));
                });
              },
              "Batch DNS record changes"});

  api::Route import{verb::post, "/client/v4/zones/{zone_id}/dns_records/import", write,
                    kMaxImportBytes + 64 * 1024, false,
              [&svc, &store](Context& ctx) -> Result<Reply> {
                return api::withZone(store, ctx, [&](const store::ZoneRow& zone) -> Result<Reply> {
                  api::MultipartLimits limits;
                  limits.max_file_bytes = kMaxImportBytes;
                  auto parts = api::parseForm(ctx.req[http::bhttp::field::content_type],
                                              ctx.req.body(), limits);
                  if (!parts) return parts.error();
                  const api::FormPart* file = nullptr;
                  bool proxied = false;
                  for (const api::FormPart& p : *parts) {
                    if (p.name == "file") {
                      if (file != nullptr) return api::invalid("file: give one zone file");
                      file = &p;
                    } else if (p.name == "proxied") {
                      if (p.data != "true" && p.data != "false")
                        return api::invalid("proxied must be true or false");
                      proxied = p.data == "true";
                    }
                  }
                  if (file == nullptr) return api::invalid("file is required: a BIND zone file");
                  auto done = svc.importZone(zone, file->data, proxied);
                  if (!done) return done.error();
                  return Reply::ok(json::object{{"recs_added", done->added},
                                         {"total_records_parsed", done->parsed}});
                });
              },
              "Import DNS records (BIND)"};
  import.json_body = false;  // multipart/form-data: the file, and `proxied`
  router.add(std::move(import));

  router.add({verb::get, "/client/v4/zones/{zone_id}/dns_records/{dns_record_id}", read, 0, false,
              [&svc, &store](Context& ctx) -> Result<Reply> {
                return api::withZone(store, ctx, [&](const store::ZoneRow& zone) -> Result<Reply> {
                  auto r = svc.get(zone, std::string(ctx.param("dns_record_id")));
                  if (!r) return r.error();
                  return Reply::ok(svc.toJson(zone, *r));
                });
              },
              "DNS record details"});

  for (verb v : {verb::put, verb::patch}) {
    router.add({v, "/client/v4/zones/{zone_id}/dns_records/{dns_record_id}", write, kBodyLimit,
                false,
                [&svc, &store, v](Context& ctx) -> Result<Reply> {
                  return api::withZone(store, ctx, [&](const store::ZoneRow& zone) -> Result<Reply> {
                    auto body = api::parseJsonObject(ctx.req.body(), false);
                    if (!body) return body.error();
                    const std::string id(ctx.param("dns_record_id"));
                    auto r = v == verb::put ? svc.replace(zone, id, *body)
                                            : svc.edit(zone, id, *body);
                    if (!r) return r.error();
                    return Reply::ok(svc.toJson(zone, *r));
                  });
                },
                v == verb::put ? "Overwrite a DNS record" : "Update a DNS record"});
  }

  router.add({verb::delete_, "/client/v4/zones/{zone_id}/dns_records/{dns_record_id}", write, 0,
              false,
              [&svc, &store](Context& ctx) -> Result<Reply> {
                return api::withZone(store, ctx, [&](const store::ZoneRow& zone) -> Result<Reply> {
                  const std::string id(ctx.param("dns_record_id"));
                  auto gone = svc.remove(zone, id);
                  if (!gone) return gone.error();
                  return Reply::ok(json::object{{"id", id}});
                });
              },
              "Delete a DNS record"});
}

}  // namespace nubis::dns
