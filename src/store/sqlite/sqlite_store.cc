// SqliteStore: opening, pragmas, migrations, transactions, meta and integrity checks. The row
// methods live in sqlite_store_identity.cc (users, accounts, memberships) and
// sqlite_store_resources.cc (tokens, zones); the Images tables in sqlite_image_store*.cc.
#include "store/sqlite/sqlite_store.h"

#include <exception>
#include <string_view>
#include <vector>

#include "store/sqlite/connection.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_dns_store.h"
#include "store/sqlite/sqlite_ssl_store.h"
#include "store/sqlite/query.h"
#include "store/sqlite/sqlite_image_store.h"

namespace nubis::store::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 5000;

// Decrements the transaction depth on every way out of transaction(), exceptions included.
class DepthGuard {
 public:
  explicit DepthGuard(int& depth) : depth_(depth) { ++depth_; }
  ~DepthGuard() { --depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

 private:
  int& depth_;
};

}  // namespace

SqliteStore::SqliteStore(std::unique_ptr<Connection> conn)
    : conn_(std::move(conn)),
      images_(std::make_unique<SqliteImageStore>(*this, *conn_, mu_)),
      dns_(std::make_unique<SqliteDnsStore>(*conn_, mu_)),
      ssl_(std::make_unique<SqliteSslStore>(*conn_, mu_)) {}

ImageStore& SqliteStore::images() { return *images_; }
DnsStore& SqliteStore::dns() { return *dns_; }
SslStore& SqliteStore::ssl() { return *ssl_; }

SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path) {
  auto conn = Connection::open(path);
  if (!conn) return std::move(conn).error();
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(*conn)));
  if (auto st = store->configure(); !st) return std::move(st).error();
  if (auto st = store->migrate(); !st) return std::move(st).error();
  return store;
}

Status SqliteStore::configure() {
  std::lock_guard lock(mu_);
  // busy_timeout first, so switching to WAL waits for another process instead of failing.
  if (auto st = conn_->exec("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs),
                            "pragma busy_timeout");
      !st) {
    return st;
  }
  auto mode = conn_->queryText("PRAGMA journal_mode = WAL", "pragma journal_mode");
  if (!mode) return std::move(mode).error();
  // An in-memory database (tests) reports "memory"; a file that cannot do WAL is an error.
  if (*mode != "wal" && *mode != "memory") {
    return ApiError::internal("sqlite: pragma journal_mode: got \"" + *mode + "\", want wal");
  }
  if (auto st = conn_->exec("PRAGMA synchronous = FULL", "pragma synchronous"); !st) return st;
  if (auto st = conn_->exec("PRAGMA foreign_keys = ON", "pragma foreign_keys"); !st) return st;
  auto fk = conn_->queryText("PRAGMA foreign_keys", "pragma foreign_keys");
  if (!fk) return std::move(fk).error();
  if (*fk != "1") return ApiError::internal("sqlite: pragma foreign_keys: not supported");
  return Ok{};
}

Status SqliteStore::migrate() {
  std::lock_guard lock(mu_);
  if (auto st = conn_->exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                            " version INTEGER NOT NULL PRIMARY KEY,"
                            " name TEXT NOT NULL,"
                            " applied_on INTEGER NOT NULL) STRICT",
                            "create schema_migrations");
      !st) {
    return st;
  }
  auto current = schemaVersion();
  if (!current) return std::move(current).error();
  auto migrations = embeddedMigrations();
  int64_t latest = migrations.empty() ? 0 : migrations.back().version;
  if (*current > latest) {
    return ApiError::internal("sqlite: migrate: the database is at schema version " +
                              std::to_string(*current) + ", newer than this binary's " +
                              std::to_string(latest));
  }
  for (const Migration& m : migrations) {
    if (auto st = applyMigration(m.version, m.name, m.sql); !st) return st;
  }
  return Ok{};
}

// One migration in its own IMMEDIATE transaction. The version is re-checked inside it, so two
// processes opening a fresh database at once apply each migration exactly once.
Status SqliteStore::applyMigration(int64_t version, std::string_view name, std::string_view sql) {
  const std::string op = "migration " + std::to_string(version) + "_" + std::string(name);
  if (auto st = conn_->exec("BEGIN IMMEDIATE", op); !st) return st;
  auto fail = [&](ApiError e) -> Status {
    if (conn_->inTransaction()) (void)conn_->exec("ROLLBACK", op);
    return e;
  };
  static const std::string kApplied = "SELECT 1 FROM schema_migrations WHERE version = ?1";
  auto applied = queryOne<bool>(
      *conn_, kApplied, op, [&](Statement& s) { s.bind(1, version); },
      [](const Statement&) { return true; });
  if (!applied) return fail(std::move(applied).error());
  if (applied->has_value()) return conn_->exec("COMMIT", op);
  if (auto st = conn_->exec(std::string(sql), op); !st) return fail(std::move(st).error());
  static const std::string kRecord =
      "INSERT INTO schema_migrations (version, name, applied_on)"
      " VALUES (?1, ?2, CAST(strftime('%s', 'now') AS INTEGER) * 1000000)";
  auto recorded =
      insertRow(*conn_, kRecord, op, [&](Statement& s) { s.bind(1, version).bind(2, name); });
  if (!recorded) return fail(std::move(recorded).error());
  if (auto st = conn_->exec("COMMIT", op); !st) return fail(std::move(st).error());
  return Ok{};
}

Result<int64_t> SqliteStore::schemaVersion() {
  std::lock_guard lock(mu_);
  static const std::string kSql = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
  auto v = queryOne<int64_t>(
      *conn_, kSql, "schemaVersion", [](Statement&) {},
      [](const Statement& s) { return s.int64(0); });
  if (!v) return std::move(v).error();
  return v->value_or(0);
}

Status SqliteStore::checkIntegrity() {
  std::lock_guard lock(mu_);
  std::vector<std::string> problems;
  static const std::string kIntegrity = "PRAGMA integrity_check";
  if (auto st = queryAll(
          *conn_, kIntegrity, "integrity_check", [](Statement&) {},
          [](const Statement& s) { return s.text(0); }, problems);
      !st) {
    return st;
  }
  if (problems.size() == 1 && problems.front() == "ok") problems.clear();
  // Rows are (table, rowid, parent, fkid); one per dangling reference.
  static const std::string kForeignKeys = "PRAGMA foreign_key_check";
  if (auto st = queryAll(
          *conn_, kForeignKeys, "foreign_key_check", [](Statement&) {},
          [](const Statement& s) {
            return "foreign key: " + s.text(0) + " rowid " + s.text(1) + " -> " + s.text(2);
          },
          problems);
      !st) {
    return st;
  }
  if (problems.empty()) return Ok{};
  std::string detail = "sqlite: integrity check failed:";
  for (const std::string& p : problems) detail += " " + p + ";";
  return ApiError::internal(detail);
}

// BEGIN IMMEDIATE at depth 0 (takes the write lock up front, so fn never hits SQLITE_BUSY half
// way); a SAVEPOINT when nested, so an inner failure undoes only the inner writes.
Status SqliteStore::transaction(const std::function<Status(Store&)>& fn) {
  std::lock_guard lock(mu_);
  const bool outer = depth_ == 0;
  const std::string savepoint = "nubis_sp_" + std::to_string(depth_);
  if (auto st = conn_->exec(outer ? "BEGIN IMMEDIATE" : "SAVEPOINT " + savepoint, "begin"); !st) {
    return st;
  }
  DepthGuard guard(depth_);
  auto undo = [&](ApiError e) -> Status {
    // SQLite may already have rolled back on its own (e.g. SQLITE_FULL); then there is nothing
    // left to undo.
    if (conn_->inTransaction()) {
      (void)conn_->exec(outer ? "ROLLBACK" : "ROLLBACK TO " + savepoint + "; RELEASE " + savepoint,
                        "rollback");
    }
    return e;
  };
  Status result = Ok{};
  try {
    result = fn(*this);
  } catch (const std::exception& e) {
    return undo(ApiError::internal(std::string("sqlite: transaction: exception: ") + e.what()));
  } catch (...) {
    return undo(ApiError::internal("sqlite: transaction: unknown exception"));
  }
  if (!result) return undo(std::move(result).error());
  if (auto st = conn_->exec(outer ? "COMMIT" : "RELEASE " + savepoint, "commit"); !st) {
    return undo(std::move(st).error());
  }
  return Ok{};
}

Result<std::optional<std::string>> SqliteStore::getMeta(const std::string& key) {
  std::lock_guard lock(mu_);
  static const std::string kSql = "SELECT value FROM meta WHERE key = ?1";
  return queryOne<std::string>(
      *conn_, kSql, "getMeta", [&](Statement& s) { s.bind(1, key); },
      [](const Statement& s) { return s.text(0); });
}

Status SqliteStore::setMeta(const std::string& key, const std::string& value) {
  std::lock_guard lock(mu_);
  static const std::string kSql =
      "INSERT INTO meta (key, value) VALUES (?1, ?2)"
      " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
  return writeStatus(*conn_, kSql, "setMeta", [&](Statement& s) { s.bind(1, key).bind(2, value); });
}

}  // namespace nubis::store::sqlite
