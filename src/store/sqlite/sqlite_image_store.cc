// SqliteImageStore: transactions, the seq counter and the image rows. Listing is in
// sqlite_image_store_list.cc; variants, signing keys and config in
// sqlite_image_store_settings.cc.
#include "store/sqlite/sqlite_image_store.h"

#include <string_view>
#include <utility>

#include "store/sqlite/connection.h"
#include "store/sqlite/image_columns.h"
#include "store/sqlite/query.h"
#include "store/sqlite/sqlite_store.h"

namespace nubis::store::sqlite {

Status SqliteImageStore::transaction(const std::function<Status(ImageStore&)>& fn) {
  // The owner's transaction: same connection, depth tracking, savepoints and rollback rules.
  return owner_.transaction([&](Store&) { return fn(*this); });
}

Result<int64_t> SqliteImageStore::nextSeq() {
  static const std::string kSql = "SELECT value + 1 FROM image_seq WHERE id = 1";
  auto next = queryOne<int64_t>(
      conn_, kSql, "nextSeq", [](Statement&) {}, [](const Statement& s) { return s.int64(0); });
  if (!next) return std::move(next).error();
  if (!next->has_value()) return ApiError::internal("sqlite: nextSeq: image_seq has no row");
  return **next;
}

namespace {

// Marks seq as used, so the next nextSeq() is above it.
Status useSeq(Connection& conn, int64_t seq) {
  static const std::string kSql = "UPDATE image_seq SET value = ?1 WHERE id = 1";
  return writeStatus(conn, kSql, "useSeq", [&](Statement& s) { s.bind(1, seq); });
}

}  // namespace

Result<bool> SqliteImageStore::insertImage(ImageRow& row) {
  std::lock_guard lock(mu_);
  static const std::string kSql = "INSERT INTO images (" + std::string(kImageColumns) +
                                  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
                                  " ?13, ?14, ?15, ?16)";
  bool inserted = false;
  int64_t seq = 0;
  // Two statements (row, counter) that must land together; joins the caller's transaction if
  // there is one (a bulk insert pays one commit, not one per row).
  auto write = [&]() -> Status {
    auto next = nextSeq();
    if (!next) return std::move(next).error();
    seq = *next;
    auto ok = insertRow(conn_, kSql, "insertImage", [&](Statement& s) {
      bindImage(s, row);
      s.bind(1, seq);
    });
    if (!ok) return std::move(ok).error();
    inserted = *ok;
    return inserted ? useSeq(conn_, seq) : Status(Ok{});
  };
  Status st = conn_.inTransaction() ? write() : transaction([&](ImageStore&) { return write(); });
  if (!st) return std::move(st).error();
  if (inserted) row.seq = seq;
  return inserted;
}

Result<std::optional<ImageRow>> SqliteImageStore::getImage(const std::string& account_id,
                                                           const std::string& id) {
  std::lock_guard lock(mu_);
  static const std::string kSql =
      selectSql(kImageColumns, "images", "WHERE account_id = ?1 AND id = ?2");
  return queryOne<ImageRow>(
      conn_, kSql, "getImage", [&](Statement& s) { s.bind(1, account_id).bind(2, id); }, readImage);
}

Result<bool> SqliteImageStore::updateImage(const ImageRow& row) {
  std::lock_guard lock(mu_);
  static const std::string kSql =
      "UPDATE images SET filename = ?3, meta_json = ?4, creator = ?5, require_signed = ?6"
      " WHERE account_id = ?1 AND id = ?2";
  return writeAny(conn_, kSql, "updateImage", [&](Statement& s) {
    s.bind(1, row.account_id).bind(2, row.id).bind(3, row.filename).bind(4, row.meta_json);
    s.bind(5, row.creator).bind(6, int64_t{row.require_signed ? 1 : 0});
  });
}

Result<bool> SqliteImageStore::completeDraft(const ImageRow& row) {
  std::lock_guard lock(mu_);
  // ?1 is the new seq; ?15 (draft_expires) and ?14 (draft) are not written from the row.
  static const std::string kSql =
      "UPDATE images SET seq = ?1, filename = ?4, content_hash = ?5, format = ?6, size = ?7,"
      " width = ?8, height = ?9, frames = ?10, draft = 0, draft_expires = 0, uploaded = ?16"
      " WHERE account_id = ?2 AND id = ?3 AND draft = 1 AND draft_expires > ?16";
  bool completed = false;
  auto write = [&]() -> Status {
    auto next = nextSeq();
    if (!next) return std::move(next).error();
    auto changed = writeAny(conn_, kSql, "completeDraft", [&](Statement& s) {
      bindImage(s, row);
      s.bind(1, *next);
    });
    if (!changed) return std::move(changed).error();
    completed = *changed;
    return completed ? useSeq(conn_, *next) : Status(Ok{});
  };
  Status st = conn_.inTransaction() ? write() : transaction([&](ImageStore&) { return write(); });
  if (!st) return std::move(st).error();
  return completed;
}

Result<std::optional<ImageRow>> SqliteImageStore::deleteImage(const std::string& account_id,
                                                              const std::string& id) {
  std::lock_guard lock(mu_);
  static const std::string kSql =
      "DELETE FROM images WHERE account_id = ?1 AND id = ?2 RETURNING " +
      std::string(kImageColumns);
  auto stmt = conn_.prepare(kSql, "deleteImage");
  if (!stmt) return std::move(stmt).error();
  stmt->bind(1, account_id).bind(2, id);
  std::optional<ImageRow> deleted;
  // Stepped to SQLITE_DONE, not just to the returned row: in autocommit mode the delete commits
  // (durably) when the statement completes, and only then may the caller rely on it.
  for (;;) {
    int rc = stmt->step();
    if (rc == SQLITE_DONE) return deleted;
    if (rc != SQLITE_ROW) return conn_.error("deleteImage", rc);
    deleted = readImage(*stmt);
  }
}

Result<int64_t> SqliteImageStore::countBlobRefs(const std::string& content_hash) {
  std::lock_guard lock(mu_);
  static const std::string kSql =
      "SELECT COUNT(*) FROM images WHERE content_hash = ?1 AND draft = 0";
  auto n = queryOne<int64_t>(
      conn_, kSql, "countBlobRefs", [&](Statement& s) { s.bind(1, content_hash); },
      [](const Statement& s) { return s.int64(0); });
  if (!n) return std::move(n).error();
  return n->value_or(0);
}

Result<int64_t> SqliteImageStore::countImages(const std::string& account_id) {
  std::lock_guard lock(mu_);
  // "draft = 0" spelled as in the partial index images_list, so the count walks that index.
  static const std::string kSql = "SELECT COUNT(*) FROM images WHERE account_id = ?1 AND draft = 0";
  auto n = queryOne<int64_t>(
      conn_, kSql, "countImages", [&](Statement& s) { s.bind(1, account_id); },
      [](const Statement& s) { return s.int64(0); });
  if (!n) return std::move(n).error();
  return n->value_or(0);
}

Result<int64_t> SqliteImageStore::deleteExpiredDrafts(int64_t now_micros) {
  std::lock_guard lock(mu_);
  static const std::string kSql = "DELETE FROM images WHERE draft = 1 AND draft_expires <= ?1";
  return writeRows(conn_, kSql, "deleteExpiredDrafts",
                   [&](Statement& s) { s.bind(1, now_micros); });
}

}  // namespace nubis::store::sqlite
