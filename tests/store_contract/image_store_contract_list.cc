// The ImageStore contract, part 2: listing (order, limit, offset, keyset pages in both
// directions), creator, metadata filters (every op and type), and 100,000 images in one account.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "store_contract/image_store_contract.h"

namespace nubis::store::contract {
namespace {

using Query = ImageStore::ImageQuery;
using Filter = ImageStore::MetaFilter;
using Op = Filter::Op;
using Type = Filter::Type;
using Ids = std::vector<std::string>;

// Inserts images 1..n of acc in order and returns their ids, oldest first.
Ids insertImages(ImageStore& images, const std::string& acc, int n) {
  Ids ids;
  for (int i = 1; i <= n; ++i) {
    ImageRow r = makeImage(i, acc);
    EXPECT_TRUE(MUST(images.insertImage(r)));
    ids.push_back(r.id);
  }
  return ids;
}

TEST_P(ImageStoreContractTest, ListsNewestFirstByDefaultOldestFirstOnRequest) {
  const std::string acc = account(1), other = account(2);
  Ids ids = insertImages(images(), acc, 5);
  ImageRow foreign = makeImage(9, other);
  ASSERT_TRUE(MUST(images().insertImage(foreign)));
  Ids newest(ids.rbegin(), ids.rend());
  EXPECT_EQ(idsOf(MUST(images().listImages({.account_id = acc}))), newest);
  EXPECT_EQ(idsOf(MUST(images().listImages({.account_id = acc, .ascending = true}))), ids);
  EXPECT_EQ(idsOf(MUST(images().listImages({.account_id = other}))), Ids{foreign.id});
  EXPECT_TRUE(MUST(images().listImages({.account_id = account(3)})).empty());
  // Whole rows come back.
  auto rows = MUST(images().listImages({.account_id = acc, .limit = 1}));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(fields(rows[0]), fields(*MUST(images().getImage(acc, ids.back()))));
}

TEST_P(ImageStoreContractTest, LimitAndOffsetPageInEitherDirection) {
  const std::string acc = account(1);
  Ids ids = insertImages(images(), acc, 10);
  Ids newest(ids.rbegin(), ids.rend());
  EXPECT_EQ(idsOf(MUST(images().listImages({.account_id = acc, .limit = 3}))),
            Ids(newest.begin(), newest.begin() + 3));
  EXPECT_EQ(idsOf(MUST(images().listImages({.account_id = acc, .offset = 3, .limit = 3}))),
            Ids(newest.begin() + 3, newest.begin() + 6));
  EXPECT_EQ(idsOf(MUST(images().listImages(
                {.account_id = acc, .ascending = true, .offset = 8, .limit = 3}))),
            Ids(ids.begin() + 8, ids.end()));
  EXPECT_TRUE(MUST(images().listImages({.account_id = acc, .offset = 10})).empty());
  EXPECT_TRUE(MUST(images().listImages({.account_id = acc, .limit = 0})).empty());
  EXPECT_TRUE(MUST(images().listImages({.account_id = acc, .limit = -1})).empty());
  EXPECT_EQ(MUST(images().listImages({.account_id = acc, .offset = -5, .limit = 2})).size(), 2u);
}

// Follows keyset pages (after_seq = the last row's seq) to the end.
Ids walkKeyset(ImageStore& images, const std::string& acc, bool ascending, int page,
               const std::function<void()>& between_pages = {}) {
  Ids seen;
  std::optional<int64_t> after;
  for (int guard = 0; guard < 1000; ++guard) {
    auto rows = MUST(images.listImages(
        {.account_id = acc, .ascending = ascending, .after_seq = after, .limit = page}));
    for (const auto& r : rows) seen.push_back(r.id);
    if (rows.size() < static_cast<size_t>(page)) break;
    after = rows.back().seq;
    if (between_pages) between_pages();
  }
  return seen;
}

TEST_P(ImageStoreContractTest, KeysetPagesYieldEveryImageExactlyOnceInBothDirections) {
  const std::string acc = account(1);
  Ids ids = insertImages(images(), acc, 23);
  ImageRow draft = makeDraft(1, acc, kT0 + 1'000'000);
  ASSERT_TRUE(MUST(images().insertImage(draft)));
  Ids newest(ids.rbegin(), ids.rend());
  for (int page : {1, 5, 7, 23, 100}) {
    EXPECT_EQ(walkKeyset(images(), acc, /*ascending=*/false, page), newest) << "page " << page;
    EXPECT_EQ(walkKeyset(images(), acc, /*ascending=*/true, page), ids) << "page " << page;
  }
  // after_seq of a row that is gone still works: it is a position, not a row.
  ImageRow mid = *MUST(images().getImage(acc, ids[10]));
  ASSERT_TRUE(MUST(images().deleteImage(acc, mid.id)).has_value());
  EXPECT_EQ(idsOf(MUST(images().listImages(
                {.account_id = acc, .ascending = true, .after_seq = mid.seq, .limit = 2}))),
            (Ids{ids[11], ids[12]}));
  EXPECT_EQ(idsOf(MUST(images().listImages({.account_id = acc, .after_seq = mid.seq, .limit = 2}))),
            (Ids{ids[9], ids[8]}));
}

TEST_P(ImageStoreContractTest, KeysetPagesStayExactWhileImagesArriveAndLeave) {
  const std::string acc = account(1);
  Ids ids = insertImages(images(), acc, 20);
  // Newest first: images uploaded during the walk are newer than the first page, so they are
  // not in it, and nothing already listed comes back.
  int n = 100;
  Ids seen = walkKeyset(images(), acc, /*ascending=*/false, 6, [&] {
    ImageRow r = makeImage(n++, acc);
    EXPECT_TRUE(MUST(images().insertImage(r)));
  });
  EXPECT_EQ(seen, Ids(ids.rbegin(), ids.rend()));
  // Oldest first: they arrive at the end and are listed, once each, in upload order.
  Ids all = idsOf(MUST(images().listImages({.account_id = acc, .ascending = true, .limit = 1000})));
  int m = 200;
  Ids seenAsc = walkKeyset(images(), acc, /*ascending=*/true, 7, [&] {
    if (m < 203) {
      ImageRow r = makeImage(m++, acc);
      EXPECT_TRUE(MUST(images().insertImage(r)));
      all.push_back(r.id);
    }
  });
  EXPECT_EQ(seenAsc, all);
}

TEST_P(ImageStoreContractTest, CreatorFilterDistinguishesEmptyFromAbsent) {
  const std::string acc = account(1);
  ImageRow a = makeImage(1, acc), b = makeImage(2, acc), c = makeImage(3, acc);
  ImageRow d = makeImage(4, acc);
  a.creator = "alice";
  b.creator = std::nullopt;
  c.creator = "alice";
  d.creator = "bob";
  for (ImageRow* r : {&a, &b, &c, &d}) ASSERT_TRUE(MUST(images().insertImage(*r)));
  EXPECT_EQ(idsOf(MUST(images().listImages({.account_id = acc, .creator = "alice"}))),
            (Ids{c.id, a.id}));
  EXPECT_EQ(idsOf(MUST(images().listImages({.account_id = acc, .creator = ""}))), Ids{b.id});
  EXPECT_EQ(idsOf(MUST(images().listImages({.account_id = acc, .creator = std::nullopt}))),
            (Ids{d.id, c.id, b.id, a.id}));
  EXPECT_TRUE(MUST(images().listImages({.account_id = acc, .creator = "carol"})).empty());
  EXPECT_TRUE(MUST(images().listImages({.account_id = acc, .creator = "Alice"})).empty());
  // Combined with keyset pages.
  EXPECT_EQ(
      idsOf(MUST(images().listImages({.account_id = acc, .creator = "alice", .after_seq = c.seq}))),
      Ids{a.id});
}

// ---- metadata filters

Filter filter(std::vector<std::string> path, Op op, Type type, std::vector<std::string> values) {
  return Filter{std::move(path), op, type, std::move(values)};
}

struct FilterCase {
  const char* name;
  std::vector<Filter> filters;
  Ids want;  // image ids, newest first
};

TEST_P(ImageStoreContractTest, MetaFiltersMatchByOpAndType) {
  const std::string acc = account(1);
  const std::map<std::string, std::string> metas = {
      {"m1", R"({"status":"active","priority":1,"flag":true,"code":"5",)"
             R"("nested":{"a":{"b":"x","c":{"d":{"e":3}}}}})"},
      {"m2", R"({"status":"archived","priority":5.5,"flag":false,"code":5})"},
      {"m3", R"({"status":"active","priority":10,"region":"eu","tags":["a","b"]})"},
      {"m4", R"({"123":"numeric key","status":null})"},
      {"m5", R"({"priority":"7","status":"ACTIVE","flag":"true"})"},
  };
  for (const auto& [id, meta] : metas) {
    ImageRow r = makeImage(static_cast<int>(id[1] - '0'), acc);
    r.id = id;
    r.meta_json = meta;
    ASSERT_TRUE(MUST(images().insertImage(r)));
  }
  const std::vector<FilterCase> cases = {
      {"eq any text", {filter({"status"}, Op::kEq, Type::kAny, {"active"})}, {"m3", "m1"}},
      {"eq string", {filter({"status"}, Op::kEq, Type::kString, {"active"})}, {"m3", "m1"}},
      {"eq is case-sensitive", {filter({"status"}, Op::kEq, Type::kAny, {"Active"})}, {}},
      {"eq any matches text and number",
       {filter({"code"}, Op::kEq, Type::kAny, {"5"})},
       {"m2", "m1"}},
      {"eq string is text only", {filter({"code"}, Op::kEq, Type::kString, {"5"})}, {"m1"}},
      {"eq number is numbers only", {filter({"code"}, Op::kEq, Type::kNumber, {"5"})}, {"m2"}},
      {"eq number is numeric", {filter({"priority"}, Op::kEq, Type::kNumber, {"1.0"})}, {"m1"}},
      {"eq number real", {filter({"priority"}, Op::kEq, Type::kNumber, {"5.5"})}, {"m2"}},
      {"eq number of a non-number", {filter({"priority"}, Op::kEq, Type::kNumber, {"abc"})}, {}},
      {"gt", {filter({"priority"}, Op::kGt, Type::kAny, {"1"})}, {"m3", "m2"}},
      {"gte", {filter({"priority"}, Op::kGte, Type::kAny, {"1"})}, {"m3", "m2", "m1"}},
      {"lt", {filter({"priority"}, Op::kLt, Type::kAny, {"10"})}, {"m2", "m1"}},
      {"lte", {filter({"priority"}, Op::kLte, Type::kNumber, {"10"})}, {"m3", "m2", "m1"}},
      {"gt real bound", {filter({"priority"}, Op::kGt, Type::kNumber, {"5.5"})}, {"m3"}},
      {"gt exponent bound", {filter({"priority"}, Op::kGt, Type::kNumber, {"1e0"})}, {"m3", "m2"}},
      {"numbers compare as numbers, not text",
       {filter({"priority"}, Op::kLt, Type::kNumber, {"9"})},
       {"m2", "m1"}},
      {"gt string compares text", {filter({"status"}, Op::kGt, Type::kString, {"archived"})}, {}},
      {"gte string compares text",
       {filter({"status"}, Op::kGte, Type::kString, {"archived"})},
       {"m2"}},
      {"eq boolean true", {filter({"flag"}, Op::kEq, Type::kBoolean, {"true"})}, {"m1"}},
      {"eq boolean false", {filter({"flag"}, Op::kEq, Type::kBoolean, {"false"})}, {"m2"}},
      {"eq any true", {filter({"flag"}, Op::kEq, Type::kAny, {"true"})}, {"m5", "m1"}},
      {"eq string true", {filter({"flag"}, Op::kEq, Type::kString, {"true"})}, {"m5"}},
      {"eq number 1 is not true", {filter({"flag"}, Op::kEq, Type::kNumber, {"1"})}, {}},
      {"eq boolean of a non-boolean", {filter({"flag"}, Op::kEq, Type::kBoolean, {"1"})}, {}},
      {"in any", {filter({"status"}, Op::kIn, Type::kAny, {"archived", "gone"})}, {"m2"}},
      {"in string",
       {filter({"status"}, Op::kIn, Type::kString, {"active", "ACTIVE"})},
       {"m5", "m3", "m1"}},
      {"in number", {filter({"priority"}, Op::kIn, Type::kNumber, {"1", "10", "7"})}, {"m3", "m1"}},
      {"in any mixes types",
       {filter({"priority"}, Op::kIn, Type::kAny, {"7", "5.5"})},
       {"m5", "m2"}},
      {"in ten values",
       {filter({"region"}, Op::kIn, Type::kAny,
               {"a", "b", "c", "d", "e", "f", "g", "h", "i", "eu"})},
       {"m3"}},
      {"nested path", {filter({"nested", "a", "b"}, Op::kEq, Type::kString, {"x"})}, {"m1"}},
      {"five levels",
       {filter({"nested", "a", "c", "d", "e"}, Op::kGte, Type::kNumber, {"3"})},
       {"m1"}},
      {"numeric key", {filter({"123"}, Op::kEq, Type::kAny, {"numeric key"})}, {"m4"}},
      {"missing field", {filter({"nope"}, Op::kEq, Type::kAny, {"x"})}, {}},
      {"null never matches", {filter({"status"}, Op::kEq, Type::kAny, {"null"})}, {}},
      {"arrays are not scanned", {filter({"tags"}, Op::kEq, Type::kAny, {"a"})}, {}},
      {"path through a non-object", {filter({"status", "x"}, Op::kEq, Type::kAny, {"a"})}, {}},
      {"filters are ANDed",
       {filter({"status"}, Op::kEq, Type::kAny, {"active"}),
        filter({"priority"}, Op::kGt, Type::kNumber, {"5"})},
       {"m3"}},
      {"contradictory filters match nothing",
       {filter({"status"}, Op::kEq, Type::kAny, {"active"}),
        filter({"status"}, Op::kEq, Type::kAny, {"archived"})},
       {}},
      {"five filters",
       {filter({"status"}, Op::kEq, Type::kString, {"active"}),
        filter({"priority"}, Op::kGte, Type::kNumber, {"1"}),
        filter({"priority"}, Op::kLte, Type::kNumber, {"1"}),
        filter({"flag"}, Op::kEq, Type::kBoolean, {"true"}),
        filter({"code"}, Op::kIn, Type::kString, {"5"})},
       {"m1"}},
      {"a value is data, never SQL",
       {filter({"status"}, Op::kEq, Type::kAny, {"x' OR 1=1 --"})},
       {}},
  };
  for (const auto& c : cases) {
    auto got = images().listImages({.account_id = acc, .meta = c.filters});
    ASSERT_TRUE(got.ok()) << c.name << ": " << got.error().detail;
    // Listing order is by seq (m1..m5 were inserted in that order), newest first.
    EXPECT_EQ(idsOf(*got), c.want) << c.name;
  }
  // Filters combine with order, keyset and limit.
  std::vector<Filter> active = {filter({"status"}, Op::kEq, Type::kAny, {"active"})};
  EXPECT_EQ(idsOf(MUST(images().listImages(
                {.account_id = acc, .ascending = true, .limit = 1, .meta = active}))),
            Ids{"m1"});
  int64_t m1seq = MUST(images().getImage(acc, "m1"))->seq;
  EXPECT_EQ(idsOf(MUST(images().listImages(
                {.account_id = acc, .ascending = true, .after_seq = m1seq, .meta = active}))),
            Ids{"m3"});
  EXPECT_TRUE(MUST(images().listImages({.account_id = account(2), .meta = active})).empty());
}

TEST_P(ImageStoreContractTest, UnsafeMetaFiltersAreRefusedNotRun) {
  const std::string acc = account(1);
  insertImages(images(), acc, 2);
  const std::string longName(101, 'a');
  const std::vector<std::pair<const char*, Filter>> bad = {
      {"dot in a name", filter({"a.b"}, Op::kEq, Type::kAny, {"x"})},
      {"quote in a name", filter({"a\"b"}, Op::kEq, Type::kAny, {"x"})},
      {"sql in a name", filter({"n') OR 1=1 --"}, Op::kEq, Type::kAny, {"x"})},
      {"dollar", filter({"$"}, Op::kEq, Type::kAny, {"x"})},
      {"bracket", filter({"a[0]"}, Op::kEq, Type::kAny, {"x"})},
      {"dash", filter({"a-b"}, Op::kEq, Type::kAny, {"x"})},
      {"empty name", filter({""}, Op::kEq, Type::kAny, {"x"})},
      {"101 characters", filter({longName}, Op::kEq, Type::kAny, {"x"})},
      {"no path", filter({}, Op::kEq, Type::kAny, {"x"})},
      {"six levels", filter({"a", "b", "c", "d", "e", "f"}, Op::kEq, Type::kAny, {"x"})},
      {"eq with two values", filter({"a"}, Op::kEq, Type::kAny, {"x", "y"})},
      {"eq with no value", filter({"a"}, Op::kEq, Type::kAny, {})},
      {"in with no value", filter({"a"}, Op::kIn, Type::kAny, {})},
      {"in with eleven values", filter({"a"}, Op::kIn, Type::kAny,
                                       {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"})},
  };
  for (const auto& [name, f] : bad) {
    EXPECT_FALSE(images().listImages({.account_id = acc, .meta = {f}}).ok()) << name;
  }
  std::vector<Filter> six(6, filter({"a"}, Op::kEq, Type::kAny, {"x"}));
  EXPECT_FALSE(images().listImages({.account_id = acc, .meta = six}).ok());
  // The longest legal name is fine, and the store still works.
  EXPECT_TRUE(MUST(images().listImages(
                       {.account_id = acc,
                        .meta = {filter({std::string(100, 'a')}, Op::kEq, Type::kAny, {"x"})}}))
                  .empty());
  EXPECT_EQ(MUST(images().listImages({.account_id = acc})).size(), 2u);
}

// ---- scale

TEST_P(ImageStoreContractTest, HundredThousandImagesPageByOffsetAndKeyset) {
  constexpr int kImages = 100'000;
  const std::string acc = account(1);
  std::vector<int64_t> seqs;  // by insert order
  seqs.reserve(kImages);
  Status st = images().transaction([&](ImageStore& tx) -> Status {
    for (int i = 0; i < kImages; ++i) {
      ImageRow r = makeImage(i, acc);
      r.id = "bulk-" + std::to_string(i);
      r.creator = i % 10 == 0 ? std::optional<std::string>("tenth") : std::nullopt;
      auto ok = tx.insertImage(r);
      if (!ok) return std::move(ok).error();
      if (!*ok) return ApiError::internal("duplicate " + r.id);
      seqs.push_back(r.seq);
      if (i % 25'000 == 0) {  // a few drafts in between, which must not shift any page
        ImageRow d = makeDraft(i, acc, kT0 + 1'000'000);
        auto dok = tx.insertImage(d);
        if (!dok) return std::move(dok).error();
      }
    }
    return Ok{};
  });
  ASSERT_TRUE(st.ok()) << st.error().detail;
  ASSERT_EQ(seqs.size(), size_t{kImages});
  EXPECT_EQ(MUST(images().countImages(acc)), kImages);

  auto expectIds = [](const std::vector<ImageRow>& rows, int first, int step, size_t n) {
    ASSERT_EQ(rows.size(), n);
    for (size_t k = 0; k < n; ++k) {
      EXPECT_EQ(rows[k].id, "bulk-" + std::to_string(first + step * static_cast<int>(k)));
    }
  };
  // v1: page 1,000 of 100 (the last one), newest first, is the 100 oldest images.
  expectIds(MUST(images().listImages({.account_id = acc, .offset = 99'900, .limit = 100})), 99, -1,
            100);
  // Page 1,000 of 1,000 per page is past the end.
  EXPECT_TRUE(
      MUST(images().listImages({.account_id = acc, .offset = 999'000, .limit = 1000})).empty());
  // v2: a keyset page deep in the account, both directions.
  expectIds(MUST(images().listImages(
                {.account_id = acc, .ascending = true, .after_seq = seqs[70'000], .limit = 1000})),
            70'001, 1, 1000);
  expectIds(MUST(images().listImages({.account_id = acc, .after_seq = seqs[1'000], .limit = 1000})),
            999, -1, 1000);
  expectIds(MUST(images().listImages({.account_id = acc, .after_seq = seqs[500], .limit = 1000})),
            499, -1, 500);
  // With a creator: every tenth image.
  expectIds(MUST(images().listImages(
                {.account_id = acc, .creator = "tenth", .after_seq = seqs[50'000], .limit = 3})),
            49'990, -10, 3);
  EXPECT_EQ(MUST(images().listImages({.account_id = acc, .creator = "", .limit = 2}))[0].id,
            "bulk-99999");
  // A meta filter scans the account and still finds the one image.
  auto one = MUST(images().listImages(
      {.account_id = acc, .meta = {filter({"n"}, Op::kEq, Type::kNumber, {"77777"})}}));
  EXPECT_EQ(idsOf(one), Ids{"bulk-77777"});
}

}  // namespace
}  // namespace nubis::store::contract
