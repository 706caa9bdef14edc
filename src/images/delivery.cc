#include "images/delivery.h"

#include <boost/json/parse.hpp>
#include <charconv>

#include "base/percent.h"
#include "images/internal.h"
#include "images/options/options.h"
#include "images/options/signing.h"
#include "images/options/svg_sanitize.h"
#include "store/fs/sha256.h"

namespace nubis::images {
namespace json = boost::json;

namespace {

constexpr int64_t kSwr = 7200;
constexpr int64_t kPrivateMaxAge = 3600;

std::optional<int64_t> queryParam(std::string_view query, std::string_view name) {
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view kv = query.substr(pos, amp - pos);
    if (kv.starts_with(name) && kv.size() > name.size() && kv[name.size()] == '=') {
      std::string_view v = kv.substr(name.size() + 1);
      int64_t n = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec == std::errc() && p == v.data() + v.size()) return n;
      return std::nullopt;
    }
    pos = amp + 1;
  }
  return std::nullopt;
}

// A named variant's stored options as TransformOptions, plus its browser_ttl if any.
std::pair<TransformOptions, std::optional<int64_t>> variantOptions(const store::VariantRow& v) {
  TransformOptions o;
  std::optional<int64_t> ttl;
  boost::system::error_code ec;
  json::value j = json::parse(v.options_json, ec);
  if (ec || !j.is_object()) return {o, ttl};
  const json::object& obj = j.as_object();
  if (auto* f = obj.if_contains("fit"); f && f->is_string())
    o.fit = fitFromName(f->as_string()).value_or(Fit::kScaleDown);
  if (auto* w = obj.if_contains("width"); w && w->is_int64()) o.width = static_cast<int>(w->as_int64());
  if (auto* h = obj.if_contains("height"); h && h->is_int64()) o.height = static_cast<int>(h->as_int64());
  if (auto* m = obj.if_contains("metadata"); m && m->is_string()) o.metadata = metadataFromName(m->as_string());
  if (auto* t = obj.if_contains("browser_ttl"); t && t->is_int64()) ttl = t->as_int64();
  return {o, ttl};
}

}  // namespace

std::string hotKey(std::string_view raw_path, std::string_view raw_query,
                   std::string_view accept_header) {
  pipeline::Accept a = pipeline::parseAccept(accept_header);
  std::string key;
  key.reserve(raw_path.size() + raw_query.size() + 8);
  key.append(raw_path).push_back('?');
  key.append(raw_query).push_back('|');
  key.append(a.avif ? "a" : a.webp ? "w" : "o");
  return key;
}

Delivered Delivery::error(DeliveryErr e, std::string_view detail) {
  const auto& s = spec(e);
  Delivered d;
  d.status = static_cast<unsigned>(s.http_status);
  d.content_type = "text/plain; charset=utf-8";
  d.body = "ERROR " + std::to_string(s.code) + ": " + std::string(s.message) + std::string(detail);
  d.headers.emplace_back("Cf-Resized", "err=" + std::to_string(s.code));
  d.headers.emplace_back("Cache-Control", "no-store");
  d.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return d;
}

Delivered Delivery::serve(const DeliveryRequest& req) {
  // "/<hash>/<id...>/<variant>": at least three segments; the id may contain '/'.
  std::string_view path = req.raw_path;
  if (path.size() < 2 || path.front() != '/') return error(DeliveryErr::BadPath, "empty path");
  size_t first = path.find('/', 1);
  size_t last = path.rfind('/');
  if (first == std::string_view::npos || last <= first + 1 || last + 1 >= path.size())
    return error(DeliveryErr::BadPath, "expected /<account_hash>/<image_id>/<variant>");
  auto hash = percentDecode(path.substr(1, first - 1));
  auto id = percentDecode(path.substr(first + 1, last - first - 1));
  // Flexible options are parsed from the raw segment: parseFlexible decodes each value itself,
  // so an encoded comma inside rgb(...) stays inside its value.
  const std::string_view raw_variant = path.substr(last + 1);
  auto variant = percentDecode(raw_variant);
  if (!hash || !id || !variant) return error(DeliveryErr::BadPath, "malformed percent-encoding");

  auto account = svc_.accountByHash(*hash);
  if (!account) return error(DeliveryErr::Internal);
  if (!*account) return error(DeliveryErr::WrongAccount);
  const std::string& account_id = (*account)->id;
  auto image = svc_.imageStore().getImage(account_id, *id);
  if (!image) return error(DeliveryErr::Internal);
  if (!*image || (*image)->draft) return error(DeliveryErr::NotFound);
  const store::ImageRow& row = **image;
  if (auto st = svc_.ensureDefaults(account_id); !st) return error(DeliveryErr::Internal);
  auto cfg = svc_.config(account_id);
  if (!cfg) return error(DeliveryErr::Internal);

  TransformOptions opts;
  std::optional<int64_t> variant_ttl;
  bool never_signed = false;
  std::string tag_variant;
  const bool flexible = looksLikeOptions(raw_variant);
  if (flexible) {
    if (!cfg->flexible_variants) return error(DeliveryErr::FlexibleOff);
    if (row.require_signed)
      return error(DeliveryErr::AccessDenied, "flexible variants cannot serve private images");
    auto parsed = parseFlexible(raw_variant);
    if (parsed.error) return error(DeliveryErr::BadOptions, parsed.error->message);
    opts = *parsed.options;
  } else {
    auto v = svc_.imageStore().getVariant(account_id, *variant);
    if (!v) return error(DeliveryErr::Internal);
    if (!*v) return error(DeliveryErr::NotFound);
    std::tie(opts, variant_ttl) = variantOptions(**v);
    never_signed = (*v)->never_require_signed;
    tag_variant = "var:" + account_id + "/" + *variant;
  }

  const int64_t now_s = svc_.clock().nowMicros() / 1000000;
  const bool private_image = row.require_signed && !never_signed;
  std::optional<int64_t> exp;
  if (private_image) {
    auto keys = svc_.imageStore().listSigningKeys(account_id);
    if (!keys) return error(DeliveryErr::Internal);
    std::vector<std::string> values;
    for (const auto& k : *keys) values.push_back(k.value);
    std::string why = checkSignature(req.raw_path, req.raw_query, values, now_s);
    if (!why.empty() && !req.prefix.empty())
      why = checkSignature(req.prefix + req.raw_path, req.raw_query, values, now_s).empty() ? ""
                                                                                           : why;
    if (!why.empty()) return error(DeliveryErr::AccessDenied, why);
    exp = queryParam(req.raw_query, "exp");
  }

  const pipeline::Format original = formatFromName(row.format);
  const pipeline::Accept accept = pipeline::parseAccept(req.accept);
  const bool negotiated = original != pipeline::Format::kSvg && opts.format == OutputFormat::kAuto;
  std::string bucket = !negotiated ? "-" : accept.avif ? "avif" : accept.webp ? "webp" : "orig";
  std::string key = "r1|" + account_id + "|" + row.id + "|" + row.content_hash + "|" +
                    (original == pipeline::Format::kSvg ? std::string("svg") : opts.canonical()) +
                    "|" + bucket;
  std::vector<std::string> tags{"img:" + account_id + "/" + row.id, "acct:" + account_id};
  if (!tag_variant.empty()) tags.push_back(tag_variant);

  std::string content_type, bytes;
  if (auto hit = svc_.cache().get(key)) {
    size_t nl = hit->find('\n');
    content_type = hit->substr(0, nl);
    bytes = hit->substr(nl + 1);
  } else {
    auto original_bytes = svc_.blobs().get(row.content_hash);
    if (!original_bytes || !*original_bytes) return error(DeliveryErr::Internal);
    if (original == pipeline::Format::kSvg) {
      // SVG is never resized: every variant serves the sanitised document (IMAGES.md A.12).
      std::string why;
      auto clean = sanitizeSvg(**original_bytes, &why);
      if (!clean) return error(DeliveryErr::Unsupported, why);
      bytes = std::move(*clean);
      content_type = "image/svg+xml";
    } else {
      pipeline::ProbeInfo info;
      info.format = original;
      info.width = row.width;
      info.height = row.height;
      info.frames = row.frames;
      auto rendered = pipeline::render(**original_bytes, info, opts, accept);
      if (!rendered) {
        using F = pipeline::Failure;
        switch (rendered.error().kind) {
          case F::kTooLarge:
          case F::kTooManyPixels:
          case F::kAnimationTooLarge: return error(DeliveryErr::TooLarge, rendered.error().message);
          case F::kBusy: return error(DeliveryErr::Busy);
          case F::kNotRenderable:
          case F::kUnsupportedFormat: return error(DeliveryErr::Unsupported, rendered.error().message);
          default: return error(DeliveryErr::Encode, rendered.error().message);
        }
      }
      bytes = std::move(rendered->bytes);
      content_type = opts.format == OutputFormat::kJson ? "application/json"
                                                        : std::string(pipeline::mimeType(rendered->format));
    }
    svc_.cache().put(key, tags, content_type + "\n" + bytes);
  }

  Delivered d;
  d.content_type = content_type;
  std::string etag = "\"" + store::sha256Hex(key + "|" + content_type).substr(0, 32) + "\"";
  d.headers.emplace_back("ETag", etag);
  if (private_image) {
    int64_t max_age = kPrivateMaxAge;
    if (exp) max_age = std::clamp<int64_t>(*exp - now_s, 0, kPrivateMaxAge);
    d.headers.emplace_back("Cache-Control", "private, max-age=" + std::to_string(max_age));
  } else {
    int64_t ttl = variant_ttl.value_or(cfg->browser_ttl);
    d.headers.emplace_back("Cache-Control", "public, max-age=" + std::to_string(ttl) +
                                                ", stale-while-revalidate=" + std::to_string(kSwr));
  }
  if (negotiated) d.headers.emplace_back("Vary", "Accept");
  d.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (original == pipeline::Format::kSvg)
    d.headers.emplace_back("Content-Security-Policy",
                           "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox");
  // If-None-Match: a list of tags, or "*".
  if (!req.if_none_match.empty() &&
      (req.if_none_match == "*" || req.if_none_match.find(etag) != std::string::npos)) {
    d.status = 304;
    return d;
  }
  d.body = std::move(bytes);  // HEAD: the transport sends the headers only
  d.shareable = !private_image;
  d.tags = std::move(tags);
  return d;
}

}  // namespace nubis::images
