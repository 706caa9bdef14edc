// Named variants, signing keys and the account's Images config. Every account has a `public`
// variant and a `default` signing key from its first Images call on (IMAGES.md A.6, A.7).
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/errors.h"
#include "images/images_service.h"
#include "images/options/options.h"
#include "images/options/signing.h"

namespace nubis::images {
namespace json = boost::json;
using api::Err;

namespace {

constexpr size_t kMaxVariants = 100;
constexpr int64_t kMinTtl = 3600, kMaxTtl = 31536000;

// `public`: the image at its own size (never enlarged), re-encoded, metadata stripped.
constexpr std::string_view kPublicOptions =
    R"({"fit":"scale-down","width":12000,"height":12000,"metadata":"none"})";

bool validVariantName(std::string_view s) {
  if (s.empty() || s.size() > 99) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  return true;
}

bool validKeyName(std::string_view s) {
  if (s.empty() || s.size() > 20) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  return true;
}

// Validates a variant's `options` and returns it normalised (exactly the schema's fields, plus
// browser_ttl when given).
Result<json::object> readOptions(const json::value* v) {
  if (!v) return api::invalid("options is required");
  if (!v->is_object()) return api::invalid("options must be an object");
  const json::object& o = v->as_object();
  json::object out;
  for (const auto& [k, val] : o)
    if (k != "fit" && k != "width" && k != "height" && k != "metadata" && k != "browser_ttl")
      return api::invalid("options." + std::string(k) + " is not a variant option");
  const json::value* fit = o.if_contains("fit");
  if (!fit || !fit->is_string() || !fitFromName(fit->as_string()) ||
      fit->as_string() == "squeeze")
    return api::invalid("options.fit must be one of scale-down, contain, cover, crop, pad");
  out["fit"] = *fit;
  for (const char* dim : {"width", "height"}) {
    const json::value* d = o.if_contains(dim);
    int64_t n = 0;
    if (d && d->is_int64()) n = d->as_int64();
    else if (d && d->is_uint64() && d->as_uint64() <= 12000) n = static_cast<int64_t>(d->as_uint64());
    else if (d && d->is_double() && d->as_double() == static_cast<double>(static_cast<int64_t>(d->as_double())) &&
             d->as_double() >= 1 && d->as_double() <= 12000)
      n = static_cast<int64_t>(d->as_double());
    if (!d || n < 1 || n > 12000)
      return api::invalid(std::string("options.") + dim + " must be an integer from 1 to 12000");
    out[dim] = n;
  }
  const json::value* md = o.if_contains("metadata");
  if (!md || !md->is_string() || !metadataFromName(md->as_string()))
    return api::invalid("options.metadata must be one of keep, copyright, none");
  out["metadata"] = *md;
  if (const json::value* ttl = o.if_contains("browser_ttl")) {
    if (!ttl->is_int64() || ttl->as_int64() < kMinTtl || ttl->as_int64() > kMaxTtl)
      return api::invalid("options.browser_ttl must be an integer from 3600 to 31536000");
    out["browser_ttl"] = *ttl;
  }
  return out;
}

json::object variantJson(const store::VariantRow& v) {
  boost::system::error_code ec;
  json::value opts = json::parse(v.options_json, ec);
  json::object o{{"id", v.name}, {"options", ec ? json::value(json::object()) : opts}};
  o["neverRequireSignedURLs"] = v.never_require_signed;
  return o;
}

}  // namespace

Status ImagesService::ensureDefaults(const std::string& account_id) {
  {
    std::lock_guard lock(defaults_mu_);
    if (defaults_done_.count(account_id)) return Ok{};
  }
  const int64_t now = clock_.nowMicros();
  auto v = images_.getVariant(account_id, "public");
  if (!v) return v.error();
  // Only an account's first Images call creates `public`: one that deleted it keeps it deleted.
  auto keys = images_.listSigningKeys(account_id);
  if (!keys) return keys.error();
  auto marker = store_.getMeta("images_init:" + account_id);
  if (!marker) return marker.error();
  if (!*marker) {
    if (!*v) {
      store::VariantRow row{account_id, "public", std::string(kPublicOptions), false, now, now};
      auto ins = images_.insertVariant(row);
      if (!ins) return ins.error();
    }
    if (auto st = store_.setMeta("images_init:" + account_id, "1"); !st) return st.error();
  }
  if (keys->empty()) {
    uint8_t raw[32];
    {
      std::lock_guard lock(rng_mu_);
      rng_.fill(raw, sizeof raw);
    }
    store::SigningKeyRow key{account_id, "default", makeSigningKey(raw), now};
    if (auto st = images_.putSigningKey(key); !st) return st.error();
  }
  std::lock_guard lock(defaults_mu_);
  defaults_done_.insert(account_id);
  return Ok{};
}

Result<json::object> ImagesService::listVariants(const std::string& account_id) {
  if (auto st = ensureDefaults(account_id); !st) return st.error();
  auto vs = images_.listVariants(account_id);
  if (!vs) return vs.error();
  json::object map;
  for (const auto& v : *vs) map[v.name] = variantJson(v);
  return json::object{{"variants", std::move(map)}};
}

Result<json::object> ImagesService::getVariant(const std::string& account_id,
                                               const std::string& name) {
  if (auto st = ensureDefaults(account_id); !st) return st.error();
  auto v = images_.getVariant(account_id, name);
  if (!v) return v.error();
  if (!*v) return api::error(Err::VariantNotFound);
  return json::object{{"variant", variantJson(**v)}};
}

Result<json::object> ImagesService::createVariant(const std::string& account_id,
                                                  const json::object& body) {
  if (auto st = ensureDefaults(account_id); !st) return st.error();
  for (const auto& [k, v] : body)
    if (k != "id" && k != "options" && k != "neverRequireSignedURLs")
      return api::invalid("unknown field " + std::string(k));
  const json::value* id = body.if_contains("id");
  if (!id || !id->is_string() || !validVariantName(id->as_string()))
    return api::invalid("id must be 1 to 99 letters or digits");
  auto opts = readOptions(body.if_contains("options"));
  if (!opts) return opts.error();
  bool never = false;
  if (const json::value* n = body.if_contains("neverRequireSignedURLs")) {
    if (!n->is_bool()) return api::invalid("neverRequireSignedURLs must be a boolean");
    never = n->as_bool();
  }
  auto existing = images_.listVariants(account_id);
  if (!existing) return existing.error();
  if (existing->size() >= kMaxVariants) return api::error(Err::VariantLimit);
  const int64_t now = clock_.nowMicros();
  store::VariantRow row{account_id, std::string(id->as_string()), json::serialize(*opts), never,
                        now, now};
  auto ins = images_.insertVariant(row);
  if (!ins) return ins.error();
  if (!*ins) return api::error(Err::VariantExists);
  return json::object{{"variant", variantJson(row)}};
}

Result<json::object> ImagesService::patchVariant(const std::string& account_id,
                                                 const std::string& name,
                                                 const json::object& body) {
  if (auto st = ensureDefaults(account_id); !st) return st.error();
  for (const auto& [k, v] : body)
    if (k != "options" && k != "neverRequireSignedURLs")
      return api::invalid("unknown field " + std::string(k));
  auto cur = images_.getVariant(account_id, name);
  if (!cur) return cur.error();
  if (!*cur) return api::error(Err::VariantNotFound);
  store::VariantRow row = **cur;
  auto opts = readOptions(body.if_contains("options"));
  if (!opts) return opts.error();
  row.options_json = json::serialize(*opts);
  if (const json::value* n = body.if_contains("neverRequireSignedURLs")) {
    if (!n->is_bool()) return api::invalid("neverRequireSignedURLs must be a boolean");
    row.never_require_signed = n->as_bool();
  }
  row.modified = clock_.nowMicros();
  auto up = images_.updateVariant(row);
  if (!up) return up.error();
  if (!*up) return api::error(Err::VariantNotFound);
  purge("var:" + account_id + "/" + name);
  return json::object{{"variant", variantJson(row)}};
}

Status ImagesService::deleteVariant(const std::string& account_id, const std::string& name) {
  if (auto st = ensureDefaults(account_id); !st) return st.error();
  auto del = images_.deleteVariant(account_id, name);
  if (!del) return del.error();
  if (!*del) return api::error(Err::VariantNotFound);
  purge("var:" + account_id + "/" + name);
  return Ok{};
}

namespace {
Result<json::object> keysJson(store::ImageStore& images, const std::string& account_id) {
  auto keys = images.listSigningKeys(account_id);
  if (!keys) return keys.error();
  json::array arr;
  for (const auto& k : *keys) arr.push_back(json::object{{"name", k.name}, {"value", k.value}});
  return json::object{{"keys", std::move(arr)}};
}
}  // namespace

Result<json::object> ImagesService::listKeys(const std::string& account_id) {
  if (auto st = ensureDefaults(account_id); !st) return st.error();
  return keysJson(images_, account_id);
}

Result<json::object> ImagesService::putKey(const std::string& account_id,
                                           const std::string& name) {
  if (auto st = ensureDefaults(account_id); !st) return st.error();
  if (!validKeyName(name))
    return api::invalid("signing key name must be 1 to 20 letters, digits, _ or -");
  uint8_t raw[32];
  {
    std::lock_guard lock(rng_mu_);
    rng_.fill(raw, sizeof raw);
  }
  store::SigningKeyRow key{account_id, name, makeSigningKey(raw), clock_.nowMicros()};
  if (auto st = images_.putSigningKey(key); !st) return st.error();
  return keysJson(images_, account_id);
}

Result<json::object> ImagesService::deleteKey(const std::string& account_id,
                                              const std::string& name) {
  if (auto st = ensureDefaults(account_id); !st) return st.error();
  auto del = images_.deleteSigningKey(account_id, name);
  if (!del) return del.error();
  if (!*del) return api::error(Err::SigningKeyNotFound);
  // Deleting the last key makes a fresh `default` appear (IMAGES.md A.1).
  auto keys = images_.listSigningKeys(account_id);
  if (!keys) return keys.error();
  if (keys->empty()) {
    uint8_t raw[32];
    {
      std::lock_guard lock(rng_mu_);
      rng_.fill(raw, sizeof raw);
    }
    store::SigningKeyRow key{account_id, "default", makeSigningKey(raw), clock_.nowMicros()};
    if (auto st = images_.putSigningKey(key); !st) return st.error();
  }
  return keysJson(images_, account_id);
}

Result<store::ImagesConfigRow> ImagesService::config(const std::string& account_id) {
  return images_.getImagesConfig(account_id);
}

Result<json::object> ImagesService::patchConfig(const std::string& account_id,
                                                const json::object& body) {
  auto cfg = images_.getImagesConfig(account_id);
  if (!cfg) return cfg.error();
  store::ImagesConfigRow row = *cfg;
  row.account_id = account_id;
  for (const auto& [k, v] : body) {
    if (k == "flexible_variants") {
      if (!v.is_bool()) return api::invalid("flexible_variants must be a boolean");
      row.flexible_variants = v.as_bool();
    } else if (k == "browser_ttl") {
      if (!v.is_int64() || v.as_int64() < kMinTtl || v.as_int64() > kMaxTtl)
        return api::invalid("browser_ttl must be an integer from 3600 to 31536000");
      row.browser_ttl = v.as_int64();
    } else {
      return api::invalid("unknown field " + std::string(k));
    }
  }
  if (auto st = images_.putImagesConfig(row); !st) return st.error();
  // The TTL is in the cached responses' headers and the flexible switch decides what may be
  // served: the account's in-memory responses go (the rendered bytes on disk stay valid).
  hot_.purgeTag("acct:" + account_id);
  return json::object{{"flexible_variants", row.flexible_variants},
                      {"browser_ttl", row.browser_ttl}};
}

}  // namespace nubis::images
