// SqliteImageStore: the ImageStore over the same SQLite database, connection and mutex as one
// SqliteStore, which owns it and hands it out as SqliteStore::images(). Tables come from
// migration 0002_images.sql.
//
// Semantics beyond image_store.h (the contract suite in tests/store_contract pins them):
// - Rows naming an account that does not exist are an error (foreign keys), like zones.
// - meta_json must be valid JSON (a CHECK); anything else is an error, not a silent store.
// - Writes that take two statements (seq counter + row) run in one transaction; a call made
//   inside SqliteStore::transaction() or this transaction() joins it.
//
// Thread-safety: safe from any thread; every call holds the owner's recursive mutex, and
// transaction(fn) is the owner's transaction (fn gets this ImageStore). Calls block on disk I/O.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "store/image_store.h"
#include "store/rows.h"

namespace nubis::store::sqlite {

class Connection;
class SqliteStore;

class SqliteImageStore final : public ImageStore {
 public:
  // Built by SqliteStore, which outlives it; conn and mu are the owner's.
  SqliteImageStore(SqliteStore& owner, Connection& conn, std::recursive_mutex& mu)
      : owner_(owner), conn_(conn), mu_(mu) {}
  SqliteImageStore(const SqliteImageStore&) = delete;
  SqliteImageStore& operator=(const SqliteImageStore&) = delete;

  // ImageStore
  Status transaction(const std::function<Status(ImageStore&)>& fn) override;

  Result<bool> insertImage(ImageRow& row) override;
  Result<std::optional<ImageRow>> getImage(const std::string& account_id,
                                           const std::string& id) override;
  Result<bool> updateImage(const ImageRow& row) override;
  Result<bool> completeDraft(const ImageRow& row) override;
  Result<std::optional<ImageRow>> deleteImage(const std::string& account_id,
                                              const std::string& id) override;
  Result<int64_t> countBlobRefs(const std::string& content_hash) override;
  Result<std::vector<ImageRow>> listImages(const ImageQuery& q) override;
  Result<int64_t> countImages(const std::string& account_id) override;
  Result<int64_t> deleteExpiredDrafts(int64_t now_micros) override;

  Result<std::vector<VariantRow>> listVariants(const std::string& account_id) override;
  Result<std::optional<VariantRow>> getVariant(const std::string& account_id,
                                               const std::string& name) override;
  Result<bool> insertVariant(const VariantRow& row) override;
  Result<bool> updateVariant(const VariantRow& row) override;
  Result<bool> deleteVariant(const std::string& account_id, const std::string& name) override;

  Result<std::vector<SigningKeyRow>> listSigningKeys(const std::string& account_id) override;
  Status putSigningKey(const SigningKeyRow& row) override;
  Result<bool> deleteSigningKey(const std::string& account_id, const std::string& name) override;

  Result<ImagesConfigRow> getImagesConfig(const std::string& account_id) override;
  Status putImagesConfig(const ImagesConfigRow& row) override;

 private:
  // The next value of the image_seq counter; the caller is inside a transaction.
  Result<int64_t> nextSeq();

  SqliteStore& owner_;
  Connection& conn_;  // guarded by mu_
  std::recursive_mutex& mu_;
};

}  // namespace nubis::store::sqlite
