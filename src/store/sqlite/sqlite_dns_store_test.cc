// SqliteDnsStore: the record rows round-trip, the list filters (every text form, wildcards taken
// literally, match any/all), order and paging with totals, the zone cascade, and query plans
// that walk an index for every order (a deep page is never a sort of the zone).
#include "store/sqlite/sqlite_dns_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <set>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "store/sqlite/query_plan_for_test.h"
#include "store/sqlite/sqlite_store.h"
#include "store_contract/contract_support.h"

namespace nubis::store::sqlite {
namespace {

using contract::makeAccount;
using contract::makeZone;
using Op = DnsTextFilter::Op;

class SqliteDnsStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "nubis-sqldns-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto store = SqliteStore::open((dir_ / "nubis.db").string());
    ASSERT_TRUE(store.ok()) << store.error().detail;
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->insertAccount(makeAccount(1)).value());
    zone_ = makeZone(1, makeAccount(1).id, "example.com");
    ASSERT_TRUE(store_->insertZone(zone_).value());
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  DnsRecordRow record(int n, std::string type, std::string name, std::string content) {
    DnsRecordRow r;
    char id[33];
    std::snprintf(id, sizeof id, "%032x", n);
    r.id = id;
    r.zone_id = zone_.id;
    r.type = std::move(type);
    r.name = std::move(name);
    r.content = std::move(content);
    r.ttl = 100 + n;
    r.created_on = r.modified_on = 1000 + n;
    return r;
  }

  std::vector<std::string> names(const DnsQuery& q) {
    auto page = store_->dns().listRecords(q);
    EXPECT_TRUE(page.ok()) << (page.ok() ? "" : page.error().detail);
    std::vector<std::string> out;
    if (page.ok()) {
      for (const auto& r : page->rows) out.push_back(r.name);
    }
    return out;
  }

  std::string plan(const std::string& sql) { return queryPlan(dir_ / "nubis.db", sql); }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteStore> store_;
  ZoneRow zone_;
};

TEST_F(SqliteDnsStoreTest, RowsRoundTripAndUpdateAndDeleteReportMisses) {
  DnsRecordRow r = record(1, "MX", "mail.example.com", "mx.example.net");
  r.priority = 10;
  r.proxied = false;
  r.comment = "primary";
  r.tags_json = R"(["team:mail"])";
  ASSERT_TRUE(store_->dns().insertRecord(r).value());
  EXPECT_FALSE(store_->dns().insertRecord(r).value()) << "the same id twice";
  auto got = store_->dns().getRecord(zone_.id, r.id).value();
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->priority, 10);
  EXPECT_EQ(got->comment, "primary");
  EXPECT_EQ(got->tags_json, R"(["team:mail"])");
  EXPECT_FALSE(store_->dns().getRecord("0000000000000000000000000000beef", r.id).value());

  r.content = "mx2.example.net";
  r.priority.reset();
  r.modified_on = 5000;
  ASSERT_TRUE(store_->dns().updateRecord(r).value());
  got = store_->dns().getRecord(zone_.id, r.id).value();
  EXPECT_EQ(got->content, "mx2.example.net");
  EXPECT_FALSE(got->priority.has_value());
  EXPECT_EQ(got->created_on, 1001) << "created_on is never rewritten";
  EXPECT_EQ(got->modified_on, 5000);

  EXPECT_TRUE(store_->dns().deleteRecord(zone_.id, r.id).value());
  EXPECT_FALSE(store_->dns().deleteRecord(zone_.id, r.id).value());
  EXPECT_FALSE(store_->dns().updateRecord(r).value());
}

TEST_F(SqliteDnsStoreTest, InvalidTagsJsonAndUnknownZonesAreErrors) {
  DnsRecordRow r = record(2, "TXT", "t.example.com", "x");
  r.tags_json = "[not json";
  EXPECT_FALSE(store_->dns().insertRecord(r).ok());
  r.tags_json = "[]";
  r.zone_id = "0000000000000000000000000000beef";
  EXPECT_FALSE(store_->dns().insertRecord(r).ok());
}

TEST_F(SqliteDnsStoreTest, FiltersOrdersAndPages) {
  const char* rows[][3] = {{"A", "www.example.com", "192.0.2.1"},
                           {"A", "api.example.com", "192.0.2.2"},
                           {"TXT", "example.com", "v=spf1 -all"},
                           {"TXT", "_dmarc.example.com", "v=DMARC1; p=none; 100%_sure"},
                           {"CNAME", "blog.example.com", "host.example.net"}};
  int n = 10;
  for (const auto& r : rows) ASSERT_TRUE(store_->dns().insertRecord(record(n++, r[0], r[1], r[2])).value());

  DnsQuery q{.zone_id = zone_.id};
  auto page = store_->dns().listRecords(q).value();
  EXPECT_EQ(page.total, 5);
  std::vector<std::string> types;
  for (const auto& r : page.rows) types.push_back(r.type);
  EXPECT_EQ(types, (std::vector<std::string>{"A", "A", "CNAME", "TXT", "TXT"}));

  q.type = "A";
  EXPECT_EQ(names(q).size(), 2u);
  q = DnsQuery{.zone_id = zone_.id, .name = DnsTextFilter{Op::kExact, "www.example.com"}};
  EXPECT_EQ(names(q), std::vector<std::string>{"www.example.com"});
  q.name = DnsTextFilter{Op::kStartsWith, "_dm"};
  EXPECT_EQ(names(q), std::vector<std::string>{"_dmarc.example.com"});
  q.name = DnsTextFilter{Op::kStartsWith, "_"};  // '_' is a character, not LIKE's wildcard
  EXPECT_EQ(names(q), std::vector<std::string>{"_dmarc.example.com"});
  q.name.reset();
  q.content = DnsTextFilter{Op::kContains, "100%_"};
  EXPECT_EQ(names(q), std::vector<std::string>{"_dmarc.example.com"});
  q.content = DnsTextFilter{Op::kContains, "%"};
  EXPECT_EQ(names(q).size(), 1u);
  q.content = DnsTextFilter{Op::kExact, "V=SPF1 -ALL"};  // case-insensitive
  EXPECT_EQ(names(q), std::vector<std::string>{"example.com"});
  q.content = DnsTextFilter{Op::kEndsWith, ".net"};
  EXPECT_EQ(names(q), std::vector<std::string>{"blog.example.com"});

  // match: all narrows, any widens.
  DnsQuery both{.zone_id = zone_.id,
                .type = "A",
                .name = DnsTextFilter{Op::kExact, "blog.example.com"}};
  EXPECT_TRUE(names(both).empty());
  both.match_any = true;
  EXPECT_EQ(names(both).size(), 3u);

  // Order and paging: total counts every match, the page holds at most limit.
  DnsQuery paged{.zone_id = zone_.id, .order = "name", .desc = true, .offset = 1, .limit = 2};
  auto p = store_->dns().listRecords(paged).value();
  EXPECT_EQ(p.total, 5);
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[0].name, "example.com");  // www, example.com, blog, api, _dmarc
  EXPECT_EQ(p.rows[1].name, "blog.example.com");
  paged.offset = 10;
  EXPECT_TRUE(store_->dns().listRecords(paged).value().rows.empty());

  auto named = store_->dns().recordsNamed(zone_.id, "www.example.com").value();
  ASSERT_EQ(named.size(), 1u);
  EXPECT_EQ(named[0].content, "192.0.2.1");
}

TEST_F(SqliteDnsStoreTest, TagFiltersCombineByTagMatchThenByMatchAndSearchAlwaysNarrows) {
  using T = DnsTagFilter::Op;
  auto tagged = [&](int n, std::string name, std::string tags, std::string comment = "") {
    DnsRecordRow r = record(n, "TXT", std::move(name), "v" + std::to_string(n));
    r.tags_json = std::move(tags);
    r.comment = std::move(comment);
    ASSERT_TRUE(store_->dns().insertRecord(r).value());
  };
  tagged(1, "a.example.com", R"(["team:DNS","env:prod"])");
  tagged(2, "b.example.com", R"(["team:web","important"])", "owned by Team DNS");
  tagged(3, "c.example.com", R"(["env:prod-eu","owner:100%_x"])");
  tagged(4, "d.example.com", R"([])");
  tagged(5, "e.example.com", R"(["teams:dns","Team:"])");
  auto with = [&](std::vector<DnsTagFilter> tags, bool any = false) {
    return names(DnsQuery{.zone_id = zone_.id, .tags = std::move(tags), .tag_match_any = any});
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(with({{T::kPresent, "TEAM", ""}}), (V{"a.example.com", "b.example.com", "e.example.com"}))
      << "by name, bare or with a value, without case; not 'teams'";
  EXPECT_EQ(with({{T::kPresent, "important", ""}}), V{"b.example.com"}) << "a bare tag";
  EXPECT_EQ(with({{T::kAbsent, "team", ""}}), (V{"c.example.com", "d.example.com"}));
  EXPECT_EQ(with({{T::kExact, "team", "dns"}}), V{"a.example.com"}) << "value without case";
  EXPECT_EQ(with({{T::kExact, "env", "prod"}}), V{"a.example.com"}) << "exact is not a prefix";
  EXPECT_EQ(with({{T::kStartsWith, "env", "prod"}}), (V{"a.example.com", "c.example.com"}));
  EXPECT_EQ(with({{T::kEndsWith, "env", "-eu"}}), V{"c.example.com"});
  EXPECT_EQ(with({{T::kContains, "team", "e"}}), V{"b.example.com"});
  EXPECT_EQ(with({{T::kContains, "owner", "%_"}}), V{"c.example.com"}) << "wildcards are text";
  EXPECT_TRUE(with({{T::kContains, "owner", "_%"}}).empty());
  EXPECT_TRUE(with({{T::kExact, "%", "%"}}).empty());
  // tag_match: all narrows, any widens.
  EXPECT_EQ(with({{T::kPresent, "team", ""}, {T::kPresent, "env", ""}}), V{"a.example.com"});
  EXPECT_EQ(with({{T::kPresent, "important", ""}, {T::kPresent, "owner", ""}}, true),
            (V{"b.example.com", "c.example.com"}));

  // The tag condition is one filter among the others for `match`.
  DnsQuery q{.zone_id = zone_.id,
             .name = DnsTextFilter{Op::kExact, "d.example.com"},
             .tags = {{T::kPresent, "important", ""}, {T::kPresent, "owner", ""}},
             .tag_match_any = true};
  EXPECT_TRUE(names(q).empty());
  q.match_any = true;
  EXPECT_EQ(names(q), (V{"b.example.com", "c.example.com", "d.example.com"}));

  // search: name, content, comment or a tag contains the text; it narrows even under match=any.
  auto search = [&](std::string text) {
    return names(DnsQuery{.zone_id = zone_.id, .search = std::move(text)});
  };
  EXPECT_EQ(search("C.EXAMPLE"), V{"c.example.com"}) << "in the name";
  EXPECT_EQ(search("v4"), V{"d.example.com"}) << "in the content";
  EXPECT_EQ(search("team dns"), V{"b.example.com"}) << "in the comment";
  EXPECT_EQ(search("dns"), (V{"a.example.com", "b.example.com", "e.example.com"})) << "in tags too";
  EXPECT_EQ(search("100%_"), V{"c.example.com"});
  EXPECT_EQ(search("%"), V{"c.example.com"}) << "% is a character";
  EXPECT_TRUE(search("_%").empty());
  q.search = "a.example";
  EXPECT_TRUE(names(q).empty()) << "match=any widens the filters, search still narrows";
  q.search = "b.example";
  EXPECT_EQ(names(q), V{"b.example.com"});
  EXPECT_EQ(store_->dns().listRecords(q).value().total, 1);
}

TEST_F(SqliteDnsStoreTest, TagAndSearchTextIsBoundNeverSpliced) {
  DnsQuery q{.zone_id = zone_.id,
             .name = DnsTextFilter{Op::kExact, "x.example.com"},
             .tags = {{DnsTagFilter::Op::kPresent, "evil'--", ""},
                      {DnsTagFilter::Op::kEndsWith, "team", "'); DROP TABLE x; --"}},
             .search = "search'text"};
  const std::string sql = dnsListSql(q);
  for (const char* client : {"evil", "team", "DROP", "search"}) {
    EXPECT_EQ(sql.find(client), std::string::npos) << client << " in " << sql;
  }
  const std::string p = plan(sql);  // it prepares, and an exact name still uses its index
  EXPECT_NE(p.find("dns_records_zone_name"), std::string::npos) << p;
  EXPECT_TRUE(store_->dns().listRecords(q).ok());
}

TEST_F(SqliteDnsStoreTest, DeletingTheZoneDeletesItsRecords) {
  ASSERT_TRUE(store_->dns().insertRecord(record(1, "A", "a.example.com", "192.0.2.1")).value());
  ASSERT_TRUE(store_->deleteZone(zone_.id).value());
  EXPECT_EQ(store_->dns().listRecords(DnsQuery{.zone_id = zone_.id}).value().total, 0);
  EXPECT_TRUE(store_->checkIntegrity().ok());
}

// The order of a list is one walk of an index that holds everything it needs (the order column,
// id, rowid): no row is read until the page's 100 are fetched by rowid.
TEST_F(SqliteDnsStoreTest, EveryOrderWalksAnIndexNeverASortOfTheZone) {
  for (const char* order : {"type", "name", "content", "ttl", "proxied"}) {
    for (bool desc : {false, true}) {
      DnsQuery q{.zone_id = zone_.id, .order = order, .desc = desc, .offset = 99900, .limit = 100};
      const std::string sql = dnsListSql(q);
      const std::string p = plan(sql);
      EXPECT_NE(p.find("USING COVERING INDEX dns_records_zone_" + std::string(order)),
                std::string::npos) << sql << "\n" << p;
      EXPECT_EQ(p.find("TEMP B-TREE"), std::string::npos) << sql << "\n" << p;
    }
  }
  DnsQuery named{.zone_id = zone_.id, .name = DnsTextFilter{Op::kExact, "x.example.com"}};
  const std::string p = plan(dnsListSql(named));
  EXPECT_NE(p.find("dns_records_zone_name"), std::string::npos) << p;
}

// Pages come from a kept order (DnsPositions) while the database is unchanged: every write, through
// this store or any other path on the connection (a zone delete), is seen by the next page.
TEST_F(SqliteDnsStoreTest, KeptOrdersNeverServeAStalePage) {
  for (int i = 0; i < 1500; ++i) {
    ASSERT_TRUE(store_->dns().insertRecord(record(i, "A", "r" + std::to_string(10000 + i) + ".example.com", "192.0.2.1")).value());
  }
  DnsQuery q{.zone_id = zone_.id, .order = "name", .offset = 1400, .limit = 100};
  auto first = store_->dns().listRecords(q).value();
  ASSERT_EQ(first.total, 1500);
  ASSERT_EQ(first.rows.size(), 100u);
  EXPECT_EQ(first.rows.front().name, "r11400.example.com");
  EXPECT_EQ(first.rows.back().name, "r11499.example.com");
  // A walk: every record once, in order, across pages.
  std::vector<std::string> walked;
  for (int64_t off = 0; off < 1500; off += 100) {
    DnsQuery page = q;
    page.offset = off;
    const DnsPage got = store_->dns().listRecords(page).value();
    for (const auto& r : got.rows) walked.push_back(r.name);
  }
  ASSERT_EQ(walked.size(), 1500u);
  EXPECT_TRUE(std::is_sorted(walked.begin(), walked.end()));
  EXPECT_EQ(std::set<std::string>(walked.begin(), walked.end()).size(), 1500u);

  // Writes through the DNS store: insert, update, delete.
  ASSERT_TRUE(store_->dns().insertRecord(record(9000, "A", "r99999.example.com", "192.0.2.9")).value());
  EXPECT_EQ(store_->dns().listRecords(q).value().total, 1501);
  DnsRecordRow moved = record(5, "A", "r00000.example.com", "192.0.2.5");
  ASSERT_TRUE(store_->dns().updateRecord(moved).value());
  auto after = store_->dns().listRecords(DnsQuery{.zone_id = zone_.id, .order = "name", .limit = 1}).value();
  EXPECT_EQ(after.rows.at(0).name, "r00000.example.com");
  ASSERT_TRUE(store_->dns().deleteRecord(zone_.id, moved.id).value());
  EXPECT_EQ(store_->dns().listRecords(q).value().total, 1500);
  // Offsets from paging arithmetic gone wrong are empty pages, never reads outside the order.
  for (int64_t off : {int64_t{-2048}, int64_t{-1}, INT64_MIN, INT64_MAX, int64_t{1500}}) {
    DnsQuery odd = q;
    odd.offset = off;
    odd.limit = off < 0 ? 4194304 : 100;
    auto page = store_->dns().listRecords(odd).value();
    EXPECT_TRUE(page.rows.empty()) << off;
    EXPECT_EQ(page.total, 1500) << off;
  }
  // A write elsewhere on the connection (the zone and its records go by cascade).
  ASSERT_TRUE(store_->deleteZone(zone_.id).value());
  EXPECT_EQ(store_->dns().listRecords(q).value().total, 0);
}

}  // namespace
}  // namespace nubis::store::sqlite
