// ImageStore: the repository interface for Cloudflare Images records (images, named variants,
// URL-signing keys, per-account config). Image bytes are not here: they live in the BlobStore
// (store/fs), addressed by ImageRow::content_hash.
//
// Contract, checked by tests/store_contract/image_store_contract*.cc for every implementation,
// on top of the one in store.h (durable before success, unique conflicts as `false`, I/O
// failures as ApiError::internal, transaction() all or nothing):
// - Drafts (direct creator uploads not yet received) are visible to getImage, updateImage,
//   deleteImage and completeDraft only: never listed, never counted.
// - seq is assigned by the store, strictly increasing over the whole store, on insertImage and
//   again on completeDraft, so that ordering by seq is upload order. It is never reused.
// - Meta filters run inside the query (not over a whole scope in memory); their paths are
//   checked (names [A-Za-z0-9_]{1,100}, depth 1..5) and their values bound, never spliced.
//   A filter the store cannot run safely is refused with ApiError::internal: callers validate
//   first and report their own 4xx.
// - Removing bytes is the caller's job: delete the row, then countBlobRefs; callers serialize
//   "put bytes + insert" against "delete + count + remove bytes" for one hash.
// Thread-safety: as Store: safe from any thread; calls block on I/O, so run them on the worker
// pool.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/rows.h"

namespace nubis::store {

class ImageStore {
 public:
  virtual ~ImageStore() = default;

  // Runs fn inside one transaction. fn's failure (or exception) rolls everything back; nested
  // calls undo only their own writes on failure.
  virtual Status transaction(const std::function<Status(ImageStore&)>& fn) = 0;

  // ---- images

  // Sets row.seq when written; false (and row.seq untouched) if (account_id, id) exists,
  // draft or not.
  virtual Result<bool> insertImage(ImageRow& row) = 0;
  virtual Result<std::optional<ImageRow>> getImage(const std::string& account_id,
                                                   const std::string& id) = 0;
  // Writes meta_json, creator, require_signed and filename only (drafts too); false if gone.
  virtual Result<bool> updateImage(const ImageRow& row) = 0;
  // The bytes arrived for a draft: writes filename, content_hash, format, size, width, height,
  // frames and uploaded, clears draft and draft_expires and assigns a new seq. Only while the row
  // is still a draft and row.uploaded < its draft_expires; false otherwise (gone, completed or
  // expired). Other columns (meta, creator, require_signed) keep what the draft was given.
  virtual Result<bool> completeDraft(const ImageRow& row) = 0;
  // The deleted row (drafts too), or nullopt if there was none.
  virtual Result<std::optional<ImageRow>> deleteImage(const std::string& account_id,
                                                      const std::string& id) = 0;
  // How many rows (of any account, drafts excluded as they have no bytes) use these bytes.
  virtual Result<int64_t> countBlobRefs(const std::string& content_hash) = 0;

  // One condition on the metadata JSON: meta.a.b[op:type]=value (IMAGES.md §A.4).
  struct MetaFilter {
    std::vector<std::string> path;  // meta.a.b -> {"a","b"}; names [A-Za-z0-9_]{1,100}, depth <= 5
    // kGt..kLte order numbers (kAny means kNumber there); kIn matches any of values.
    enum class Op { kEq, kGt, kGte, kLt, kLte, kIn } op = Op::kEq;
    // Which JSON type may match. kString compares text, kNumber numerically, kBoolean against
    // "true"/"false". kAny (no suffix) matches a string equal to the text, a number equal to it
    // read as a number, or a boolean equal to it read as true/false. A value that cannot be
    // read as the type matches nothing of that type.
    enum class Type { kAny, kString, kNumber, kBoolean } type = Type::kAny;
    std::vector<std::string> values;  // raw texts: exactly 1, or 1..10 for kIn
  };
  static constexpr size_t kMaxMetaFilters = 5, kMaxMetaDepth = 5, kMaxMetaName = 100,
                          kMaxInValues = 10;

  struct ImageQuery {
    std::string account_id;
    std::optional<std::string> creator;  // nullopt = any; "" = images with no creator
    bool ascending = false;              // by seq (= upload order)
    std::optional<int64_t> after_seq;    // keyset: strictly after this seq in the sort direction
    int64_t offset = 0;                  // v1 paging (rows skipped after the other conditions)
    int limit = 100;                     // <= 0 lists nothing
    std::vector<MetaFilter> meta;        // all must hold; at most kMaxMetaFilters
  };
  // Never drafts. Cheap on large accounts: (account_id, seq) is indexed, so keyset pages cost
  // O(limit) and offset pages O(offset + limit) index steps.
  virtual Result<std::vector<ImageRow>> listImages(const ImageQuery& q) = 0;
  virtual Result<int64_t> countImages(const std::string& account_id) = 0;  // never drafts
  // Deletes drafts whose draft_expires <= now_micros; returns how many.
  virtual Result<int64_t> deleteExpiredDrafts(int64_t now_micros) = 0;

  // ---- variants (at most 100 per account is the caller's rule)

  virtual Result<std::vector<VariantRow>> listVariants(
      const std::string& account_id) = 0;  // by name
  virtual Result<std::optional<VariantRow>> getVariant(const std::string& account_id,
                                                       const std::string& name) = 0;
  virtual Result<bool> insertVariant(const VariantRow& row) = 0;  // false if it exists
  // Writes options_json, never_require_signed and modified; false if gone.
  virtual Result<bool> updateVariant(const VariantRow& row) = 0;
  virtual Result<bool> deleteVariant(const std::string& account_id, const std::string& name) = 0;

  // ---- signing keys

  // By created, then name.
  virtual Result<std::vector<SigningKeyRow>> listSigningKeys(const std::string& account_id) = 0;
  // Inserts, or replaces the value of an existing (account_id, name), keeping its created.
  virtual Status putSigningKey(const SigningKeyRow& row) = 0;
  virtual Result<bool> deleteSigningKey(const std::string& account_id, const std::string& name) = 0;

  // ---- config

  // The stored row, or the ImagesConfigRow defaults (with account_id set) when there is none.
  virtual Result<ImagesConfigRow> getImagesConfig(const std::string& account_id) = 0;
  virtual Status putImagesConfig(const ImagesConfigRow& row) = 0;  // insert or replace
};

}  // namespace nubis::store
