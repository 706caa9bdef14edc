// ImagesService: Cloudflare Images for one Nubis installation — upload (file, URL, direct creator
// upload), manage, variants, signing keys, account config. Blocking: every method runs on the
// worker pool (SQLite, fsync, libvips, URL fetches). Routes (image_routes.cc) and delivery
// (delivery.cc) are the only callers; permission checks happen before, in the dispatcher.
//
// Thread-safety: safe from any thread once constructed and setDeliveryBase() was called.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "api/multipart.h"
#include "api/query.h"
#include "base/clock.h"
#include "base/random.h"
#include "base/result.h"
#include "images/fetch/fetch.h"
#include "images/hot_cache.h"
#include "images/pipeline/pipeline.h"
#include "store/fs/blob_store.h"
#include "store/fs/variant_cache.h"
#include "store/image_store.h"
#include "store/store.h"

namespace nubis::images {

struct ImagesSettings {
  pipeline::Limits limits;
  FetchPolicy fetch;
  int64_t allowance = 100000;  // stats.count.allowed
};

// An upload's fields, read from the multipart form (file xor url).
struct UploadInput {
  std::optional<std::string> file;
  std::string filename;
  std::optional<std::string> url;
  std::optional<std::string> id;
  boost::json::object metadata;
  bool require_signed = false;
  std::optional<std::string> creator;
  std::optional<int64_t> expiry_micros;  // direct upload only
};

// What a v2 list page carries besides the images.
struct ListPage {
  std::vector<store::ImageRow> images;
  std::optional<std::string> continuation_token;
};

class ImagesService {
 public:
  ImagesService(store::Store& store, store::ImageStore& images, store::BlobStore& blobs,
                store::VariantCache& cache, const Clock& clock, Random& rng,
                ImagesSettings settings);

  // The base of delivery URLs ("http://127.0.0.1:8701"), known once the listener is bound.
  void setDeliveryBase(std::string base) { delivery_base_ = std::move(base); }
  const std::string& deliveryBase() const { return delivery_base_; }

  // Multipart form -> UploadInput. `direct_upload`: the v2 direct_upload creation form (no file,
  // no url, an `expiry`); `client_upload`: the one-time uploadURL form (only `file`).
  enum class FormKind { kUpload, kDirectUpload, kClientUpload };
  Result<UploadInput> readForm(std::string_view content_type, std::string_view body,
                               FormKind kind) const;

  Result<store::ImageRow> upload(const std::string& account_id, UploadInput in);
  // Creates the draft and answers {id, uploadURL}.
  Result<boost::json::object> createDirectUpload(const std::string& account_id, UploadInput in);
  // The unauthenticated POST to the uploadURL.
  Result<store::ImageRow> completeDirectUpload(const std::string& account_hash,
                                               const std::string& id, UploadInput in);

  // Drafts are visible here (with draft: true) until they expire.
  Result<store::ImageRow> get(const std::string& account_id, const std::string& id);
  Result<std::vector<store::ImageRow>> listV1(const std::string& account_id,
                                              const api::Query& query);
  Result<ListPage> listV2(const std::string& account_id, const api::Query& query);
  Result<store::ImageRow> patch(const std::string& account_id, const std::string& id,
                                const boost::json::object& body);
  Status remove(const std::string& account_id, const std::string& id);
  // The original bytes and their media type.
  Result<std::pair<std::string, std::string>> blob(const std::string& account_id,
                                                   const std::string& id);
  Result<boost::json::object> stats(const std::string& account_id);

  // Variants: {variants: {...}}, {variant: {...}}.
  Result<boost::json::object> listVariants(const std::string& account_id);
  Result<boost::json::object> getVariant(const std::string& account_id, const std::string& name);
  Result<boost::json::object> createVariant(const std::string& account_id,
                                            const boost::json::object& body);
  Result<boost::json::object> patchVariant(const std::string& account_id, const std::string& name,
                                           const boost::json::object& body);
  Status deleteVariant(const std::string& account_id, const std::string& name);

  // Signing keys: {keys: [{name, value}]}.
  Result<boost::json::object> listKeys(const std::string& account_id);
  Result<boost::json::object> putKey(const std::string& account_id, const std::string& name);
  Result<boost::json::object> deleteKey(const std::string& account_id, const std::string& name);

  Result<boost::json::object> patchConfig(const std::string& account_id,
                                          const boost::json::object& body);
  Result<store::ImagesConfigRow> config(const std::string& account_id);

  // The Image object of the API.
  boost::json::object toJson(const store::ImageRow& row, const std::string& account_hash,
                             const std::vector<std::string>& variant_names) const;
  // toJson with the account's hash and variant names looked up (once for a whole list).
  Result<boost::json::object> imageJson(const store::ImageRow& row);
  Result<boost::json::array> imagesJson(const std::string& account_id,
                                        const std::vector<store::ImageRow>& rows);

  // For delivery.
  Result<std::optional<store::AccountRow>> accountByHash(const std::string& hash);
  store::ImageStore& imageStore() { return images_; }
  store::BlobStore& blobs() { return blobs_; }
  store::VariantCache& cache() { return cache_; }
  HotCache& hot() { return hot_; }
  // Drops every cached rendering (disk and memory) carrying `tag`: "img:<account>/<id>",
  // "var:<account>/<name>", "acct:<account>".
  void purge(const std::string& tag);
  const ImagesSettings& settings() const { return settings_; }
  const Clock& clock() const { return clock_; }
  // Creates the built-in `public` variant and the `default` signing key on first use.
  Status ensureDefaults(const std::string& account_id);

 private:
  Result<store::ImageRow> ingest(const std::string& account_id, store::ImageRow row,
                                 UploadInput& in, bool complete_draft);
  std::mutex& stripe(const std::string& content_hash);
  // The row an upload or a direct upload starts from: custom-ID rules, or a fresh UUID.
  Result<store::ImageRow> newRow(const std::string& account_id, const UploadInput& in);
  Result<std::string> accountHash(const std::string& account_id);
  // The account hash and the variant names (`public` first) every Image object shows.
  Result<std::pair<std::string, std::vector<std::string>>> urlParts(const std::string& account_id);

  store::Store& store_;
  store::ImageStore& images_;
  store::BlobStore& blobs_;
  store::VariantCache& cache_;
  const Clock& clock_;
  Random& rng_;
  ImagesSettings settings_;
  std::string delivery_base_;
  HotCache hot_{64ULL << 20, 2ULL << 20};
  // Blob creation and removal for one content hash never interleave (an upload reusing bytes
  // that a concurrent delete is about to remove).
  std::mutex stripes_[64];
  std::mutex defaults_mu_;
  std::unordered_set<std::string> defaults_done_;
  std::mutex rng_mu_;
};

}  // namespace nubis::images
