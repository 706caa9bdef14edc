#include "store/sqlite/sqlite_dns_store.h"

#include <algorithm>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/sqlite/connection.h"
#include "store/sqlite/query.h"

namespace nubis::store::sqlite {
namespace {

constexpr std::string_view kColumns =
    "id, zone_id, type, name, content, priority, ttl, proxied, comment, tags_json, created_on,"
    " modified_on, data_json";

DnsRecordRow readRecord(const Statement& s) {
  DnsRecordRow r;
  r.id = s.text(0);
  r.zone_id = s.text(1);
  r.type = s.text(2);
  r.name = s.text(3);
  r.content = s.text(4);
  r.priority = s.optInt64(5);
  r.ttl = s.int64(6);
  r.proxied = s.int64(7) != 0;
  r.comment = s.text(8);
  r.tags_json = s.text(9);
  r.created_on = s.int64(10);
  r.modified_on = s.int64(11);
  r.data_json = s.text(12);
  return r;
}

void bindRecord(Statement& s, const DnsRecordRow& r) {
  s.bind(1, r.id)
      .bind(2, r.zone_id)
      .bind(3, r.type)
      .bind(4, r.name)
      .bind(5, r.content)
      .bind(6, r.priority)
      .bind(7, r.ttl)
      .bind(8, int64_t{r.proxied ? 1 : 0})
      .bind(9, r.comment)
      .bind(10, r.tags_json)
      .bind(11, r.created_on)
      .bind(12, r.modified_on)
      .bind(13, r.data_json);
}

// Text for a LIKE pattern, with \ escaping the wildcards it may carry (ESCAPE '\').
std::string escapeLike(std::string_view text) {
  std::string v;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') v.push_back('\\');
    v.push_back(c);
  }
  return v;
}

// LIKE pattern for a text filter.
std::string likePattern(const DnsTextFilter& f) {
  const std::string v = escapeLike(f.value);
  switch (f.op) {
    case DnsTextFilter::Op::kContains: return "%" + v + "%";
    case DnsTextFilter::Op::kStartsWith: return v + "%";
    case DnsTextFilter::Op::kEndsWith: return "%" + v;
    case DnsTextFilter::Op::kExact: break;
  }
  return v;
}

std::string joined(const std::vector<std::string>& terms, bool any) {
  std::string out;
  for (size_t i = 0; i < terms.size(); ++i) {
    if (i > 0) out += any ? " OR " : " AND ";
    out += terms[i];
  }
  return out;
}

// Whether a tag of the record matches `like` (" LIKE ?n ESCAPE ..."): the tags are a JSON array
// of strings, each row's read by json_each.
std::string anyTag(const std::string& like) {
  return "EXISTS (SELECT 1 FROM json_each(dns_records.tags_json) AS tag WHERE tag.value" + like +
         ")";
}

// A tag filter as SQL. Tags are "name" or "name:value", and names hold no ':' (the service
// checks them), so "name:" starts exactly the tags of that name that have a value.
template <typename Param>
std::string tagTerm(const DnsTagFilter& f, Param& param) {
  using Op = DnsTagFilter::Op;
  const std::string like = " LIKE ";
  const std::string esc = " ESCAPE '\\'";
  const std::string name = escapeLike(f.name);
  const std::string value = escapeLike(f.value);
  std::string pattern;
  switch (f.op) {
    case Op::kPresent:
    case Op::kAbsent: {
      const std::string bare = param(name);
      const std::string named = param(name + ":%");
      const std::string exists = "EXISTS (SELECT 1 FROM json_each(dns_records.tags_json) AS tag"
                                 " WHERE tag.value" + like + bare + esc + " OR tag.value" + like +
                                 named + esc + ")";
      return f.op == Op::kPresent ? exists : "NOT " + exists;
    }
    case Op::kExact: pattern = name + ":" + value; break;
    case Op::kContains: pattern = name + ":%" + value + "%"; break;
    case Op::kStartsWith: pattern = name + ":" + value + "%"; break;
    case Op::kEndsWith: pattern = name + ":%" + value; break;
  }
  return anyTag(like + param(pattern) + esc);
}

// The WHERE clause of a list and the text values it binds, in order (?2 onwards; ?1 is the
// zone). Booleans become literals: only client text is bound.
struct Where {
  std::string sql;
  std::vector<std::string> texts;
};

Where whereOf(const DnsQuery& q) {
  std::vector<std::string> terms;
  Where w;
  auto param = [&](std::string value) {
    w.texts.push_back(std::move(value));
    return "?" + std::to_string(1 + w.texts.size());
  };
  auto text = [&](std::string_view column, const DnsTextFilter& f) {
    const std::string c(column);
    if (f.op == DnsTextFilter::Op::kExact && column == "name") {
      // Names are stored lower-case: a plain comparison, which the name index serves.
      terms.push_back("name = lower(" + param(f.value) + ")");
    } else if (f.op == DnsTextFilter::Op::kExact) {
      terms.push_back("lower(" + c + ") = lower(" + param(f.value) + ")");
    } else {
      terms.push_back(c + " LIKE " + param(likePattern(f)) + " ESCAPE '\\'");
    }
  };
  if (q.type) terms.push_back("type = " + param(*q.type));
  if (q.name) text("name", *q.name);
  if (q.content) text("content", *q.content);
  if (q.comment) text("comment", *q.comment);
  if (q.comment_present) terms.push_back(*q.comment_present ? "comment <> ''" : "comment = ''");
  if (q.proxied) terms.push_back(*q.proxied ? "proxied = 1" : "proxied = 0");
  if (!q.tags.empty()) {
    std::vector<std::string> tag_terms;
    for (const DnsTagFilter& f : q.tags) tag_terms.push_back(tagTerm(f, param));
    terms.push_back("(" + joined(tag_terms, q.tag_match_any) + ")");
  }
  w.sql = "WHERE zone_id = ?1";
  if (!terms.empty()) w.sql += " AND (" + joined(terms, q.match_any) + ")";
  if (q.search) {
    // One pattern, bound once, used in each place the text may be found.
    const std::string p = param("%" + escapeLike(*q.search) + "%");
    const std::string like = " LIKE " + p + " ESCAPE '\\'";
    w.sql += " AND (name" + like + " OR content" + like + " OR comment" + like + " OR " +
             anyTag(like) + ")";
  }
  return w;
}

void bindWhere(Statement& s, const DnsQuery& q, const Where& w) {
  s.bind(1, q.zone_id);
  int n = 2;
  for (const std::string& t : w.texts) s.bind(n++, t);
}

std::string_view orderColumn(const std::string& order) {
  for (std::string_view c : {"type", "name", "content", "ttl", "proxied"}) {
    if (order == c) return c;
  }
  return "type";
}

}  // namespace

std::string dnsListSql(const DnsQuery& q) {
  const std::string dir = q.desc ? " DESC" : " ASC";
  // An exact name (the DDNS clients' lookup) matches a handful of rows: find them by the name
  // index and sort those, rather than walk the zone in the order's index (what the planner picks
  // without statistics).
  const bool by_name = q.name && q.name->op == DnsTextFilter::Op::kExact && !q.match_any;
  const char* table = by_name ? "dns_records INDEXED BY dns_records_zone_name" : "dns_records";
  return selectSql("rowid", table, whereOf(q).sql) + " ORDER BY " +
         std::string(orderColumn(q.order)) + dir + ", id" + dir;
}

Result<bool> SqliteDnsStore::insertRecord(const DnsRecordRow& row) {
  std::lock_guard lock(mu_);
  static const std::string kSql = "INSERT INTO dns_records (" + std::string(kColumns) +
                                  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
  return insertRow(conn_, kSql, "insertRecord", [&](Statement& s) { bindRecord(s, row); });
}

Result<std::optional<DnsRecordRow>> SqliteDnsStore::getRecord(const std::string& zone_id,
                                                              const std::string& id) {
  std::lock_guard lock(mu_);
  static const std::string kSql =
      selectSql(kColumns, "dns_records", "WHERE zone_id = ?1 AND id = ?2");
  return queryOne<DnsRecordRow>(
      conn_, kSql, "getRecord", [&](Statement& s) { s.bind(1, zone_id).bind(2, id); },
      readRecord);
}

Result<bool> SqliteDnsStore::updateRecord(const DnsRecordRow& row) {
  std::lock_guard lock(mu_);
  static const std::string kSql =
      "UPDATE dns_records SET type = ?3, name = ?4, content = ?5, priority = ?6, ttl = ?7,"
      " proxied = ?8, comment = ?9, tags_json = ?10, modified_on = ?12, data_json = ?13"
      " WHERE id = ?1 AND zone_id = ?2";
  return writeAny(conn_, kSql, "updateRecord", [&](Statement& s) { bindRecord(s, row); });
}

Result<bool> SqliteDnsStore::deleteRecord(const std::string& zone_id, const std::string& id) {
  std::lock_guard lock(mu_);
  static const std::string kSql = "DELETE FROM dns_records WHERE zone_id = ?1 AND id = ?2";
  return writeAny(conn_, kSql, "deleteRecord",
                  [&](Statement& s) { s.bind(1, zone_id).bind(2, id); });
}

Result<std::vector<DnsRecordRow>> SqliteDnsStore::recordsNamed(const std::string& zone_id,
                                                               const std::string& name) {
  std::lock_guard lock(mu_);
  static const std::string kSql =
      selectSql(kColumns, "dns_records", "WHERE zone_id = ?1 AND name = ?2 ORDER BY id");
  std::vector<DnsRecordRow> out;
  Status st = queryAll<DnsRecordRow>(
      conn_, kSql, "recordsNamed", [&](Statement& s) { s.bind(1, zone_id).bind(2, name); },
      readRecord, out);
  if (!st) return std::move(st).error();
  return out;
}

Result<DnsPage> SqliteDnsStore::listRecords(const DnsQuery& q) {
  std::lock_guard lock(mu_);
  const Where w = whereOf(q);
  const std::string sql = dnsListSql(q);

  auto version = conn_.prepare("PRAGMA data_version", "dataVersion");
  if (!version) return std::move(version).error();
  if (const int rc = version->step(); rc != SQLITE_ROW) return conn_.error("dataVersion", rc);
  const DnsPositions::Generation generation{conn_.totalChanges(), version->int64(0)};
  // The key: the SQL and every bound value, each length-prefixed so that no two differ only in
  // where one value ends.
  std::string key = sql + "\x1f" + q.zone_id;  // zone ids are fixed-length hex
  for (const std::string& v : w.texts) key += "\x1f" + std::to_string(v.size()) + ":" + v;

  DnsPositions::Rowids rowids = positions_.find(key, generation);
  if (rowids == nullptr) {
    auto stmt = conn_.prepareUncached(sql, "listRecords");
    if (!stmt) return std::move(stmt).error();
    bindWhere(*stmt, q, w);
    auto all = std::make_shared<std::vector<int64_t>>();
    for (;;) {
      const int rc = stmt->step();
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return conn_.error("listRecords", rc);
      all->push_back(stmt->int64(0));
    }
    rowids = std::move(all);
    positions_.put(key, generation, rowids);
  }

  DnsPage page;
  page.total = static_cast<int64_t>(rowids->size());
  if (q.offset < 0 || q.offset >= page.total || q.limit <= 0) return page;
  const size_t begin = static_cast<size_t>(q.offset);
  const size_t end = begin + static_cast<size_t>(std::min<int64_t>(page.total - q.offset, q.limit));
  page.rows.resize(end - begin);
  std::unordered_map<int64_t, size_t> slot;
  slot.reserve(end - begin);
  for (size_t i = begin; i < end; ++i) slot.emplace((*rowids)[i], i - begin);
  // By primary key, in chunks (SQLite's bound on parameters), then put back in the list's order.
  constexpr size_t kChunk = 500;
  for (size_t from = begin; from < end; from += kChunk) {
    const size_t n = std::min(kChunk, end - from);
    std::string in;
    for (size_t i = 0; i < n; ++i) in += (i == 0 ? "?" : ",?") + std::to_string(i + 1);
    auto stmt = conn_.prepareUncached(
        selectSql(std::string(kColumns) + ", rowid", "dns_records",
                  "WHERE zone_id = ?" + std::to_string(n + 1) + " AND rowid IN (" + in + ")"),
        "listRecordRows");
    if (!stmt) return std::move(stmt).error();
    for (size_t i = 0; i < n; ++i) stmt->bind(static_cast<int>(i + 1), (*rowids)[from + i]);
    stmt->bind(static_cast<int>(n + 1), q.zone_id);
    for (;;) {
      const int rc = stmt->step();
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return conn_.error("listRecordRows", rc);
      page.rows[slot.at(stmt->int64(13))] = readRecord(*stmt);
    }
  }
  return page;
}

}  // namespace nubis::store::sqlite
