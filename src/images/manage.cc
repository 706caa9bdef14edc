// Reading and changing stored images: get, the two lists, PATCH, DELETE, blob, stats, and the
// Image object of the API.
#include <limits>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>

#include "api/errors.h"
#include "api/fields.h"
#include "api/pagination.h"
#include "base/time_util.h"
#include "images/custom_id.h"
#include "images/images_service.h"
#include "images/internal.h"
#include "images/meta_filter.h"

namespace nubis::images {
namespace json = boost::json;
using api::Err;

namespace {
ApiError bad(std::string message) { return api::error(Err::ImageBadRequest, message); }

// "2021-09-14T05:52:14.767Z": images carry milliseconds (IMAGES.md A.1).
std::string millis(int64_t micros) {
  std::string s = timeutil::formatMicros(micros);  // ...SS.uuuuuuZ
  return s.substr(0, s.size() - 4) + "Z";
}

bool expiredDraft(const store::ImageRow& row, int64_t now) {
  return row.draft && row.draft_expires < now;
}
}  // namespace

ImagesService::ImagesService(store::Store& store, store::ImageStore& images,
                             store::BlobStore& blobs, store::VariantCache& cache,
                             const Clock& clock, Random& rng, ImagesSettings settings)
    : store_(store),
      images_(images),
      blobs_(blobs),
      cache_(cache),
      clock_(clock),
      rng_(rng),
      settings_(std::move(settings)) {}

void ImagesService::purge(const std::string& tag) {
  cache_.purgeTag(tag);
  hot_.purgeTag(tag);
}

Result<std::string> ImagesService::accountHash(const std::string& account_id) {
  auto acc = store_.getAccount(account_id);
  if (!acc) return acc.error();
  if (!*acc) return api::error(Err::AccountNotFound);
  return (*acc)->hash;
}

Result<std::optional<store::AccountRow>> ImagesService::accountByHash(const std::string& hash) {
  return store_.findAccountByHash(hash);
}

json::object ImagesService::toJson(const store::ImageRow& row, const std::string& account_hash,
                                   const std::vector<std::string>& variant_names) const {
  json::object o;
  o["id"] = row.id;
  o["filename"] = row.filename;
  boost::system::error_code ec;
  json::value meta = json::parse(row.meta_json, ec);
  if (!ec && meta.is_object() && !meta.as_object().empty()) o["meta"] = std::move(meta);
  if (row.creator) o["creator"] = *row.creator;
  o["uploaded"] = millis(row.uploaded);
  o["requireSignedURLs"] = row.require_signed;
  json::array variants;
  for (const auto& name : variant_names)
    variants.push_back(json::value(delivery_base_ + "/" + account_hash + "/" + row.id + "/" + name));
  o["variants"] = std::move(variants);
  if (row.draft) o["draft"] = true;
  return o;
}

Result<std::pair<std::string, std::vector<std::string>>> ImagesService::urlParts(
    const std::string& account_id) {
  auto hash = accountHash(account_id);
  if (!hash) return hash.error();
  auto vs = images_.listVariants(account_id);
  if (!vs) return vs.error();
  // `public` first, as in Cloudflare's responses; then the others by name.
  std::vector<std::string> names;
  for (const auto& v : *vs) {
    if (v.name == "public") names.insert(names.begin(), v.name);
    else names.push_back(v.name);
  }
  return std::make_pair(std::move(*hash), std::move(names));
}

Result<json::object> ImagesService::imageJson(const store::ImageRow& row) {
  auto parts = urlParts(row.account_id);
  if (!parts) return parts.error();
  return toJson(row, parts->first, parts->second);
}

Result<json::array> ImagesService::imagesJson(const std::string& account_id,
                                              const std::vector<store::ImageRow>& rows) {
  auto parts = urlParts(account_id);
  if (!parts) return parts.error();
  json::array arr;
  arr.reserve(rows.size());
  for (const auto& r : rows) arr.push_back(toJson(r, parts->first, parts->second));
  return arr;
}

Result<store::ImageRow> ImagesService::get(const std::string& account_id, const std::string& id) {
  auto row = images_.getImage(account_id, id);
  if (!row) return row.error();
  if (!*row || expiredDraft(**row, clock_.nowMicros())) return api::error(Err::ImageNotFound);
  return **row;
}

Result<std::vector<store::ImageRow>> ImagesService::listV1(const std::string& account_id,
                                                           const api::Query& query) {
  for (const auto& [k, v] : query.items())
    if (k != "page" && k != "per_page" && k != "creator")
      return bad("unknown query parameter " + k);
  auto page = api::parsePage(query, {10, 10000, 1000});
  if (!page) return page.error();
  store::ImageStore::ImageQuery q;
  q.account_id = account_id;
  if (auto c = query.get("creator")) q.creator = std::string(*c);
  q.ascending = false;
  // A page far past the end (beyond int64) is empty, not page 1 again.
  if (__builtin_mul_overflow(page->page - 1, page->per_page, &q.offset)) {
    q.offset = std::numeric_limits<int64_t>::max();
  }
  q.limit = static_cast<int>(page->per_page);
  return images_.listImages(q);
}

Result<ListPage> ImagesService::listV2(const std::string& account_id, const api::Query& query) {
  store::ImageStore::ImageQuery q;
  q.account_id = account_id;
  q.limit = 1000;
  for (const auto& [k, v] : query.items()) {
    if (k == "per_page") {
      int64_t n = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc() || p != v.data() + v.size() || n < 10 || n > 10000)
        return bad("per_page must be an integer between 10 and 10000");
      q.limit = static_cast<int>(n);
    } else if (k == "sort_order") {
      if (v != "asc" && v != "desc") return bad("sort_order must be asc or desc");
      q.ascending = v == "asc";
    } else if (k == "creator") {
      q.creator = v;
    } else if (k == "continuation_token") {
      if (v.empty()) continue;
      auto seq = decodeContinuation(v);
      if (!seq) return bad("continuation_token is not one this server issued");
      q.after_seq = *seq;
    } else if (k.starts_with("meta.")) {
      // parsed together below
    } else {
      return bad("unknown query parameter " + k);
    }
  }
  auto filters = parseMetaFilters(query);
  if (!filters) return filters.error();
  q.meta = std::move(*filters);
  // One more than asked tells whether a next page exists without a second query.
  const int want = q.limit;
  q.limit = want + 1;
  auto rows = images_.listImages(q);
  if (!rows) return rows.error();
  ListPage page;
  if (static_cast<int>(rows->size()) > want) {
    rows->resize(static_cast<size_t>(want));
    page.continuation_token = encodeContinuation(rows->back().seq);
  }
  page.images = std::move(*rows);
  return page;
}

Result<store::ImageRow> ImagesService::patch(const std::string& account_id, const std::string& id,
                                             const json::object& body) {
  auto current = get(account_id, id);
  if (!current) return current.error();
  store::ImageRow row = *current;
  for (const auto& [k, v] : body) {
    if (k == "metadata") {
      if (!v.is_object()) return api::invalid("metadata must be a JSON object");
      if (auto st = checkMetadata(v.as_object()); !st) return st.error();
      row.meta_json = json::serialize(v);  // replaces, never merges (IMAGES.md A.1)
    } else if (k == "requireSignedURLs") {
      if (!v.is_bool()) return api::invalid("requireSignedURLs must be a boolean");
      row.require_signed = v.as_bool();
    } else if (k == "creator") {
      if (v.is_null()) {
        row.creator.reset();
      } else if (!v.is_string() || v.as_string().size() > 1024) {
        return api::invalid("creator must be a string of at most 1024 bytes");
      } else {
        row.creator = std::string(v.as_string());
      }
    } else {
      return api::invalid("unknown field " + std::string(k));
    }
  }
  if (row.require_signed && !current->require_signed && !isUuid(row.id))
    return api::error(Err::CustomIdPrivate);
  auto updated = images_.updateImage(row);
  if (!updated) return updated.error();
  if (!*updated) return api::error(Err::ImageNotFound);
  // Access changed: every cached rendering goes (IMAGES.md A.10).
  if (row.require_signed != current->require_signed)
    purge("img:" + account_id + "/" + id);
  return row;
}

Status ImagesService::remove(const std::string& account_id, const std::string& id) {
  auto gone = images_.deleteImage(account_id, id);
  if (!gone) return gone.error();
  if (!*gone) return api::error(Err::ImageNotFound);
  purge("img:" + account_id + "/" + id);
  const std::string& hash = (*gone)->content_hash;
  if (!hash.empty()) {
    std::lock_guard lock(stripe(hash));
    auto refs = images_.countBlobRefs(hash);
    if (!refs) return refs.error();
    if (*refs == 0) {
      if (auto st = blobs_.remove(hash); !st) return st.error();
    }
  }
  return Ok{};
}

Result<std::pair<std::string, std::string>> ImagesService::blob(const std::string& account_id,
                                                                const std::string& id) {
  auto row = get(account_id, id);
  if (!row) return row.error();
  if (row->draft) return api::error(Err::ImageNotFound);
  auto bytes = blobs_.get(row->content_hash);
  if (!bytes) return bytes.error();
  if (!*bytes) return ApiError::internal("original of image " + id + " is missing");
  return std::make_pair(std::move(**bytes),
                        std::string(pipeline::mimeType(formatFromName(row->format))));
}

Result<json::object> ImagesService::stats(const std::string& account_id) {
  auto n = images_.countImages(account_id);
  if (!n) return n.error();
  return json::object{{"count", json::object{{"allowed", settings_.allowance}, {"current", *n}}}};
}

}  // namespace nubis::images
