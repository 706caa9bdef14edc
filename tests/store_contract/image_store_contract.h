// ImageStoreContractTest: the parameterized GoogleTest suite every ImageStore implementation
// must pass; the executable form of the contract in src/store/image_store.h.
//
// An implementation instantiates it with the factory of its Store (as StoreImpl, see
// store_contract.h) plus how to get the ImageStore that shares that Store's database (image rows
// name accounts, which the tests create through the Store):
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, ImageStoreContractTest,
//                            ::testing::Values(ImageStoreImpl{"sqlite", &openSqlite, &imagesOf}),
//                            imageStoreImplName);
//
// Each test gets a fresh, empty directory; reopen() drops the store and opens it again there.
//
// Thread-safety: a GoogleTest fixture; the concurrency test starts its own threads.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <tuple>

#include "store/image_store.h"
#include "store/store.h"
#include "store_contract/contract_support.h"
#include "store_contract/store_contract.h"

namespace nubis::store::contract {

struct ImageStoreImpl {
  std::string name;  // a valid GoogleTest name part: letters, digits, '_'
  StoreFactory open;
  std::function<ImageStore&(Store&)> images;  // the ImageStore over the Store's database
};

inline void PrintTo(const ImageStoreImpl& impl, std::ostream* os) { *os << impl.name; }
inline std::string imageStoreImplName(const ::testing::TestParamInfo<ImageStoreImpl>& info) {
  return info.param.name;
}

class ImageStoreContractTest : public ::testing::TestWithParam<ImageStoreImpl> {
 protected:
  void SetUp() override;
  void TearDown() override;

  Store& store() { return *store_; }
  ImageStore& images() { return GetParam().images(*store_); }
  const std::filesystem::path& dir() const { return dir_; }
  // Closes the store and opens it again over the same directory.
  void reopen();
  // The id of account n, inserted through the Store on first use.
  std::string account(int n);

 private:
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

// A complete (non-draft) image n of account_id with every column set; seq is left 0.
inline ImageRow makeImage(int n, const std::string& account_id) {
  ImageRow r;
  r.account_id = account_id;
  r.id = "img-" + std::to_string(n);
  r.filename = "photo" + std::to_string(n) + ".jpg";
  // 64 hex characters, distinct per n.
  r.content_hash = hexId(7, n) + hexId(8, n);
  r.format = "jpeg";
  r.size = 1000 + n;
  r.width = 640 + n;
  r.height = 480 + n;
  r.frames = 1;
  r.meta_json = R"({"n":)" + std::to_string(n) + "}";
  r.creator = "creator-" + std::to_string(n % 3);
  r.require_signed = n % 2 == 0;
  r.draft = false;
  r.draft_expires = 0;
  r.uploaded = kT0 + n;
  return r;
}

// A direct-creator-upload draft of account_id that expires at `expires`.
inline ImageRow makeDraft(int n, const std::string& account_id, int64_t expires) {
  ImageRow r;
  r.account_id = account_id;
  r.id = "draft-" + std::to_string(n);
  r.meta_json = R"({"draft":true})";
  r.creator = "uploader";
  r.draft = true;
  r.draft_expires = expires;
  r.uploaded = kT0 + n;
  return r;
}

inline VariantRow makeVariant(const std::string& account_id, const std::string& name, int n) {
  VariantRow v;
  v.account_id = account_id;
  v.name = name;
  v.options_json = R"({"fit":"scale-down","width":)" + std::to_string(100 + n) + "}";
  v.never_require_signed = n % 2 == 1;
  v.created = kT0 + n;
  v.modified = kT0 + n + 1;
  return v;
}

inline auto fields(const ImageRow& r) {
  return std::tie(r.account_id, r.id, r.filename, r.content_hash, r.format, r.size, r.width,
                  r.height, r.frames, r.meta_json, r.creator, r.require_signed, r.draft,
                  r.draft_expires, r.uploaded, r.seq);
}
inline auto fields(const VariantRow& r) {
  return std::tie(r.account_id, r.name, r.options_json, r.never_require_signed, r.created,
                  r.modified);
}
inline auto fields(const SigningKeyRow& r) {
  return std::tie(r.account_id, r.name, r.value, r.created);
}
inline auto fields(const ImagesConfigRow& r) {
  return std::tie(r.account_id, r.flexible_variants, r.browser_ttl);
}

}  // namespace nubis::store::contract
