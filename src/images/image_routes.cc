#include "images/image_routes.h"

#include "api/errors.h"
#include "api/fields.h"
#include "auth/catalog.h"

namespace nubis::images {
namespace json = boost::json;
using api::Access;
using api::Context;
using api::Reply;
using api::Scope;
using verb = http::bhttp::verb;
namespace g = auth::groups;

namespace {

// The largest upload form: a 10 MB file plus the other fields and the multipart framing.
constexpr uint64_t kUploadBodyLimit = 10 * 1024 * 1024 + 256 * 1024;
constexpr std::string_view kPrefix = "/client/v4/accounts/{account_id}/images";

Reply ok(json::value v) {
  Reply r;
  r.result = std::move(v);
  r.null_result_info = true;  // as the Images API answers (seeds 000/001)
  return r;
}

Access access(bool write) {
  Access a;
  a.kind = Access::Kind::kGroups;
  a.scope = Scope::kAccount;
  a.groups = write ? std::vector<std::string_view>{g::kImagesWrite}
                   : std::vector<std::string_view>{g::kImagesRead, g::kImagesWrite};
  return a;
}

std::string account(const Context& ctx) { return std::string(ctx.param("account_id")); }
std::string imageId(const Context& ctx) { return std::string(ctx.param("image_id")); }

template <class F>
api::HandlerFn imageReply(ImagesService& svc, F f) {
  return [&svc, f](Context& ctx) -> Result<Reply> {
    Result<store::ImageRow> row = f(ctx);
    if (!row) return row.error();
    auto j = svc.imageJson(*row);
    if (!j) return j.error();
    return ok(std::move(*j));
  };
}

template <class F>
api::HandlerFn objectReply(F f) {
  return [f](Context& ctx) -> Result<Reply> {
    Result<json::object> o = f(ctx);
    if (!o) return o.error();
    return ok(std::move(*o));
  };
}

}  // namespace

void registerRoutes(api::Router& router, ImagesService& svc, Delivery& delivery) {
  const std::string p(kPrefix);
  auto add = [&router](verb method, std::string path, Access a, uint64_t limit, bool json_body,
                       api::HandlerFn fn, std::string summary) {
    api::Route r;
    r.body_too_large = api::Err::ImageFileTooLarge;
    r.method = method;
    r.pattern = std::move(path);
    r.access = std::move(a);
    r.body_limit = limit;
    r.handler = std::move(fn);
    r.summary = std::move(summary);
    r.json_body = json_body;
    router.add(std::move(r));
  };

  add(verb::post, p + "/v1", access(true), kUploadBodyLimit, false,
      imageReply(svc,
                 [&svc](Context& ctx) -> Result<store::ImageRow> {
                   auto in = svc.readForm(ctx.req[http::bhttp::field::content_type],
                                          ctx.req.body(), ImagesService::FormKind::kUpload);
                   if (!in) return in.error();
                   return svc.upload(account(ctx), std::move(*in));
                 }),
      "Upload an image");

  add(verb::get, p + "/v1", access(false), 0, true,
      [&svc](Context& ctx) -> Result<Reply> {
        auto rows = svc.listV1(account(ctx), ctx.query);
        if (!rows) return rows.error();
        auto arr = svc.imagesJson(account(ctx), *rows);
        if (!arr) return arr.error();
        return ok(json::object{{"images", std::move(*arr)}});
      },
      "List images (v1)");

  add(verb::get, p + "/v1/stats", access(false), 0, true,
      objectReply([&svc](Context& ctx) { return svc.stats(account(ctx)); }), "Images usage");

  add(verb::get, p + "/v1/{image_id}", access(false), 0, true,
      imageReply(svc, [&svc](Context& ctx) { return svc.get(account(ctx), imageId(ctx)); }),
      "Image details");

  add(verb::patch, p + "/v1/{image_id}", access(true), 16 * 1024, true,
      imageReply(svc,
                 [&svc](Context& ctx) -> Result<store::ImageRow> {
                   auto body = api::parseJsonObject(ctx.req.body(), true);
                   if (!body) return body.error();
                   return svc.patch(account(ctx), imageId(ctx), *body);
                 }),
      "Update an image");

  add(verb::delete_, p + "/v1/{image_id}", access(true), 0, true,
      [&svc](Context& ctx) -> Result<Reply> {
        if (auto st = svc.remove(account(ctx), imageId(ctx)); !st) return st.error();
        return ok(json::object());
      },
      "Delete an image");

  add(verb::get, p + "/v1/{image_id}/blob", access(false), 0, true,
      [&svc](Context& ctx) -> Result<Reply> {
        auto b = svc.blob(account(ctx), imageId(ctx));
        if (!b) return b.error();
        Reply r = Reply::rawText(200, std::move(b->first), std::move(b->second));
        // The original exactly as uploaded (an SVG may carry scripts) on the API's origin: never
        // sniffed, never run.
        r.headers = {{"X-Content-Type-Options", "nosniff"},
                     {"Content-Security-Policy", "default-src 'none'; sandbox"}};
        return r;
      },
      "Base image (the original bytes)");

  // Variants.
  add(verb::get, p + "/v1/variants", access(false), 0, true,
      objectReply([&svc](Context& ctx) { return svc.listVariants(account(ctx)); }),
      "List variants");
  add(verb::post, p + "/v1/variants", access(true), 16 * 1024, true,
      objectReply([&svc](Context& ctx) -> Result<json::object> {
        auto body = api::parseJsonObject(ctx.req.body(), false);
        if (!body) return body.error();
        return svc.createVariant(account(ctx), *body);
      }),
      "Create a variant");
  add(verb::get, p + "/v1/variants/{variant_id}", access(false), 0, true,
      objectReply([&svc](Context& ctx) {
        return svc.getVariant(account(ctx), std::string(ctx.param("variant_id")));
      }),
      "Variant details");
  add(verb::patch, p + "/v1/variants/{variant_id}", access(true), 16 * 1024, true,
      objectReply([&svc](Context& ctx) -> Result<json::object> {
        auto body = api::parseJsonObject(ctx.req.body(), false);
        if (!body) return body.error();
        return svc.patchVariant(account(ctx), std::string(ctx.param("variant_id")), *body);
      }),
      "Update a variant");
  add(verb::delete_, p + "/v1/variants/{variant_id}", access(true), 0, true,
      [&svc](Context& ctx) -> Result<Reply> {
        if (auto st = svc.deleteVariant(account(ctx), std::string(ctx.param("variant_id"))); !st)
          return st.error();
        return ok(json::object());
      },
      "Delete a variant");

  // Signing keys.
  add(verb::get, p + "/v1/keys", access(false), 0, true,
      objectReply([&svc](Context& ctx) { return svc.listKeys(account(ctx)); }),
      "List signing keys");
  add(verb::put, p + "/v1/keys/{signing_key_name}", access(true), 1024, true,
      objectReply([&svc](Context& ctx) {
        return svc.putKey(account(ctx), std::string(ctx.param("signing_key_name")));
      }),
      "Create a signing key");
  add(verb::delete_, p + "/v1/keys/{signing_key_name}", access(true), 0, true,
      objectReply([&svc](Context& ctx) {
        return svc.deleteKey(account(ctx), std::string(ctx.param("signing_key_name")));
      }),
      "Delete a signing key");

  // Account configuration (flexible variants, browser TTL).
  add(verb::patch, p + "/v1/config", access(true), 16 * 1024, true,
      objectReply([&svc](Context& ctx) -> Result<json::object> {
        auto body = api::parseJsonObject(ctx.req.body(), false);
        if (!body) return body.error();
        return svc.patchConfig(account(ctx), *body);
      }),
      "Update Images settings");

  // v2.
  add(verb::get, p + "/v2", access(false), 0, true,
      [&svc](Context& ctx) -> Result<Reply> {
        auto page = svc.listV2(account(ctx), ctx.query);
        if (!page) return page.error();
        auto arr = svc.imagesJson(account(ctx), page->images);
        if (!arr) return arr.error();
        json::object result{{"images", std::move(*arr)}};
        result["continuation_token"] = page->continuation_token
                                           ? json::value(*page->continuation_token)
                                           : json::value(nullptr);
        return ok(std::move(result));
      },
      "List images (v2)");
  add(verb::post, p + "/v2/direct_upload", access(true), 64 * 1024, false,
      objectReply([&svc](Context& ctx) -> Result<json::object> {
        auto in = svc.readForm(ctx.req[http::bhttp::field::content_type], ctx.req.body(),
                               ImagesService::FormKind::kDirectUpload);
        if (!in) return in.error();
        return svc.createDirectUpload(account(ctx), std::move(*in));
      }),
      "Create a direct creator upload URL");

  // Delivery on the API port, the custom-domain form. Public: signatures guard private images.
  Access pub;
  pub.kind = Access::Kind::kPublic;
  {
    add(verb::get, "/cdn-cgi/imagedelivery/{path*}", pub, 0, true,
        [&delivery](Context& ctx) -> Result<Reply> {
          constexpr std::string_view kPrefix = "/cdn-cgi/imagedelivery";
          std::string_view target = ctx.req.target();
          size_t q = target.find('?');
          DeliveryRequest dr;
          dr.head = ctx.req.method() == verb::head;
          dr.raw_path = std::string(target.substr(kPrefix.size(), q - kPrefix.size()));
          dr.raw_query = q == std::string_view::npos ? "" : std::string(target.substr(q + 1));
          dr.accept = std::string(ctx.req[http::bhttp::field::accept]);
          dr.if_none_match = std::string(ctx.req[http::bhttp::field::if_none_match]);
          dr.prefix = std::string(kPrefix);
          Delivered d = delivery.serve(dr);
          Reply r = Reply::rawText(d.status, std::move(d.body), std::move(d.content_type));
          r.headers = std::move(d.headers);
          return r;
        },
        "Image delivery (custom-domain form)");
  }
}

}  // namespace nubis::images
