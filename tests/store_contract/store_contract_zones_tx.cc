// The Store contract, part 2: zones, transactions, persistence across reopen, and concurrent use.
#include <atomic>
#include <stdexcept>
#include <thread>

#include "store_contract/contract_support.h"
#include "store_contract/store_contract.h"

namespace nubis::store::contract {
namespace {

// ---- zones

TEST_P(StoreContractTest, ZoneSettingsUpsertListAndGoWithTheirZone) {
  ASSERT_TRUE(MUST(store().insertAccount(makeAccount(1))));
  const ZoneRow z = makeZone(1, makeAccount(1).id, "settings.test");
  const ZoneRow other = makeZone(2, makeAccount(1).id, "other.test");
  ASSERT_TRUE(MUST(store().insertZone(z)) && MUST(store().insertZone(other)));
  EXPECT_TRUE(MUST(store().listZoneSettings(z.id)).empty());
  MUST(store().putZoneSettings({{z.id, "ssl", "\"strict\"", 5}, {z.id, "browser_cache_ttl", "7200", 5}}));
  MUST(store().putZoneSettings({{z.id, "ssl", "\"off\"", 9}, {other.id, "ssl", "\"full\"", 9}}));
  auto rows = MUST(store().listZoneSettings(z.id));
  ASSERT_EQ(rows.size(), 2u);  // in id order
  EXPECT_EQ(rows[0].id, "browser_cache_ttl");
  EXPECT_EQ(rows[0].value_json, "7200");
  EXPECT_EQ(rows[1].id, "ssl");
  EXPECT_EQ(rows[1].value_json, "\"off\"");
  EXPECT_EQ(rows[1].modified_on, 9);
  // All or nothing: a row for a zone that does not exist fails the whole call.
  EXPECT_FALSE(store().putZoneSettings({{z.id, "ipv6", "\"off\"", 10}, {hexId(kZone, 9), "ssl", "\"on\"", 10}}).ok());
  EXPECT_EQ(MUST(store().listZoneSettings(z.id)).size(), 2u);
  EXPECT_TRUE(MUST(store().deleteZone(z.id)));
  EXPECT_TRUE(MUST(store().listZoneSettings(z.id)).empty());
  EXPECT_EQ(MUST(store().listZoneSettings(other.id)).size(), 1u);
}

TEST_P(StoreContractTest, ZoneRoundTripLookupsAndConflicts) {
  AccountRow a = makeAccount(1);
  ASSERT_TRUE(MUST(store().insertAccount(a)));
  ZoneRow z = makeZone(1, a.id, "example.com");
  ZoneRow bare = makeZone(2, a.id, "example.net");
  bare.paused = false;
  bare.development_mode = 0;
  bare.activated_on = std::nullopt;
  ASSERT_TRUE(MUST(store().insertZone(z)));
  ASSERT_TRUE(MUST(store().insertZone(bare)));
  EXPECT_EQ(fields(*MUST(store().getZone(z.id))), fields(z));
  EXPECT_EQ(fields(*MUST(store().getZone(bare.id))), fields(bare));
  EXPECT_EQ(fields(*MUST(store().findZoneByName("example.net"))), fields(bare));

  ZoneRow sameName = makeZone(3, a.id, "example.com");
  EXPECT_FALSE(MUST(store().insertZone(sameName)));
  ZoneRow sameId = makeZone(1, a.id, "example.org");
  EXPECT_FALSE(MUST(store().insertZone(sameId)));
  EXPECT_EQ(MUST(store().getZone(sameName.id)), std::nullopt);
  EXPECT_EQ(MUST(store().findZoneByName("example.org")), std::nullopt);
  EXPECT_EQ(MUST(store().getZone(hexId(kZone, 9))), std::nullopt);
}

TEST_P(StoreContractTest, UpdateAndDeleteZone) {
  AccountRow a = makeAccount(1);
  ASSERT_TRUE(MUST(store().insertAccount(a)));
  ZoneRow z = makeZone(1, a.id, "example.com");
  ASSERT_TRUE(MUST(store().insertZone(z)));
  ZoneRow changed = z;
  changed.status = "moved";
  changed.paused = false;
  changed.development_mode = 0;
  changed.activated_on = std::nullopt;
  changed.modified_on = kT0 + 777;
  changed.created_on = kT0 - 1;  // ignored
  EXPECT_TRUE(MUST(store().updateZone(changed)));
  ZoneRow want = changed;
  want.created_on = z.created_on;
  EXPECT_EQ(fields(*MUST(store().getZone(z.id))), fields(want));
  EXPECT_FALSE(MUST(store().updateZone(makeZone(9, a.id, "ghost.example"))));
  EXPECT_EQ(MUST(store().findZoneByName("ghost.example")), std::nullopt);

  EXPECT_TRUE(MUST(store().deleteZone(z.id)));
  EXPECT_FALSE(MUST(store().deleteZone(z.id)));
  EXPECT_FALSE(MUST(store().deleteZone(hexId(kZone, 9))));
  EXPECT_EQ(MUST(store().findZoneByName("example.com")), std::nullopt);
  // The name is free again.
  EXPECT_TRUE(MUST(store().insertZone(makeZone(2, a.id, "example.com"))));
}

TEST_P(StoreContractTest, ListZonesOverSeveralAccountsByName) {
  AccountRow a = makeAccount(1), b = makeAccount(2), c = makeAccount(3);
  for (const auto& acc : {a, b, c}) ASSERT_TRUE(MUST(store().insertAccount(acc)));
  ZoneRow a1 = makeZone(1, a.id, "m.example"), a2 = makeZone(2, a.id, "a.example");
  ZoneRow b1 = makeZone(3, b.id, "z.example"), b2 = makeZone(4, b.id, "c.example");
  ZoneRow c1 = makeZone(5, c.id, "b.example");
  for (const auto& z : {a1, a2, b1, b2, c1}) ASSERT_TRUE(MUST(store().insertZone(z)));

  auto ab = MUST(store().listZones({b.id, a.id}));
  EXPECT_EQ(idsOf(ab), (std::vector<std::string>{a2.id, b2.id, a1.id, b1.id}));
  ASSERT_EQ(ab.size(), 4u);
  EXPECT_EQ(fields(ab[1]), fields(b2));
  EXPECT_EQ(idsOf(MUST(store().listZones({c.id}))), std::vector<std::string>{c1.id});
  EXPECT_EQ(idsOf(MUST(store().listZones({a.id, a.id}))), (std::vector<std::string>{a2.id, a1.id}));
  EXPECT_EQ(MUST(store().listZones({a.id, b.id, c.id})).size(), 5u);
  EXPECT_TRUE(MUST(store().listZones({})).empty());
  EXPECT_TRUE(MUST(store().listZones({hexId(kAccount, 9)})).empty());
}

// ---- transactions

TEST_P(StoreContractTest, TransactionCommitsAllWritesAndReadsItsOwn) {
  UserRow u = makeUser(1);
  AccountRow a = makeAccount(1);
  Status st = store().transaction([&](Store& tx) -> Status {
    if (!MUST(tx.insertUser(u)) || !MUST(tx.insertAccount(a))) return ApiError::internal("ins");
    EXPECT_TRUE(MUST(tx.getUser(u.id)).has_value());  // sees its own write
    // A conflict inside a transaction is a plain false and does not poison it.
    EXPECT_FALSE(MUST(tx.insertUser(u)));
    return tx.insertMembership(makeMembership(1, u.id, a.id)).ok() ? Status(Ok{})
                                                                   : ApiError::internal("m");
  });
  ASSERT_TRUE(st.ok()) << st.error().detail;
  EXPECT_TRUE(MUST(store().getUser(u.id)).has_value());
  EXPECT_TRUE(MUST(store().getAccount(a.id)).has_value());
  EXPECT_EQ(MUST(store().listMembershipsOfUser(u.id)).size(), 1u);
}

TEST_P(StoreContractTest, TransactionRollsBackWhenFnReturnsAnError) {
  ASSERT_TRUE(MUST(store().insertToken(makeToken(1, "user", hexId(kUser, 1)))));
  UserRow u = makeUser(1);
  Status st = store().transaction([&](Store& tx) -> Status {
    EXPECT_TRUE(MUST(tx.insertUser(u)));
    MUST(tx.setMeta("k", "v"));
    MUST(tx.touchTokens({{hexId(kToken, 1), kT0 + 9999}}));
    EXPECT_TRUE(MUST(tx.deleteToken(hexId(kToken, 1))));
    ApiError e = ApiError::internal("fn failed on purpose");
    e.code = 1234;
    return e;
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, 1234);  // fn's own error comes back unchanged
  EXPECT_EQ(st.error().detail, "fn failed on purpose");
  EXPECT_EQ(MUST(store().getUser(u.id)), std::nullopt);
  EXPECT_EQ(MUST(store().getMeta("k")), std::nullopt);
  auto token = MUST(store().getToken(hexId(kToken, 1)));
  ASSERT_TRUE(token.has_value());
  EXPECT_EQ(token->last_used_on, makeToken(1, "user", "").last_used_on);
  // The store is usable afterwards.
  EXPECT_TRUE(MUST(store().insertUser(u)));
}

TEST_P(StoreContractTest, TransactionRollsBackWhenFnThrows) {
  UserRow u = makeUser(1);
  Status st = store().transaction([&](Store& tx) -> Status {
    EXPECT_TRUE(MUST(tx.insertUser(u)));
    throw std::runtime_error("boom");
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ApiError::internal("").code);
  EXPECT_EQ(MUST(store().getUser(u.id)), std::nullopt);
  Status nonStd = store().transaction([&](Store& tx) -> Status {
    EXPECT_TRUE(MUST(tx.insertUser(u)));
    throw 42;
  });
  EXPECT_FALSE(nonStd.ok());
  EXPECT_EQ(MUST(store().getUser(u.id)), std::nullopt);
  EXPECT_TRUE(MUST(store().insertUser(u)));
}

TEST_P(StoreContractTest, NestedTransactionFailureUndoesOnlyItsOwnWrites) {
  Status st = store().transaction([&](Store& tx) -> Status {
    EXPECT_TRUE(MUST(tx.insertUser(makeUser(1))));
    Status inner = tx.transaction([&](Store& tx2) -> Status {
      EXPECT_TRUE(MUST(tx2.insertUser(makeUser(2))));
      return ApiError::internal("inner");
    });
    EXPECT_FALSE(inner.ok());
    EXPECT_EQ(MUST(tx.getUser(makeUser(2).id)), std::nullopt);
    return tx.transaction([&](Store& tx2) -> Status {
      EXPECT_TRUE(MUST(tx2.insertUser(makeUser(3))));
      return Ok{};
    });
  });
  ASSERT_TRUE(st.ok()) << st.error().detail;
  EXPECT_TRUE(MUST(store().getUser(makeUser(1).id)).has_value());
  EXPECT_EQ(MUST(store().getUser(makeUser(2).id)), std::nullopt);
  EXPECT_TRUE(MUST(store().getUser(makeUser(3).id)).has_value());
}

TEST_P(StoreContractTest, OuterRollbackUndoesCommittedInnerTransaction) {
  Status st = store().transaction([&](Store& tx) -> Status {
    EXPECT_TRUE(tx.transaction([&](Store& tx2) -> Status {
                    EXPECT_TRUE(MUST(tx2.insertUser(makeUser(1))));
                    return Ok{};
                  }).ok());
    return ApiError::internal("outer");
  });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(MUST(store().getUser(makeUser(1).id)), std::nullopt);
}

// ---- durability and concurrency

TEST_P(StoreContractTest, EverythingPersistsAcrossReopen) {
  UserRow u = makeUser(1);
  AccountRow a = makeAccount(1);
  MembershipRow m = makeMembership(1, u.id, a.id);
  TokenRow t = makeToken(1, "user", u.id);
  ZoneRow z = makeZone(1, a.id, "example.com");
  ASSERT_TRUE(MUST(store().insertUser(u)) && MUST(store().insertAccount(a)));
  ASSERT_TRUE(MUST(store().insertMembership(m)) && MUST(store().insertToken(t)));
  ASSERT_TRUE(MUST(store().insertZone(z)));
  MUST(store().setMeta("bootstrap", "done"));
  ASSERT_TRUE(MUST(store().rollToken(t.id, "rolled", kT0 + 1)));
  ASSERT_TRUE(MUST(store().deleteZone(z.id)));

  reopen();
  EXPECT_EQ(fields(*MUST(store().getUser(u.id))), fields(u));
  EXPECT_EQ(fields(*MUST(store().getAccount(a.id))), fields(a));
  EXPECT_EQ(fields(*MUST(store().getMembership(m.id))), fields(m));
  EXPECT_EQ(MUST(store().getToken(t.id))->secret_hash, "rolled");
  EXPECT_EQ(MUST(store().getZone(z.id)), std::nullopt);
  EXPECT_EQ(MUST(store().getMeta("bootstrap")), "done");
  // Opening again applies nothing twice and keeps working.
  reopen();
  ASSERT_TRUE(MUST(store().insertZone(z)));
  EXPECT_EQ(MUST(store().listZones({a.id})).size(), 1u);
}

TEST_P(StoreContractTest, ConcurrentCallersFromManyThreads) {
  constexpr int kThreads = 4, kPerThread = 25;
  const std::string owner = hexId(kUser, 1);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int th = 0; th < kThreads; ++th) {
    threads.emplace_back([&, th] {
      for (int i = 0; i < kPerThread; ++i) {
        int n = th * kPerThread + i;
        Status st = store().transaction([&](Store& tx) -> Status {
          auto ok = tx.insertToken(makeToken(n, "user", owner));
          if (!ok) return std::move(ok).error();
          return tx.touchTokens({{hexId(kToken, n), kT0 + 10'000 + n}});
        });
        auto plain = store().getToken(hexId(kToken, n));
        if (!st.ok() || !plain.ok() || !plain->has_value()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto all = MUST(store().listTokens("user", owner));
  ASSERT_EQ(all.size(), size_t{kThreads * kPerThread});
  for (const auto& t : all) {
    EXPECT_EQ(t.last_used_on, t.issued_on + 10'000) << t.id;
  }
}

}  // namespace
}  // namespace nubis::store::contract
