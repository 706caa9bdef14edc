// Connection and Statement: a thin RAII layer over one sqlite3 handle and its prepared
// statements, turning SQLite return codes into ApiError values (nothing here throws).
//
// Not thread-safe: the owner (SqliteStore) serializes every use of a Connection and of the
// Statements it hands out behind one mutex.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/result.h"

namespace nubis::store::sqlite {

// One prepared statement in use. Borrowed from the connection's cache (reset and unbound again
// on destruction) or owned (finalized on destruction). Move-only; must not outlive its
// Connection.
class Statement {
 public:
  Statement(sqlite3_stmt* stmt, bool owned) : stmt_(stmt), owned_(owned) {}
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based (?1, ?2, ...). A failed bind is reported by the next step().
  // Text is copied (SQLITE_TRANSIENT), so temporaries are fine. nullopt binds NULL.
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) {
    return bind(index, std::string_view(value));
  }
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, double value);
  Statement& bindNull(int index);
  Statement& bind(int index, const std::optional<std::string>& value);
  Statement& bind(int index, const std::optional<int64_t>& value);

  // SQLITE_ROW, SQLITE_DONE or an (extended) error code; the first bind error wins.
  int step();

  // Columns are 0-based. NULL reads as "" / 0 from the non-optional readers.
  std::string text(int col) const;
  int64_t int64(int col) const;
  std::optional<std::string> optText(int col) const;
  std::optional<int64_t> optInt64(int col) const;

 private:
  sqlite3_stmt* stmt_;
  bool owned_;
  int bind_rc_ = SQLITE_OK;
};

// One open database handle plus its cache of prepared statements, keyed by SQL text.
class Connection {
 public:
  // Opens (creating if needed) the database file at path, with extended result codes on.
  static Result<std::unique_ptr<Connection>> open(const std::string& path);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The cached statement for sql, ready to bind. If the cached one is still mid-step (a
  // re-entrant use), a fresh owned statement is prepared instead.
  Result<Statement> prepare(const std::string& sql, std::string_view op);
  // A fresh owned statement, not cached: for SQL whose text varies with the input (the image
  // meta filters), so the cache cannot grow without bound.
  Result<Statement> prepareUncached(const std::string& sql, std::string_view op);
  // Runs SQL without parameters (DDL, BEGIN/COMMIT/ROLLBACK, pragmas); may hold several
  // statements.
  Status exec(const std::string& sql, std::string_view op);
  // The first column of the first row of a parameterless query ("" if there is no row).
  Result<std::string> queryText(const std::string& sql, std::string_view op);

  // ApiError::internal("sqlite: <op>: <errmsg> (code <rc>)").
  ApiError error(std::string_view op, int rc) const;
  bool inTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  // Rows changed by the last INSERT/UPDATE/DELETE.
  int64_t changes() const { return sqlite3_changes64(db_); }
  // Rows changed by every INSERT/UPDATE/DELETE through this handle since it opened.
  int64_t totalChanges() const { return sqlite3_total_changes64(db_); }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// True for the result codes the Store contract reports as "false" from an insert.
inline bool isUniqueViolation(int rc) {
  return rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY;
}

}  // namespace nubis::store::sqlite
