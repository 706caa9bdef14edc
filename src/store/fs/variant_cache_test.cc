#include "store/fs/variant_cache.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
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

class VariantCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "nubis-vcache-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    root_ = (dir_ / "cache").string();
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::unique_ptr<VariantCache> mustOpen(uint64_t max_bytes) {
    auto cache = VariantCache::open(root_, max_bytes);
    EXPECT_TRUE(cache.ok()) << cache.error().detail;
    return cache.ok() ? std::move(cache).value() : nullptr;
  }
  // Files in root and the sum of their sizes.
  std::pair<size_t, uint64_t> onDisk() const {
    size_t n = 0;
    uint64_t total = 0;
    for (const auto& e : fs::directory_iterator(root_)) {
      ++n;
      total += fs::file_size(e.path());
    }
    return {n, total};
  }
  bool fileFor(const std::string& key) const { return fs::exists(root_ + "/" + sha256Hex(key)); }

  fs::path dir_;
  std::string root_;
};

std::string bytesOf(size_t n, char c) { return std::string(n, c); }

TEST_F(VariantCacheTest, PutThenGetWithKeysHoldingSlashes) {
  auto cache = mustOpen(1 << 20);
  ASSERT_NE(cache, nullptr);
  const std::string key = "acc/dir/sub/image.png/w=100,h=50/avif";
  EXPECT_EQ(cache->get(key), std::nullopt);
  cache->put(key, {"img:acc/dir/sub/image.png"}, "rendered");
  EXPECT_EQ(cache->get(key), std::optional<std::string>("rendered"));
  EXPECT_TRUE(fileFor(key));
  EXPECT_EQ(cache->bytes(), 8u);
  EXPECT_EQ(cache->entries(), 1u);
  EXPECT_EQ(onDisk(), (std::pair<size_t, uint64_t>{1, 8}));
  EXPECT_EQ(cache->get("acc/dir"), std::nullopt);
}

TEST_F(VariantCacheTest, EvictsLeastRecentlyUsedAndGetCountsAsUse) {
  auto cache = mustOpen(100);
  ASSERT_NE(cache, nullptr);
  cache->put("a", {}, bytesOf(40, 'a'));
  cache->put("b", {}, bytesOf(40, 'b'));
  EXPECT_TRUE(cache->get("a").has_value());  // a is now newer than b
  cache->put("c", {}, bytesOf(40, 'c'));     // 120 > 100: b goes
  EXPECT_EQ(cache->get("b"), std::nullopt);
  EXPECT_FALSE(fileFor("b"));
  EXPECT_EQ(cache->get("a"), std::optional<std::string>(bytesOf(40, 'a')));
  EXPECT_EQ(cache->get("c"), std::optional<std::string>(bytesOf(40, 'c')));
  EXPECT_EQ(cache->bytes(), 80u);
  // One big entry pushes out several old ones, oldest first: order is now c (older), a.
  cache->get("c");
  cache->get("a");
  cache->put("d", {}, bytesOf(90, 'd'));
  EXPECT_EQ(cache->get("c"), std::nullopt);
  EXPECT_EQ(cache->get("a"), std::nullopt);
  EXPECT_EQ(cache->get("d"), std::optional<std::string>(bytesOf(90, 'd')));
  EXPECT_EQ(cache->bytes(), 90u);
  EXPECT_EQ(onDisk(), (std::pair<size_t, uint64_t>{1, 90}));
  // Exactly max_bytes fits.
  cache->put("e", {}, bytesOf(100, 'e'));
  EXPECT_EQ(cache->entries(), 1u);
  EXPECT_EQ(cache->bytes(), 100u);
}

TEST_F(VariantCacheTest, ReplacingAKeyUpdatesSizeAndTags) {
  auto cache = mustOpen(1000);
  ASSERT_NE(cache, nullptr);
  cache->put("k", {"old"}, bytesOf(100, 'x'));
  cache->put("k", {"new"}, bytesOf(30, 'y'));
  EXPECT_EQ(cache->bytes(), 30u);
  EXPECT_EQ(cache->entries(), 1u);
  EXPECT_EQ(cache->get("k"), std::optional<std::string>(bytesOf(30, 'y')));
  cache->purgeTag("old");  // no longer tagged so
  EXPECT_TRUE(cache->get("k").has_value());
  cache->purgeTag("new");
  EXPECT_EQ(cache->get("k"), std::nullopt);
  EXPECT_EQ(cache->bytes(), 0u);
}

TEST_F(VariantCacheTest, TooLargeIsNotCachedAndDropsTheOlderEntry) {
  auto cache = mustOpen(50);
  ASSERT_NE(cache, nullptr);
  cache->put("small", {}, bytesOf(10, 's'));
  cache->put("k", {}, bytesOf(20, 'k'));
  cache->put("k", {}, bytesOf(51, 'K'));
  EXPECT_EQ(cache->get("k"), std::nullopt);
  EXPECT_TRUE(cache->get("small").has_value());  // nothing else was evicted for it
  EXPECT_EQ(cache->bytes(), 10u);
  EXPECT_EQ(onDisk(), (std::pair<size_t, uint64_t>{1, 10}));
}

TEST_F(VariantCacheTest, PurgeTagDropsEveryTaggedEntryAndNothingElse) {
  auto cache = mustOpen(1 << 20);
  ASSERT_NE(cache, nullptr);
  cache->put("acc/img1/thumb", {"img:acc/img1", "var:acc/thumb"}, "1t");
  cache->put("acc/img1/public", {"img:acc/img1", "var:acc/public"}, "1p");
  cache->put("acc/img2/thumb", {"img:acc/img2", "var:acc/thumb"}, "2t");
  cache->put("acc/img2/public", {"img:acc/img2", "var:acc/public"}, "2p");
  cache->purgeTag("var:acc/thumb");
  EXPECT_EQ(cache->get("acc/img1/thumb"), std::nullopt);
  EXPECT_EQ(cache->get("acc/img2/thumb"), std::nullopt);
  EXPECT_FALSE(fileFor("acc/img1/thumb"));
  EXPECT_TRUE(cache->get("acc/img1/public").has_value());
  EXPECT_EQ(cache->bytes(), 4u);
  cache->purgeTag("img:acc/img1");
  EXPECT_EQ(cache->get("acc/img1/public"), std::nullopt);
  EXPECT_EQ(cache->get("acc/img2/public"), std::optional<std::string>("2p"));
  cache->purgeTag("no such tag");
  cache->purgeTag("img:acc/img1");  // twice is fine
  EXPECT_EQ(cache->entries(), 1u);
  EXPECT_EQ(onDisk(), (std::pair<size_t, uint64_t>{1, 2}));
  // An entry put after a purge is cached again.
  cache->put("acc/img1/thumb", {"img:acc/img1"}, "again");
  EXPECT_EQ(cache->get("acc/img1/thumb"), std::optional<std::string>("again"));
}

TEST_F(VariantCacheTest, OpenWipesWhatAnEarlierRunLeftButNotForeignFiles) {
  {
    auto cache = mustOpen(1000);
    ASSERT_NE(cache, nullptr);
    cache->put("a", {}, "aaa");
    cache->put("b", {}, "bbb");
  }
  std::ofstream(root_ + "/tmp-9-abcdef") << "partial";
  std::ofstream(root_ + "/README") << "not ours";
  auto cache = mustOpen(1000);
  ASSERT_NE(cache, nullptr);
  EXPECT_EQ(cache->get("a"), std::nullopt);
  EXPECT_EQ(cache->bytes(), 0u);
  EXPECT_FALSE(fileFor("a"));
  EXPECT_FALSE(fs::exists(root_ + "/tmp-9-abcdef"));
  EXPECT_TRUE(fs::exists(root_ + "/README"));
  EXPECT_EQ(onDisk().first, 1u);
}

TEST_F(VariantCacheTest, OpenRefusesTheFilesystemRoot) {
  EXPECT_FALSE(VariantCache::open("/", 100).ok());
  EXPECT_FALSE(VariantCache::open("", 100).ok());
}

TEST_F(VariantCacheTest, ConcurrentPutsGetsAndPurgesKeepTheIndexAndDiskInStep) {
  constexpr uint64_t kMax = 20'000;
  auto cache = mustOpen(kMax);
  ASSERT_NE(cache, nullptr);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        const int k = (i * 7 + t) % 40;
        const std::string key = "acc/img" + std::to_string(k) + "/v";
        // The content is a function of the key, so any hit can be checked.
        const std::string content(500 + k * 10, static_cast<char>('a' + k % 26));
        if (i % 3 == 0) {
          cache->put(key, {"img:" + std::to_string(k), "all"}, content);
        } else if (i % 3 == 1) {
          auto got = cache->get(key);
          if (got && *got != content) ++wrong;
        } else if (i % 50 == 2) {
          cache->purgeTag("img:" + std::to_string((k + 1) % 40));
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(cache->bytes(), kMax);
  EXPECT_EQ(onDisk(), (std::pair<size_t, uint64_t>{cache->entries(), cache->bytes()}));
  cache->purgeTag("all");
  EXPECT_EQ(cache->bytes(), 0u);
  EXPECT_EQ(cache->entries(), 0u);
  EXPECT_EQ(onDisk(), (std::pair<size_t, uint64_t>{0, 0}));
}

}  // namespace
}  // namespace nubis::store
