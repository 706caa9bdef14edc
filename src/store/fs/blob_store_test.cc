#include "store/fs/blob_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "store/fs/sha256.h"

namespace nubis::store {
namespace {

namespace fs = std::filesystem;

// SHA-256("abc"), FIPS 180-2 appendix B.1.
constexpr const char* kAbcHash = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
// SHA-256("").
constexpr const char* kEmptyHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

class BlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "nubis-blobs-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    root_ = (dir_ / "images").string();
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::unique_ptr<BlobStore> mustOpen() {
    auto store = BlobStore::open(root_);
    EXPECT_TRUE(store.ok()) << store.error().detail;
    return store.ok() ? std::move(store).value() : nullptr;
  }
  size_t tmpFiles() const {
    size_t n = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(root_ + "/tmp")) ++n;
    return n;
  }

  fs::path dir_;
  std::string root_;
};

TEST(Sha256Test, KnownVectorsAndShapeCheck) {
  EXPECT_EQ(sha256Hex("abc"), kAbcHash);
  EXPECT_EQ(sha256Hex(""), kEmptyHash);
  EXPECT_TRUE(isSha256Hex(kAbcHash));
  EXPECT_FALSE(isSha256Hex(std::string(kAbcHash).substr(1)));
  EXPECT_FALSE(isSha256Hex(std::string(kAbcHash) + "0"));
  std::string upper = kAbcHash;
  upper[0] = 'B';
  EXPECT_FALSE(isSha256Hex(upper));
  EXPECT_FALSE(isSha256Hex(std::string(63, 'a') + "g"));
}

TEST_F(BlobStoreTest, PutStoresUnderTheHashAndGetReadsItBack) {
  auto store = mustOpen();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(fs::is_directory(root_ + "/originals"));
  EXPECT_TRUE(fs::is_directory(root_ + "/tmp"));
  auto hash = store->put("abc");
  ASSERT_TRUE(hash.ok()) << hash.error().detail;
  EXPECT_EQ(*hash, kAbcHash);
  EXPECT_TRUE(fs::is_regular_file(root_ + "/originals/ba/78/" + std::string(kAbcHash)));
  auto got = store->get(kAbcHash);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, std::optional<std::string>("abc"));
  EXPECT_EQ(tmpFiles(), 0u);

  // Binary and empty contents round-trip.
  std::string binary(300'000, '\0');
  for (size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<char>(i * 7);
  auto bh = store->put(binary);
  ASSERT_TRUE(bh.ok());
  EXPECT_EQ(store->get(*bh).value(), std::optional<std::string>(binary));
  EXPECT_EQ(store->put("").value(), kEmptyHash);
  EXPECT_EQ(store->get(kEmptyHash).value(), std::optional<std::string>(""));

  EXPECT_EQ(store->get(std::string(64, 'f')).value(), std::nullopt);
}

TEST_F(BlobStoreTest, BytesSurviveANewBlobStoreOnTheSameRoot) {
  std::string hash;
  {
    auto store = mustOpen();
    ASSERT_NE(store, nullptr);
    hash = store->put("persisted bytes").value();
  }
  auto again = mustOpen();
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->get(hash).value(), std::optional<std::string>("persisted bytes"));
}

TEST_F(BlobStoreTest, OpenRemovesStaleTmpFilesButNotOriginals) {
  std::string hash;
  {
    auto store = mustOpen();
    ASSERT_NE(store, nullptr);
    hash = store->put("kept").value();
  }
  std::ofstream(root_ + "/tmp/put-abc123") << "half a write";
  fs::create_directory(root_ + "/tmp/odd-dir");
  std::ofstream(root_ + "/tmp/odd-dir/x") << "x";
  ASSERT_EQ(tmpFiles(), 2u);
  auto store = mustOpen();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(tmpFiles(), 0u);
  EXPECT_EQ(store->get(hash).value(), std::optional<std::string>("kept"));
}

TEST_F(BlobStoreTest, PutOfExistingBytesKeepsTheFileAndRepairsAShortOne) {
  auto store = mustOpen();
  ASSERT_NE(store, nullptr);
  const std::string hash = store->put("same bytes").value();
  const std::string path =
      root_ + "/originals/" + hash.substr(0, 2) + "/" + hash.substr(2, 2) + "/" + hash;
  struct stat before {
  }, after{};
  ASSERT_EQ(::stat(path.c_str(), &before), 0);
  EXPECT_EQ(store->put("same bytes").value(), hash);
  ASSERT_EQ(::stat(path.c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);  // not rewritten
  // A file of the wrong size under that name (damage from outside) is replaced.
  std::ofstream(path, std::ios::trunc) << "same";
  EXPECT_EQ(store->put("same bytes").value(), hash);
  EXPECT_EQ(store->get(hash).value(), std::optional<std::string>("same bytes"));
  EXPECT_EQ(tmpFiles(), 0u);
}

TEST_F(BlobStoreTest, HashesThatAreNotSha256HexAreRefusedBeforeAnyPath) {
  auto store = mustOpen();
  ASSERT_NE(store, nullptr);
  // A file outside originals/ that a traversal would reach.
  std::ofstream(dir_ / "secret") << "do not read or delete";
  std::string pad = "../../../secret";
  const std::vector<std::string> bad = {
      "",
      "../../../secret",
      pad + std::string(64 - pad.size(), 'a'),
      std::string(30, 'a') + "/../" + std::string(30, 'a'),
      "/etc/passwd" + std::string(53, 'a'),
      std::string(63, 'a'),
      std::string(65, 'a'),
      std::string(64, 'A'),
      std::string(63, 'a') + "g",
      std::string(32, 'a') + std::string(1, '\0') + std::string(31, 'a'),
      std::string(62, 'a') + "%2f",
  };
  for (const auto& h : bad) {
    auto got = store->get(h);
    EXPECT_FALSE(got.ok()) << h;
    EXPECT_FALSE(store->remove(h).ok()) << h;
  }
  EXPECT_TRUE(fs::exists(dir_ / "secret"));
}

TEST_F(BlobStoreTest, RemoveDeletesAndMissingIsFine) {
  auto store = mustOpen();
  ASSERT_NE(store, nullptr);
  const std::string a = store->put("a").value(), b = store->put("b").value();
  EXPECT_TRUE(store->remove(a).ok());
  EXPECT_EQ(store->get(a).value(), std::nullopt);
  EXPECT_EQ(store->get(b).value(), std::optional<std::string>("b"));
  EXPECT_TRUE(store->remove(a).ok());                     // already gone
  EXPECT_TRUE(store->remove(std::string(64, '0')).ok());  // never existed, nor its directories
  // Put again after remove: back.
  EXPECT_EQ(store->put("a").value(), a);
  EXPECT_EQ(store->get(a).value(), std::optional<std::string>("a"));
}

TEST_F(BlobStoreTest, ConcurrentPutsOfTheSameAndOfDifferentContent) {
  auto store = mustOpen();
  ASSERT_NE(store, nullptr);
  const std::string same(200'000, 'z');
  constexpr int kThreads = 8;
  std::vector<std::string> hashes(kThreads);
  std::vector<std::string> own(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        auto h = store->put(same);
        if (h.ok()) hashes[t] = *h;
        auto o = store->put("thread " + std::to_string(t) + " item " + std::to_string(i));
        if (o.ok()) own[t] = *o;
      }
    });
  }
  for (auto& th : threads) th.join();
  const std::string want = sha256Hex(same);
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(hashes[t], want);
    EXPECT_EQ(store->get(own[t]).value(),
              std::optional<std::string>("thread " + std::to_string(t) + " item 4"));
  }
  EXPECT_EQ(store->get(want).value(), std::optional<std::string>(same));
  EXPECT_EQ(tmpFiles(), 0u);
}

TEST_F(BlobStoreTest, OpenReportsErrorsInsteadOfThrowing) {
  std::ofstream(dir_ / "a-file") << "x";
  auto underFile = BlobStore::open((dir_ / "a-file" / "images").string());
  EXPECT_FALSE(underFile.ok());
  EXPECT_FALSE(BlobStore::open("").ok());
}

}  // namespace
}  // namespace nubis::store
