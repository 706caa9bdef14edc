// Query helpers shared by the SqliteStore method files: prepare a cached statement, bind, step,
// and map the outcome onto the Store contract (row / no row / unique conflict / internal error).
//
// Not thread-safe on their own: callers hold SqliteStore's mutex.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "store/sqlite/connection.h"

namespace nubis::store::sqlite {

// "SELECT <columns> FROM <table> <tail>", built once per call site into a static.
inline std::string selectSql(std::string_view columns, std::string_view table,
                             std::string_view tail) {
  std::string sql = "SELECT ";
  sql.append(columns).append(" FROM ").append(table).append(" ").append(tail);
  return sql;
}

// At most one row: bind(Statement&) sets the parameters, read(const Statement&) builds a Row.
template <class Row, class Bind, class Read>
Result<std::optional<Row>> queryOne(Connection& conn, const std::string& sql, std::string_view op,
                                    Bind&& bind, Read&& read) {
  auto stmt = conn.prepare(sql, op);
  if (!stmt) return std::move(stmt).error();
  bind(*stmt);
  int rc = stmt->step();
  if (rc == SQLITE_ROW) return std::optional<Row>(read(*stmt));
  if (rc == SQLITE_DONE) return std::optional<Row>();
  return conn.error(op, rc);
}

// Every row, in the order the SQL's ORDER BY gives, appended to out.
template <class Row, class Bind, class Read>
Status queryAll(Connection& conn, const std::string& sql, std::string_view op, Bind&& bind,
                Read&& read, std::vector<Row>& out) {
  auto stmt = conn.prepare(sql, op);
  if (!stmt) return std::move(stmt).error();
  bind(*stmt);
  for (;;) {
    int rc = stmt->step();
    if (rc == SQLITE_DONE) return Ok{};
    if (rc != SQLITE_ROW) return conn.error(op, rc);
    out.push_back(read(*stmt));
  }
}

// An INSERT: true when written, false on a UNIQUE / PRIMARY KEY conflict.
template <class Bind>
Result<bool> insertRow(Connection& conn, const std::string& sql, std::string_view op, Bind&& bind) {
  auto stmt = conn.prepare(sql, op);
  if (!stmt) return std::move(stmt).error();
  bind(*stmt);
  int rc = stmt->step();
  if (rc == SQLITE_DONE) return true;
  if (isUniqueViolation(rc)) return false;
  return conn.error(op, rc);
}

// An UPDATE or DELETE: the number of rows it changed.
template <class Bind>
Result<int64_t> writeRows(Connection& conn, const std::string& sql, std::string_view op,
                          Bind&& bind) {
  auto stmt = conn.prepare(sql, op);
  if (!stmt) return std::move(stmt).error();
  bind(*stmt);
  int rc = stmt->step();
  if (rc != SQLITE_DONE) return conn.error(op, rc);
  return conn.changes();
}

// writeRows for callers that only need "did it touch a row".
template <class Bind>
Result<bool> writeAny(Connection& conn, const std::string& sql, std::string_view op, Bind&& bind) {
  auto n = writeRows(conn, sql, op, std::forward<Bind>(bind));
  if (!n) return std::move(n).error();
  return *n > 0;
}

// writeRows for Status methods.
template <class Bind>
Status writeStatus(Connection& conn, const std::string& sql, std::string_view op, Bind&& bind) {
  auto n = writeRows(conn, sql, op, std::forward<Bind>(bind));
  if (!n) return std::move(n).error();
  return Ok{};
}

}  // namespace nubis::store::sqlite
