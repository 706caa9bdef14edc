// The Store contract suite instantiated for SqliteStore, plus what only SQLite has: pragmas,
// embedded migrations, schema versions, integrity checks, several handles on one file.
#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>

#include "store/sqlite/migrations.h"
#include "store_contract/contract_support.h"
#include "store_contract/store_contract.h"

namespace nubis::store::sqlite {
namespace {

using contract::fields;
using contract::makeAccount;
using contract::makeMembership;
using contract::makeUser;

std::unique_ptr<Store> openSqlite(const std::string& dir) {
  auto store = SqliteStore::open(dir + "/nubis.db");
  if (!store) {
    ADD_FAILURE() << "SqliteStore::open: " << store.error().detail;
    return nullptr;
  }
  return std::move(store).value();
}

using contract::StoreContractTest;  // the macro below takes an unqualified suite name
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest,
                         ::testing::Values(contract::StoreImpl{"sqlite", &openSqlite}),
                         contract::storeImplName);

// A raw second connection, to look at the file from outside the store.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  // The first column of the first row as text ("" if none).
  std::string text(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_);
    std::string out;
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return out;
  }
  void exec(const std::string& sql) {
    EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_);
  }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "nubis-sqlite-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    path_ = (dir_ / "nubis.db").string();
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::unique_ptr<SqliteStore> mustOpen() {
    auto store = SqliteStore::open(path_);
    EXPECT_TRUE(store.ok()) << store.error().detail;
    return store.ok() ? std::move(store).value() : nullptr;
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(SqliteStoreTest, MigrationsAreEmbeddedInVersionOrder) {
  auto migrations = embeddedMigrations();
  ASSERT_FALSE(migrations.empty());
  EXPECT_EQ(migrations.front().version, 1);
  EXPECT_EQ(migrations.front().name, "initial");
  EXPECT_NE(migrations.front().sql.find("CREATE TABLE users"), std::string_view::npos);
  for (size_t i = 1; i < migrations.size(); ++i) {
    EXPECT_GT(migrations[i].version, migrations[i - 1].version);
  }
}

TEST_F(SqliteStoreTest, OpenUsesWalAndRecordsEveryMigrationOnce) {
  auto store = mustOpen();
  ASSERT_NE(store, nullptr);
  const int64_t latest = embeddedMigrations().back().version;
  EXPECT_EQ(store->schemaVersion().value(), latest);
  store.reset();
  store = mustOpen();  // reopening applies nothing again
  ASSERT_NE(store, nullptr);
  RawDb raw(path_);
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(raw.text("SELECT COUNT(*) FROM schema_migrations"),
            std::to_string(embeddedMigrations().size()));
  EXPECT_EQ(raw.text("SELECT name FROM schema_migrations WHERE version = 1"), "initial");
  EXPECT_EQ(raw.text("SELECT COUNT(*) FROM sqlite_master WHERE name = 'tokens_secret_hash'"), "1");
}

TEST_F(SqliteStoreTest, InMemoryDatabaseWorks) {
  auto store = SqliteStore::open(":memory:");
  ASSERT_TRUE(store.ok()) << store.error().detail;
  ASSERT_TRUE((*store)->insertUser(makeUser(1)).value());
  EXPECT_TRUE((*store)->getUser(makeUser(1).id).value().has_value());
  EXPECT_TRUE((*store)->checkIntegrity().ok());
}

TEST_F(SqliteStoreTest, OpenReportsErrorsInsteadOfThrowing) {
  auto missingDir = SqliteStore::open((dir_ / "no" / "such" / "dir" / "nubis.db").string());
  ASSERT_FALSE(missingDir.ok());
  EXPECT_NE(missingDir.error().detail.find("sqlite: open"), std::string::npos);
  EXPECT_EQ(missingDir.error().code, ApiError::internal("").code);

  std::ofstream(path_) << "this is not an SQLite database, just some bytes that are long enough";
  auto garbage = SqliteStore::open(path_);
  ASSERT_FALSE(garbage.ok());
  EXPECT_NE(garbage.error().detail.find("sqlite:"), std::string::npos);
}

TEST_F(SqliteStoreTest, NewerSchemaThanTheBinaryIsRefused) {
  ASSERT_NE(mustOpen(), nullptr);
  {
    RawDb raw(path_);
    raw.exec("INSERT INTO schema_migrations VALUES (9999, 'future', 0)");
  }
  auto store = SqliteStore::open(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().detail.find("newer"), std::string::npos) << store.error().detail;
}

TEST_F(SqliteStoreTest, CheckIntegrityPassesAndFindsDanglingReferences) {
  auto store = mustOpen();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->insertUser(makeUser(1)).value());
  ASSERT_TRUE(store->insertAccount(makeAccount(1)).value());
  ASSERT_TRUE(
      store->insertMembership(makeMembership(1, makeUser(1).id, makeAccount(1).id)).value());
  Status ok = store->checkIntegrity();
  EXPECT_TRUE(ok.ok()) << ok.error().detail;
  {
    RawDb raw(path_);  // foreign_keys is off on this connection
    raw.exec("INSERT INTO memberships VALUES ('m2', 'nobody', 'nobody@example.com', '" +
             makeAccount(1).id + "', 'accepted', '[]', '', NULL, 0)");
  }
  Status bad = store->checkIntegrity();
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().detail.find("memberships"), std::string::npos) << bad.error().detail;
}

// A data dir from before members and invites (schema 4): its memberships are the bootstrap's,
// and migration 5 keeps them, gives them their e-mail, makes the account creator its Super
// Administrator and records the bootstrap user as the instance admin.
TEST_F(SqliteStoreTest, MigrationFiveKeepsTheOwnersMembershipAsSuperAdministrator) {
  {
    RawDb raw(path_);
    raw.exec("CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY,"
             " name TEXT NOT NULL, applied_on INTEGER NOT NULL) STRICT");
    for (const Migration& m : embeddedMigrations()) {
      if (m.version > 4) break;
      raw.exec(std::string(m.sql));
      raw.exec("INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) + ", '" +
               std::string(m.name) + "', 0)");
    }
    const UserRow u = makeUser(1), later = makeUser(2);
    const AccountRow a = makeAccount(1);
    raw.exec("INSERT INTO users (id, email, global_key_hash, password_hash, created_on,"
             " modified_on) VALUES ('" + u.id + "', '" + u.email + "', 'k', 'p', 1, 1), ('" +
             later.id + "', '" + later.email + "', 'k2', 'p2', 2, 2)");
    raw.exec("INSERT INTO accounts (id, name, hash, type, settings_json, created_on) VALUES ('" +
             a.id + "', 'A', 'hash', 'standard', '{}', 1)");
    raw.exec("INSERT INTO memberships VALUES ('m1', '" + u.id + "', '" + a.id +
             "', 'accepted', '[\"Administrator\"]', 1)");
  }
  auto store = mustOpen();
  ASSERT_NE(store, nullptr);
  auto m = store->getMembership("m1").value();
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->user_id, makeUser(1).id);
  EXPECT_EQ(m->email, makeUser(1).email);
  EXPECT_EQ(m->roles_json, R"(["Super Administrator - All Privileges"])");
  EXPECT_EQ(m->invited_by, "");
  EXPECT_EQ(m->expires_on, std::nullopt);
  EXPECT_EQ(store->getMeta("instance_admin").value(), makeUser(1).id);
  Status ok = store->checkIntegrity();
  EXPECT_TRUE(ok.ok()) << ok.error().detail;
}

TEST_F(SqliteStoreTest, TwoHandlesOnOneFileSeeEachOthersCommits) {
  auto first = mustOpen();
  auto second = mustOpen();
  ASSERT_TRUE(first && second);
  ASSERT_TRUE(first->insertUser(makeUser(1)).value());
  auto seen = second->getUser(makeUser(1).id);
  ASSERT_TRUE(seen.ok() && seen->has_value());
  EXPECT_EQ(fields(**seen), fields(makeUser(1)));
  // A write transaction on one handle makes the other wait (busy_timeout), not fail.
  Status st = second->transaction([&](Store& tx) -> Status {
    auto inserted = tx.insertUser(makeUser(2));
    if (!inserted) return std::move(inserted).error();
    return Ok{};
  });
  EXPECT_TRUE(st.ok());
  EXPECT_TRUE(first->getUser(makeUser(2).id).value().has_value());
}

}  // namespace
}  // namespace nubis::store::sqlite
