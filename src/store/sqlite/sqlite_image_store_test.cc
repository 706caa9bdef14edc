// The ImageStore contract suite instantiated for SQLite (SqliteStore::images()), plus what only
// SQLite has: the migration, query plans that stay on the indexes, foreign keys and the JSON
// CHECK, the list-SQL builder, and sharing the Store's transactions.
#include "store/sqlite/sqlite_image_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <variant>
#include <vector>

#include "store/sqlite/image_columns.h"
#include "store/sqlite/image_list_query.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/query_plan_for_test.h"
#include "store/sqlite/sqlite_store.h"
#include "store_contract/contract_support.h"
#include "store_contract/image_store_contract.h"

namespace nubis::store::sqlite {
namespace {

using contract::kT0;
using contract::makeAccount;
using contract::makeImage;
using Filter = ImageStore::MetaFilter;

std::unique_ptr<Store> openSqlite(const std::string& dir) {
  auto store = SqliteStore::open(dir + "/nubis.db");
  if (!store) {
    ADD_FAILURE() << "SqliteStore::open: " << store.error().detail;
    return nullptr;
  }
  return std::move(store).value();
}

ImageStore& imagesOf(Store& store) { return static_cast<SqliteStore&>(store).images(); }

using contract::ImageStoreContractTest;  // the macro below takes an unqualified suite name
INSTANTIATE_TEST_SUITE_P(Sqlite, ImageStoreContractTest,
                         ::testing::Values(contract::ImageStoreImpl{"sqlite", &openSqlite,
                                                                    &imagesOf}),
                         contract::imageStoreImplName);

class SqliteImageStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "nubis-sqlimg-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto store = SqliteStore::open((dir_ / "nubis.db").string());
    ASSERT_TRUE(store.ok()) << store.error().detail;
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->insertAccount(makeAccount(1)).value());
    acc_ = makeAccount(1).id;
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string plan(const std::string& sql) { return queryPlan(dir_ / "nubis.db", sql); }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteStore> store_;
  std::string acc_;
};

TEST_F(SqliteImageStoreTest, MigrationTwoCreatesTheImagesTables) {
  auto migrations = embeddedMigrations();
  ASSERT_GE(migrations.size(), 2u);
  EXPECT_EQ(migrations[1].version, 2);
  EXPECT_EQ(migrations[1].name, "images");
  EXPECT_GE(store_->schemaVersion().value(), 2);
  EXPECT_TRUE(store_->checkIntegrity().ok());
}

// Listing must stay cheap on a large account: every list shape walks an index in seq order
// (no full scan, no sort of the whole account).
TEST_F(SqliteImageStoreTest, ListAndCountQueriesUseTheIndexesInSeqOrder) {
  std::vector<ImageStore::ImageQuery> shapes = {
      {.account_id = acc_},
      {.account_id = acc_, .ascending = true},
      {.account_id = acc_, .after_seq = 5},
      {.account_id = acc_, .ascending = true, .after_seq = 5, .offset = 100},
      {.account_id = acc_, .creator = "c"},
      {.account_id = acc_, .creator = ""},
      {.account_id = acc_, .creator = "c", .after_seq = 9},
      {.account_id = acc_, .meta = {Filter{{"a"}, Filter::Op::kEq, Filter::Type::kAny, {"x"}}}},
  };
  for (const auto& q : shapes) {
    auto built = buildImageListSql(q, kImageColumns);
    ASSERT_TRUE(built.ok());
    std::string p = plan(built->sql);
    EXPECT_NE(p.find("USING INDEX images_"), std::string::npos) << built->sql << "\n" << p;
    EXPECT_EQ(p.find("TEMP B-TREE"), std::string::npos) << built->sql << "\n" << p;
    EXPECT_EQ(p.find("SCAN images\n"), std::string::npos) << built->sql << "\n" << p;
  }
  std::string count = plan("SELECT COUNT(*) FROM images WHERE account_id = 'x' AND draft = 0");
  EXPECT_NE(count.find("images_list"), std::string::npos) << count;
  std::string drafts = plan("DELETE FROM images WHERE draft = 1 AND draft_expires <= 5");
  EXPECT_NE(drafts.find("images_drafts"), std::string::npos) << drafts;
  std::string refs = plan("SELECT COUNT(*) FROM images WHERE content_hash = 'h' AND draft = 0");
  EXPECT_NE(refs.find("images_content"), std::string::npos) << refs;
}

TEST_F(SqliteImageStoreTest, ListSqlBindsEveryValueAndQuotesOnlyValidatedNames) {
  ImageStore::ImageQuery q{
      .account_id = "acc'; DROP TABLE images; --",
      .creator = "o'hara",
      .after_seq = 42,
      .offset = 7,
      .limit = 9,
      .meta = {Filter{{"a", "b1"}, Filter::Op::kIn, Filter::Type::kString, {"x'y", "z"}}}};
  auto built = buildImageListSql(q, kImageColumns);
  ASSERT_TRUE(built.ok());
  EXPECT_EQ(built->sql.find("DROP"), std::string::npos);
  EXPECT_EQ(built->sql.find("hara"), std::string::npos);
  EXPECT_EQ(built->sql.find("x'y"), std::string::npos);
  EXPECT_EQ(built->sql.find("\"b1\""), std::string::npos);  // the path is a parameter too
  const std::vector<SqlValue> want = {std::string("acc'; DROP TABLE images; --"),
                                      std::string("o'hara"),
                                      int64_t{42},
                                      std::string("$.\"a\".\"b1\""),
                                      std::string("x'y"),
                                      std::string("z"),
                                      int64_t{9},
                                      int64_t{7}};
  EXPECT_EQ(built->params, want);
}

TEST_F(SqliteImageStoreTest, NumberValuesReadLikeJsonNumbers) {
  struct Case {
    const char* text;
    SqlValue want;
  };
  const Case cases[] = {
      {"0", int64_t{0}},
      {"-12", int64_t{-12}},
      {"9223372036854775807", int64_t{9223372036854775807}},
      {"9223372036854775808", 9223372036854775808.0},
      {"1.5", 1.5},
      {"-2e3", -2000.0},
      {"", std::monostate{}},
      {"abc", std::monostate{}},
      {"1x", std::monostate{}},
      {" 1", std::monostate{}},
      {"inf", std::monostate{}},
      {"nan", std::monostate{}},
      {"1e999", std::monostate{}},
  };
  for (const auto& c : cases) EXPECT_EQ(numberValue(c.text), c.want) << c.text;
  EXPECT_EQ(jsonPath({"a", "123", "Z_9"}), "$.\"a\".\"123\".\"Z_9\"");
}

TEST_F(SqliteImageStoreTest, InvalidMetaJsonAndUnknownAccountsAreErrors) {
  ImageRow bad = makeImage(1, acc_);
  bad.meta_json = "{not json";
  EXPECT_FALSE(store_->images().insertImage(bad).ok());
  ImageRow orphan = makeImage(2, makeAccount(9).id);
  EXPECT_FALSE(store_->images().insertImage(orphan).ok());
  EXPECT_FALSE(
      store_->images().insertVariant({makeAccount(9).id, "thumb", "{}", false, kT0, kT0}).ok());
  EXPECT_FALSE(store_->images().putSigningKey({makeAccount(9).id, "default", "k", kT0}).ok());
  EXPECT_FALSE(store_->images().putImagesConfig({makeAccount(9).id, true, 60}).ok());
  ImageRow good = makeImage(3, acc_);
  ASSERT_TRUE(store_->images().insertImage(good).value());
  ImageRow badUpdate = good;
  badUpdate.meta_json = "[1,";
  EXPECT_FALSE(store_->images().updateImage(badUpdate).ok());
  EXPECT_EQ(store_->images().getImage(acc_, good.id).value()->meta_json, good.meta_json);
  EXPECT_TRUE(store_->checkIntegrity().ok());
}

TEST_F(SqliteImageStoreTest, ImageWritesJoinTheStoresTransaction) {
  ImageRow a = makeImage(1, acc_);
  Status st = store_->transaction([&](Store& tx) -> Status {
    EXPECT_TRUE(tx.insertAccount(makeAccount(2)).value());
    ImageRow b = makeImage(2, makeAccount(2).id);  // sees the uncommitted account
    EXPECT_TRUE(store_->images().insertImage(a).value());
    EXPECT_TRUE(store_->images().insertImage(b).value());
    return ApiError::internal("roll back");
  });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(store_->images().getImage(acc_, a.id).value(), std::nullopt);
  EXPECT_EQ(store_->getAccount(makeAccount(2).id).value(), std::nullopt);
}

}  // namespace
}  // namespace nubis::store::sqlite
