// The ImageStore contract, part 1: the fixture, image rows, drafts, seq, blob references,
// transactions, persistence and concurrency. Part 2 (image_store_contract_list.cc): listing,
// keyset and offset pages, creator and meta filters, 100,000 images. Part 3
// (image_store_contract_settings.cc): variants, signing keys, config.
#include "store_contract/image_store_contract.h"

#include <atomic>
#include <cstdlib>
#include <set>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

namespace nubis::store::contract {

void ImageStoreContractTest::SetUp() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "nubis-images-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr) << "mkdtemp " << tmpl;
  dir_ = tmpl;
  store_ = GetParam().open(dir_.string());
  ASSERT_NE(store_, nullptr) << "the " << GetParam().name << " factory failed on " << dir_;
}

void ImageStoreContractTest::TearDown() {
  store_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void ImageStoreContractTest::reopen() {
  store_.reset();
  store_ = GetParam().open(dir_.string());
  ASSERT_NE(store_, nullptr) << "reopening " << dir_;
}

std::string ImageStoreContractTest::account(int n) {
  AccountRow a = makeAccount(n);
  if (!MUST(store().getAccount(a.id)).has_value()) {
    EXPECT_TRUE(MUST(store().insertAccount(a)));
  }
  return a.id;
}

namespace {

// ---- image rows

TEST_P(ImageStoreContractTest, ImageRoundTripsEveryColumnAndGetsASeq) {
  const std::string acc = account(1);
  ImageRow a = makeImage(1, acc);
  ImageRow b = makeImage(2, acc);
  b.creator = std::nullopt;
  b.frames = 12;
  b.format = "gif";
  // A custom ID: slashes, UTF-8, the full 1024 bytes.
  ImageRow c = makeImage(3, acc);
  c.id = "dir/sub/ünïcødé-";
  c.id.append(1024 - c.id.size(), 'x');
  ASSERT_EQ(c.id.size(), 1024u);
  for (ImageRow* r : {&a, &b, &c}) ASSERT_TRUE(MUST(images().insertImage(*r)));
  EXPECT_GT(a.seq, 0);
  EXPECT_GT(b.seq, a.seq);
  EXPECT_GT(c.seq, b.seq);
  for (const ImageRow* r : {&a, &b, &c}) {
    auto got = MUST(images().getImage(acc, r->id));
    ASSERT_TRUE(got.has_value()) << r->id;
    EXPECT_EQ(fields(*got), fields(*r));
  }
  EXPECT_EQ(MUST(images().getImage(acc, "dir/sub")), std::nullopt);  // no prefix matching
}

TEST_P(ImageStoreContractTest, DuplicateImageIdsAreFalsePerAccount) {
  const std::string acc1 = account(1), acc2 = account(2);
  ImageRow a = makeImage(1, acc1);
  ASSERT_TRUE(MUST(images().insertImage(a)));
  ImageRow same = makeImage(2, acc1);
  same.id = a.id;
  same.seq = -5;
  EXPECT_FALSE(MUST(images().insertImage(same)));
  EXPECT_EQ(same.seq, -5);  // untouched on a conflict
  ImageRow draft = makeDraft(1, acc1, kT0 + 100);
  draft.id = a.id;  // a draft cannot take a used id either
  EXPECT_FALSE(MUST(images().insertImage(draft)));
  EXPECT_EQ(fields(*MUST(images().getImage(acc1, a.id))), fields(a));
  // The same id in another account is another image.
  ImageRow other = makeImage(1, acc2);
  EXPECT_TRUE(MUST(images().insertImage(other)));
  EXPECT_GT(other.seq, a.seq);
  EXPECT_EQ(MUST(images().countImages(acc1)), 1);
  EXPECT_EQ(MUST(images().countImages(acc2)), 1);
}

TEST_P(ImageStoreContractTest, ImageLookupsOfUnknownKeysAreNullopt) {
  const std::string acc = account(1);
  ImageRow a = makeImage(1, acc);
  ASSERT_TRUE(MUST(images().insertImage(a)));
  EXPECT_EQ(MUST(images().getImage(acc, "img-9")), std::nullopt);
  EXPECT_EQ(MUST(images().getImage(account(2), a.id)), std::nullopt);
  EXPECT_EQ(MUST(images().getImage(acc, "IMG-1")), std::nullopt);  // ids are case-sensitive
  EXPECT_EQ(MUST(images().deleteImage(acc, "img-9")), std::nullopt);
  EXPECT_EQ(MUST(images().countImages(account(3))), 0);
}

TEST_P(ImageStoreContractTest, UpdateImageWritesOnlyMetaCreatorSigningAndFilename) {
  const std::string acc = account(1);
  ImageRow a = makeImage(1, acc);
  ASSERT_TRUE(MUST(images().insertImage(a)));
  ImageRow changed = makeImage(2, acc);  // every other column differs too
  changed.id = a.id;
  changed.meta_json = R"({"replaced":["a",1]})";
  changed.creator = std::nullopt;
  changed.require_signed = !a.require_signed;
  changed.filename = "renamed.png";
  changed.draft = true;
  changed.seq = a.seq + 100;
  EXPECT_TRUE(MUST(images().updateImage(changed)));
  ImageRow want = a;
  want.meta_json = changed.meta_json;
  want.creator = std::nullopt;
  want.require_signed = changed.require_signed;
  want.filename = changed.filename;
  EXPECT_EQ(fields(*MUST(images().getImage(acc, a.id))), fields(want));

  ImageRow ghost = makeImage(9, acc);
  EXPECT_FALSE(MUST(images().updateImage(ghost)));
  EXPECT_EQ(MUST(images().getImage(acc, ghost.id)), std::nullopt);
  ImageRow wrongAccount = want;
  wrongAccount.account_id = account(2);
  wrongAccount.filename = "other.png";
  EXPECT_FALSE(MUST(images().updateImage(wrongAccount)));
  EXPECT_EQ(MUST(images().getImage(acc, a.id))->filename, "renamed.png");
}

TEST_P(ImageStoreContractTest, DeleteImageReturnsTheRowOnce) {
  const std::string acc = account(1);
  ImageRow a = makeImage(1, acc), b = makeImage(2, acc);
  ASSERT_TRUE(MUST(images().insertImage(a)) && MUST(images().insertImage(b)));
  auto deleted = MUST(images().deleteImage(acc, a.id));
  ASSERT_TRUE(deleted.has_value());
  EXPECT_EQ(fields(*deleted), fields(a));
  EXPECT_EQ(MUST(images().deleteImage(acc, a.id)), std::nullopt);
  EXPECT_EQ(MUST(images().getImage(acc, a.id)), std::nullopt);
  EXPECT_EQ(idsOf(MUST(images().listImages({.account_id = acc}))), std::vector<std::string>{b.id});
  // Drafts are deleted the same way.
  ImageRow d = makeDraft(1, acc, kT0 + 1000);
  ASSERT_TRUE(MUST(images().insertImage(d)));
  auto deletedDraft = MUST(images().deleteImage(acc, d.id));
  ASSERT_TRUE(deletedDraft.has_value());
  EXPECT_EQ(fields(*deletedDraft), fields(d));
  // The id is free again, with a new seq.
  ImageRow again = makeImage(1, acc);
  ASSERT_TRUE(MUST(images().insertImage(again)));
  EXPECT_GT(again.seq, d.seq);
}

TEST_P(ImageStoreContractTest, SeqIsNeverReusedEvenAfterDeletingTheNewestAndReopening) {
  const std::string acc = account(1);
  ImageRow a = makeImage(1, acc), b = makeImage(2, acc);
  ASSERT_TRUE(MUST(images().insertImage(a)) && MUST(images().insertImage(b)));
  ASSERT_TRUE(MUST(images().deleteImage(acc, b.id)).has_value());
  reopen();
  ImageRow c = makeImage(3, acc);
  ASSERT_TRUE(MUST(images().insertImage(c)));
  EXPECT_GT(c.seq, b.seq);
  // Per store, not per account.
  ImageRow d = makeImage(4, account(2));
  ASSERT_TRUE(MUST(images().insertImage(d)));
  EXPECT_GT(d.seq, c.seq);
}

TEST_P(ImageStoreContractTest, CountBlobRefsCountsRowsOfEveryAccountButNotDrafts) {
  const std::string acc1 = account(1), acc2 = account(2);
  ImageRow a = makeImage(1, acc1), b = makeImage(2, acc2), c = makeImage(3, acc1);
  b.content_hash = a.content_hash;
  ImageRow d = makeDraft(1, acc1, kT0 + 100);
  for (ImageRow* r : {&a, &b, &c, &d}) ASSERT_TRUE(MUST(images().insertImage(*r)));
  EXPECT_EQ(MUST(images().countBlobRefs(a.content_hash)), 2);
  EXPECT_EQ(MUST(images().countBlobRefs(c.content_hash)), 1);
  EXPECT_EQ(MUST(images().countBlobRefs(std::string(64, 'f'))), 0);
  EXPECT_EQ(MUST(images().countBlobRefs("")), 0);  // drafts have no bytes
  ASSERT_TRUE(MUST(images().deleteImage(acc1, a.id)).has_value());
  EXPECT_EQ(MUST(images().countBlobRefs(a.content_hash)), 1);
  ASSERT_TRUE(MUST(images().deleteImage(acc2, b.id)).has_value());
  EXPECT_EQ(MUST(images().countBlobRefs(a.content_hash)), 0);
}

// ---- drafts

TEST_P(ImageStoreContractTest, DraftsAreVisibleByIdButNeverListedOrCounted) {
  const std::string acc = account(1);
  ImageRow a = makeImage(1, acc);
  ImageRow d = makeDraft(1, acc, kT0 + 1'000'000);
  ASSERT_TRUE(MUST(images().insertImage(a)));
  ASSERT_TRUE(MUST(images().insertImage(d)));
  auto got = MUST(images().getImage(acc, d.id));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(fields(*got), fields(d));
  EXPECT_TRUE(got->draft);
  EXPECT_EQ(MUST(images().countImages(acc)), 1);
  EXPECT_EQ(idsOf(MUST(images().listImages({.account_id = acc}))), std::vector<std::string>{a.id});
  EXPECT_EQ(idsOf(MUST(images().listImages({.account_id = acc, .ascending = true}))),
            std::vector<std::string>{a.id});
  EXPECT_EQ(idsOf(MUST(images().listImages({.account_id = acc, .creator = "uploader"}))),
            std::vector<std::string>{});
  // Metadata of a draft can be changed before the bytes arrive.
  ImageRow patch = d;
  patch.meta_json = R"({"k":"v"})";
  EXPECT_TRUE(MUST(images().updateImage(patch)));
  EXPECT_EQ(MUST(images().getImage(acc, d.id))->meta_json, patch.meta_json);
}

TEST_P(ImageStoreContractTest, CompleteDraftFillsTheBytesAndMovesItToTheEndOfUploadOrder) {
  const std::string acc = account(1);
  ImageRow d = makeDraft(1, acc, kT0 + 1'000'000);
  ASSERT_TRUE(MUST(images().insertImage(d)));
  ImageRow later = makeImage(2, acc);  // uploaded after the draft was created
  ASSERT_TRUE(MUST(images().insertImage(later)));

  ImageRow done = makeImage(9, acc);  // the bytes' fields
  done.id = d.id;
  done.uploaded = kT0 + 999'999;  // one microsecond before expiry
  done.meta_json = R"({"ignored":true})";
  done.creator = "ignored";
  done.require_signed = true;
  done.draft_expires = 5;
  EXPECT_TRUE(MUST(images().completeDraft(done)));
  auto got = MUST(images().getImage(acc, d.id));
  ASSERT_TRUE(got.has_value());
  ImageRow want = d;  // meta, creator, require_signed kept from the draft
  want.filename = done.filename;
  want.content_hash = done.content_hash;
  want.format = done.format;
  want.size = done.size;
  want.width = done.width;
  want.height = done.height;
  want.frames = done.frames;
  want.uploaded = done.uploaded;
  want.draft = false;
  want.draft_expires = 0;
  want.seq = got->seq;
  EXPECT_EQ(fields(*got), fields(want));
  EXPECT_GT(got->seq, later.seq);  // seq is upload order: completion counts as the upload
  EXPECT_EQ(idsOf(MUST(images().listImages({.account_id = acc}))),
            (std::vector<std::string>{d.id, later.id}));
  EXPECT_EQ(MUST(images().countImages(acc)), 2);
  EXPECT_EQ(MUST(images().countBlobRefs(done.content_hash)), 1);

  // A second upload to the same URL is refused and changes nothing.
  ImageRow again = makeImage(10, acc);
  again.id = d.id;
  again.uploaded = done.uploaded;
  EXPECT_FALSE(MUST(images().completeDraft(again)));
  EXPECT_EQ(fields(*MUST(images().getImage(acc, d.id))), fields(*got));
}

TEST_P(ImageStoreContractTest, CompleteDraftRefusesExpiredMissingAndOrdinaryImages) {
  const std::string acc = account(1);
  const int64_t expires = kT0 + 1'000'000;
  ImageRow d = makeDraft(1, acc, expires);
  ASSERT_TRUE(MUST(images().insertImage(d)));
  ImageRow bytes = makeImage(5, acc);
  bytes.id = d.id;
  bytes.uploaded = expires;  // at the expiry instant it is expired
  EXPECT_FALSE(MUST(images().completeDraft(bytes)));
  bytes.uploaded = expires + 1;
  EXPECT_FALSE(MUST(images().completeDraft(bytes)));
  EXPECT_EQ(fields(*MUST(images().getImage(acc, d.id))), fields(d));  // still the draft

  ImageRow ordinary = makeImage(1, acc);
  ASSERT_TRUE(MUST(images().insertImage(ordinary)));
  ImageRow over = makeImage(6, acc);
  over.id = ordinary.id;
  over.uploaded = kT0;
  EXPECT_FALSE(MUST(images().completeDraft(over)));
  EXPECT_EQ(fields(*MUST(images().getImage(acc, ordinary.id))), fields(ordinary));

  ImageRow missing = makeImage(7, acc);
  missing.uploaded = kT0;
  EXPECT_FALSE(MUST(images().completeDraft(missing)));
  EXPECT_EQ(MUST(images().getImage(acc, missing.id)), std::nullopt);
  // The same draft id in another account is not this draft.
  ImageRow elsewhere = bytes;
  elsewhere.account_id = account(2);
  elsewhere.uploaded = kT0;
  EXPECT_FALSE(MUST(images().completeDraft(elsewhere)));
}

TEST_P(ImageStoreContractTest, DeleteExpiredDraftsRemovesOnlyDraftsAtOrPastExpiry) {
  const std::string acc1 = account(1), acc2 = account(2);
  ImageRow d1 = makeDraft(1, acc1, kT0 + 10), d2 = makeDraft(2, acc2, kT0 + 20);
  ImageRow d3 = makeDraft(3, acc1, kT0 + 30);
  ImageRow a = makeImage(1, acc1);  // not a draft: never expires, whatever draft_expires says
  a.draft_expires = kT0 + 1;
  for (ImageRow* r : {&d1, &d2, &d3, &a}) ASSERT_TRUE(MUST(images().insertImage(*r)));
  EXPECT_EQ(MUST(images().deleteExpiredDrafts(kT0 + 9)), 0);
  EXPECT_EQ(MUST(images().deleteExpiredDrafts(kT0 + 20)), 2);  // d1 and d2 (at its instant)
  EXPECT_EQ(MUST(images().getImage(acc1, d1.id)), std::nullopt);
  EXPECT_EQ(MUST(images().getImage(acc2, d2.id)), std::nullopt);
  EXPECT_TRUE(MUST(images().getImage(acc1, d3.id)).has_value());
  EXPECT_TRUE(MUST(images().getImage(acc1, a.id)).has_value());
  EXPECT_EQ(MUST(images().deleteExpiredDrafts(kT0 + 20)), 0);
  EXPECT_EQ(MUST(images().deleteExpiredDrafts(kT0 + 1'000'000)), 1);
  EXPECT_TRUE(MUST(images().getImage(acc1, a.id)).has_value());
}

// ---- transactions, durability, concurrency

TEST_P(ImageStoreContractTest, TransactionCommitsTogetherOrNotAtAll) {
  const std::string acc = account(1);
  ImageRow a = makeImage(1, acc), b = makeImage(2, acc);
  Status failed = images().transaction([&](ImageStore& tx) -> Status {
    EXPECT_TRUE(MUST(tx.insertImage(a)));
    EXPECT_TRUE(MUST(tx.getImage(acc, a.id)).has_value());  // sees its own write
    EXPECT_TRUE(MUST(tx.insertVariant(makeVariant(acc, "thumb", 1))));
    MUST(tx.putSigningKey({acc, "default", "secret", kT0}));
    ApiError e = ApiError::internal("on purpose");
    e.code = 4321;
    return e;
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, 4321);
  EXPECT_EQ(MUST(images().getImage(acc, a.id)), std::nullopt);
  EXPECT_EQ(MUST(images().getVariant(acc, "thumb")), std::nullopt);
  EXPECT_TRUE(MUST(images().listSigningKeys(acc)).empty());

  Status thrown = images().transaction([&](ImageStore& tx) -> Status {
    EXPECT_TRUE(MUST(tx.insertImage(b)));
    throw std::runtime_error("boom");
  });
  EXPECT_FALSE(thrown.ok());
  EXPECT_EQ(MUST(images().getImage(acc, b.id)), std::nullopt);

  Status ok = images().transaction([&](ImageStore& tx) -> Status {
    if (!MUST(tx.insertImage(a)) || !MUST(tx.insertImage(b))) return ApiError::internal("ins");
    // A conflict inside is a plain false and does not poison the transaction.
    ImageRow dup = makeImage(1, acc);
    EXPECT_FALSE(MUST(tx.insertImage(dup)));
    Status inner = tx.transaction([&](ImageStore& tx2) -> Status {
      EXPECT_TRUE(MUST(tx2.deleteImage(acc, a.id)).has_value());
      return ApiError::internal("inner only");
    });
    EXPECT_FALSE(inner.ok());
    return Ok{};
  });
  ASSERT_TRUE(ok.ok()) << ok.error().detail;
  EXPECT_EQ(idsOf(MUST(images().listImages({.account_id = acc, .ascending = true}))),
            (std::vector<std::string>{a.id, b.id}));
  EXPECT_LT(MUST(images().getImage(acc, a.id))->seq, MUST(images().getImage(acc, b.id))->seq);
}

TEST_P(ImageStoreContractTest, EverythingPersistsAcrossReopen) {
  const std::string acc = account(1);
  ImageRow a = makeImage(1, acc);
  ImageRow d = makeDraft(2, acc, kT0 + 500);
  ASSERT_TRUE(MUST(images().insertImage(a)) && MUST(images().insertImage(d)));
  ASSERT_TRUE(MUST(images().insertVariant(makeVariant(acc, "public", 1))));
  MUST(images().putSigningKey({acc, "default", "k1", kT0}));
  MUST(images().putImagesConfig({acc, true, 3600}));
  ImageRow gone = makeImage(3, acc);
  ASSERT_TRUE(MUST(images().insertImage(gone)));
  ASSERT_TRUE(MUST(images().deleteImage(acc, gone.id)).has_value());

  reopen();
  EXPECT_EQ(fields(*MUST(images().getImage(acc, a.id))), fields(a));
  EXPECT_EQ(fields(*MUST(images().getImage(acc, d.id))), fields(d));
  EXPECT_EQ(MUST(images().getImage(acc, gone.id)), std::nullopt);
  EXPECT_EQ(fields(*MUST(images().getVariant(acc, "public"))),
            fields(makeVariant(acc, "public", 1)));
  auto keys = MUST(images().listSigningKeys(acc));
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].value, "k1");
  EXPECT_EQ(fields(MUST(images().getImagesConfig(acc))), fields(ImagesConfigRow{acc, true, 3600}));
}

TEST_P(ImageStoreContractTest, ConcurrentInsertsGetDistinctSeqsAndAllLand) {
  const std::string acc = account(1);
  constexpr int kThreads = 4, kPerThread = 50;
  std::atomic<int> failures{0};
  std::vector<std::vector<int64_t>> seqs(kThreads);
  std::vector<std::thread> threads;
  for (int th = 0; th < kThreads; ++th) {
    threads.emplace_back([&, th] {
      for (int i = 0; i < kPerThread; ++i) {
        ImageRow r = makeImage(th * kPerThread + i, acc);
        auto ok = images().insertImage(r);
        if (!ok.ok() || !*ok) {
          ++failures;
          continue;
        }
        // Within one thread, later inserts get higher seqs.
        if (!seqs[th].empty() && r.seq <= seqs[th].back()) ++failures;
        seqs[th].push_back(r.seq);
        if (!images().getImage(acc, r.id).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  std::set<int64_t> distinct;
  for (const auto& s : seqs) distinct.insert(s.begin(), s.end());
  EXPECT_EQ(distinct.size(), size_t{kThreads * kPerThread});
  EXPECT_EQ(MUST(images().countImages(acc)), kThreads * kPerThread);
}

}  // namespace
}  // namespace nubis::store::contract
