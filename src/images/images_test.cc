// Pure parts of the Images API: custom-ID rules (IMAGES.md A.5), the v2 list's metadata filters
// and continuation tokens (A.4), percent-decoding of delivery paths.
#include <gtest/gtest.h>

#include "images/custom_id.h"
#include "base/percent.h"
#include "images/delivery.h"
#include "images/hot_cache.h"
#include "images/meta_filter.h"

namespace nubis::images {
namespace {

TEST(CustomId, FollowsCloudflaresRules) {
  struct Case {
    std::string id;
    bool ok;
  };
  const Case cases[] = {
      {"photo", true},
      {"a/b/c.png", true},
      {"products/2024/shoe.JPG", true},
      {"café/ünïcode.webp", true},
      {std::string(1024, 'a'), true},
      {std::string(1025, 'a'), false},
      {"", false},
      {"/leading", false},
      {"trailing/", false},
      {"083eb7b2-5392-4565-b69e-aff66acddd00", false},  // UUID-shaped
      {"083EB7B2-5392-4565-B69E-AFF66ACDDD00", false},
      {"notes.txt", false},
      {"page.html", false},
      {"script.js", false},
      {"archive.tar.gz", false},
      {"a//b", false},
      {"a/../b", false},
      {"./a", false},
      {"a?b", false},
      {"a#b", false},
      {"a\\b", false},
      {std::string("a\x01" "b"), false},
      {std::string("\xff\xfe"), false},          // not UTF-8
      {std::string("\xc0\xaf"), false},          // overlong '/'
      {std::string("\xed\xa0\x80"), false},      // surrogate
      {"version.2", false},                      // "2" is not an image extension
      {"dotted.name/photo", true},
      {"trailing.", true},
  };
  for (const auto& c : cases)
    EXPECT_EQ(customIdProblem(c.id).empty(), c.ok) << c.id << ": " << customIdProblem(c.id);
  EXPECT_EQ(customIdProblem("083eb7b2-5392-4565-b69e-aff66acddd00"), "Must not be UUID");
  EXPECT_EQ(customIdProblem("x.txt"), "Must not use a non-image file name extension");
}

api::Query query(std::vector<std::pair<std::string, std::string>> items) {
  return api::Query(std::move(items));
}

TEST(MetaFilter, ParsesBracketAndDottedForms) {
  using Op = store::ImageStore::MetaFilter::Op;
  using Type = store::ImageStore::MetaFilter::Type;
  auto f = parseMetaFilters(query({{"meta.status[eq]", "active"},
                                   {"meta.priority[gte:number]", "3"},
                                   {"meta.region.in", "eu|us"},
                                   {"meta.a.b.c", "x"},
                                   {"per_page", "10"}}));
  ASSERT_TRUE(f.ok()) << f.error().message;
  ASSERT_EQ(f->size(), 4u);
  EXPECT_EQ((*f)[0].path, std::vector<std::string>{"status"});
  EXPECT_EQ((*f)[0].op, Op::kEq);
  EXPECT_EQ((*f)[1].op, Op::kGte);
  EXPECT_EQ((*f)[1].type, Type::kNumber);
  EXPECT_EQ((*f)[2].path, std::vector<std::string>{"region"});
  EXPECT_EQ((*f)[2].op, Op::kIn);
  EXPECT_EQ((*f)[2].values, (std::vector<std::string>{"eu", "us"}));
  EXPECT_EQ((*f)[3].path, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ((*f)[3].op, Op::kEq);
}

TEST(MetaFilter, RefusesWhatCloudflareRefuses) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"meta.status[not-eq]", "x"},
      {"meta.status[gt:string]", "x"},
      {"meta.n[gt]", "abc"},
      {"meta.flag[eq:boolean]", "yes"},
      {"meta.a-b[eq]", "x"},
      {"meta.[eq]", "x"},
      {"meta.a.b.c.d.e.f[eq]", "x"},
      {"meta.status[eq", "x"},
      {"meta." + std::string(101, 'a'), "x"},
      {"meta.r[in]", "1|2|3|4|5|6|7|8|9|10|11"},
  };
  for (const auto& kv : bad) {
    auto f = parseMetaFilters(query({kv}));
    EXPECT_FALSE(f.ok()) << kv.first << "=" << kv.second;
    if (!f.ok()) {
      EXPECT_EQ(f.error().code, 5400);
      EXPECT_EQ(f.error().http_status, 400);
    }
  }
  auto six = parseMetaFilters(query({{"meta.a", "1"}, {"meta.b", "1"}, {"meta.c", "1"},
                                     {"meta.d", "1"}, {"meta.e", "1"}, {"meta.f", "1"}}));
  ASSERT_FALSE(six.ok());
  EXPECT_EQ(six.error().message, "Too many metadata filters: 6 provided, maximum 5 allowed");
}

TEST(Continuation, RoundTripsAndRefusesForgeries) {
  for (int64_t seq : {0LL, 1LL, 123456789LL}) EXPECT_EQ(decodeContinuation(encodeContinuation(seq)), seq);
  for (const char* t : {"", "c1.", "c1.-1", "c1.12x", "c2.5", "5", "c1.99999999999999999999"})
    EXPECT_FALSE(decodeContinuation(t).has_value()) << t;
}

TEST(PercentDecode, DecodesAndRefusesMalformedEscapes) {
  EXPECT_EQ(percentDecode("a%2Fb"), "a/b");
  EXPECT_EQ(percentDecode("100%25"), "100%");
  EXPECT_EQ(percentDecode("plain"), "plain");
  EXPECT_FALSE(percentDecode("bad%2").has_value());
  EXPECT_FALSE(percentDecode("bad%zz").has_value());
  EXPECT_FALSE(percentDecode("%").has_value());
}


std::shared_ptr<const Delivered> body(std::string b) {
  auto d = std::make_shared<Delivered>();
  d->body = std::move(b);
  return d;
}

TEST(HotCache, PurgesByTagEvictsLeastRecentAndRefusesStalePuts) {
  HotCache hot(3 * (1000 + 300), 100000);
  const std::string kb(1000, 'x');
  hot.put("a", {"img:1/a", "acct:1"}, body(kb), hot.epoch());
  hot.put("b", {"img:1/b", "acct:1"}, body(kb), hot.epoch());
  hot.put("c", {"img:2/c", "acct:2"}, body(kb), hot.epoch());
  ASSERT_TRUE(hot.get("a"));  // a is now the most recent: b is the oldest
  hot.put("d", {"img:2/d", "acct:2"}, body(kb), hot.epoch());
  EXPECT_FALSE(hot.get("b")) << "least recently used entry kept past the budget";
  EXPECT_TRUE(hot.get("a"));
  EXPECT_TRUE(hot.get("c"));
  hot.purgeTag("img:1/a");
  EXPECT_FALSE(hot.get("a"));
  EXPECT_TRUE(hot.get("c"));
  hot.purgeTag("acct:2");
  EXPECT_FALSE(hot.get("c"));
  EXPECT_FALSE(hot.get("d"));
  EXPECT_EQ(hot.bytes(), 0u);
  // A value produced before a purge is not kept.
  uint64_t before = hot.epoch();
  hot.purgeTag("img:9/z");
  hot.put("late", {"img:9/z"}, body("x"), before);
  EXPECT_FALSE(hot.get("late"));
  // Entries over the per-entry cap are not kept.
  HotCache small(1 << 20, 512);
  small.put("big", {}, body(std::string(1000, 'y')), small.epoch());
  EXPECT_FALSE(small.get("big"));
}

TEST(HotKey, SeparatesAcceptClassesOnly) {
  EXPECT_EQ(hotKey("/h/i/public", "", "image/avif,image/webp,*/*"),
            hotKey("/h/i/public", "", "image/avif"));
  EXPECT_NE(hotKey("/h/i/public", "", "image/avif"), hotKey("/h/i/public", "", "image/webp"));
  EXPECT_NE(hotKey("/h/i/public", "", "image/webp"), hotKey("/h/i/public", "", "*/*"));
  EXPECT_NE(hotKey("/h/i/public", "a=1", ""), hotKey("/h/i/public", "", ""));
}

}  // namespace
}  // namespace nubis::images
