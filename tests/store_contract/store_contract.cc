// The Store contract, part 1: the fixture, meta, users, accounts, memberships and tokens.
// Part 2 (store_contract_zones_tx.cc): zones, transactions, persistence and concurrency.
#include "store_contract/store_contract.h"

#include <cstdlib>
#include <system_error>

#include "store_contract/contract_support.h"

namespace nubis::store::contract {

void StoreContractTest::SetUp() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "nubis-store-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr) << "mkdtemp " << tmpl;
  dir_ = tmpl;
  store_ = GetParam().open(dir_.string());
  ASSERT_NE(store_, nullptr) << "the " << GetParam().name << " factory failed on " << dir_;
}

void StoreContractTest::TearDown() {
  store_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void StoreContractTest::reopen() {
  store_.reset();
  store_ = GetParam().open(dir_.string());
  ASSERT_NE(store_, nullptr) << "reopening " << dir_;
}

namespace {

// ---- meta

TEST_P(StoreContractTest, MetaGetSetOverwrite) {
  EXPECT_EQ(MUST(store().getMeta("bootstrap")), std::nullopt);
  MUST(store().setMeta("bootstrap", "done"));
  EXPECT_EQ(MUST(store().getMeta("bootstrap")), "done");
  MUST(store().setMeta("bootstrap", "again"));
  EXPECT_EQ(MUST(store().getMeta("bootstrap")), "again");
  MUST(store().setMeta("empty", ""));
  EXPECT_EQ(MUST(store().getMeta("empty")), "");
}

// ---- users

TEST_P(StoreContractTest, UserRoundTripsEveryColumn) {
  UserRow u = makeUser(1);
  EXPECT_TRUE(MUST(store().insertUser(u)));
  auto byId = MUST(store().getUser(u.id));
  ASSERT_TRUE(byId.has_value());
  EXPECT_EQ(fields(*byId), fields(u));
  auto byEmail = MUST(store().findUserByEmail(u.email));
  ASSERT_TRUE(byEmail.has_value());
  EXPECT_EQ(fields(*byEmail), fields(u));
}

TEST_P(StoreContractTest, UserOptionalColumnsRoundTripAsNullopt) {
  UserRow u = makeUser(1);
  u.first_name = u.last_name = u.telephone = u.country = u.zipcode = std::nullopt;
  ASSERT_TRUE(MUST(store().insertUser(u)));
  auto got = MUST(store().getUser(u.id));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(fields(*got), fields(u));
  // An empty string is a value, not an absence.
  UserRow v = makeUser(2);
  v.first_name = "";
  ASSERT_TRUE(MUST(store().insertUser(v)));
  EXPECT_EQ(MUST(store().getUser(v.id))->first_name, std::optional<std::string>(""));
}

TEST_P(StoreContractTest, UserUniqueConflictsAreFalse) {
  UserRow u = makeUser(1);
  ASSERT_TRUE(MUST(store().insertUser(u)));
  UserRow sameEmail = makeUser(2);
  sameEmail.email = u.email;
  EXPECT_FALSE(MUST(store().insertUser(sameEmail)));
  UserRow sameId = makeUser(3);
  sameId.id = u.id;
  EXPECT_FALSE(MUST(store().insertUser(sameId)));
  EXPECT_EQ(MUST(store().getUser(sameEmail.id)), std::nullopt);
  EXPECT_EQ(MUST(store().findUserByEmail(sameId.email)), std::nullopt);
  EXPECT_EQ(fields(*MUST(store().getUser(u.id))), fields(u));
}

TEST_P(StoreContractTest, UserLookupsOfUnknownKeysAreNullopt) {
  EXPECT_EQ(MUST(store().getUser(hexId(kUser, 9))), std::nullopt);
  EXPECT_EQ(MUST(store().findUserByEmail("nobody@example.com")), std::nullopt);
}

TEST_P(StoreContractTest, UpdateUserWritesEveryColumnButIdAndCreatedOn) {
  UserRow u = makeUser(1);
  ASSERT_TRUE(MUST(store().insertUser(u)));
  UserRow changed = makeUser(2);
  changed.id = u.id;
  changed.first_name = std::nullopt;
  changed.zipcode = "10001";
  changed.global_key_hash = "rotated";
  changed.password_hash = "new-password-hash";
  MUST(store().updateUser(changed));
  UserRow want = changed;
  want.created_on = u.created_on;
  EXPECT_EQ(fields(*MUST(store().getUser(u.id))), fields(want));
  EXPECT_EQ(MUST(store().findUserByEmail(u.email)), std::nullopt);
  EXPECT_TRUE(MUST(store().findUserByEmail(changed.email)).has_value());
}

TEST_P(StoreContractTest, UpdateUserOfUnknownIdCreatesNothing) {
  UserRow ghost = makeUser(1);
  MUST(store().updateUser(ghost));
  EXPECT_EQ(MUST(store().getUser(ghost.id)), std::nullopt);
}

TEST_P(StoreContractTest, UpdateUserToATakenEmailFails) {
  ASSERT_TRUE(MUST(store().insertUser(makeUser(1))));
  UserRow second = makeUser(2);
  ASSERT_TRUE(MUST(store().insertUser(second)));
  second.email = makeUser(1).email;
  EXPECT_FALSE(store().updateUser(second).ok());
  EXPECT_EQ(MUST(store().getUser(second.id))->email, makeUser(2).email);
}

// ---- accounts

TEST_P(StoreContractTest, AccountRoundTripLookupsAndConflicts) {
  AccountRow a = makeAccount(1);
  ASSERT_TRUE(MUST(store().insertAccount(a)));
  EXPECT_EQ(fields(*MUST(store().getAccount(a.id))), fields(a));
  EXPECT_EQ(fields(*MUST(store().findAccountByHash(a.hash))), fields(a));
  AccountRow sameHash = makeAccount(2);
  sameHash.hash = a.hash;
  EXPECT_FALSE(MUST(store().insertAccount(sameHash)));
  AccountRow sameId = makeAccount(3);
  sameId.id = a.id;
  EXPECT_FALSE(MUST(store().insertAccount(sameId)));
  EXPECT_EQ(MUST(store().getAccount(sameHash.id)), std::nullopt);
  EXPECT_EQ(MUST(store().findAccountByHash(sameId.hash)), std::nullopt);
  EXPECT_EQ(MUST(store().findAccountByHash("unknown")), std::nullopt);
}

TEST_P(StoreContractTest, UpdateAccount) {
  AccountRow a = makeAccount(1);
  ASSERT_TRUE(MUST(store().insertAccount(a)));
  AccountRow changed = a;
  changed.name = "Renamed";
  changed.type = "enterprise";
  changed.settings_json = R"({"enforce_twofactor":true})";
  changed.created_on = a.created_on + 99;  // ignored
  MUST(store().updateAccount(changed));
  AccountRow want = changed;
  want.created_on = a.created_on;
  EXPECT_EQ(fields(*MUST(store().getAccount(a.id))), fields(want));
  MUST(store().updateAccount(makeAccount(7)));  // unknown id: a no-op
  EXPECT_EQ(MUST(store().getAccount(makeAccount(7).id)), std::nullopt);
}

// ---- memberships

TEST_P(StoreContractTest, MembershipCrudAndOrder) {
  UserRow u = makeUser(1), other = makeUser(2);
  AccountRow a = makeAccount(1), b = makeAccount(2), c = makeAccount(3);
  ASSERT_TRUE(MUST(store().insertUser(u)) && MUST(store().insertUser(other)));
  ASSERT_TRUE(MUST(store().insertAccount(a)) && MUST(store().insertAccount(b)) &&
              MUST(store().insertAccount(c)));
  // Inserted out of order: listed by created_on, then id.
  MembershipRow m3 = makeMembership(3, u.id, a.id);
  MembershipRow m1 = makeMembership(1, u.id, b.id);
  MembershipRow m2 = makeMembership(2, u.id, c.id);
  m2.created_on = m3.created_on;  // tie on created_on: id decides
  MembershipRow theirs = makeMembership(4, other.id, a.id);
  for (const auto& m : {m3, m1, m2, theirs}) ASSERT_TRUE(MUST(store().insertMembership(m)));
  EXPECT_FALSE(MUST(store().insertMembership(m1)));  // same id

  auto mine = MUST(store().listMembershipsOfUser(u.id));
  EXPECT_EQ(idsOf(mine), (std::vector<std::string>{m1.id, m2.id, m3.id}));
  ASSERT_EQ(mine.size(), 3u);
  EXPECT_EQ(fields(mine[0]), fields(m1));
  EXPECT_TRUE(MUST(store().listMembershipsOfUser(hexId(kUser, 9))).empty());
  EXPECT_EQ(fields(*MUST(store().getMembership(theirs.id))), fields(theirs));

  MembershipRow changed = m2;
  changed.status = "rejected";
  changed.roles_json = R"(["Administrator Read Only"])";
  MUST(store().updateMembership(changed));
  EXPECT_EQ(fields(*MUST(store().getMembership(m2.id))), fields(changed));

  EXPECT_TRUE(MUST(store().deleteMembership(m2.id)));
  EXPECT_FALSE(MUST(store().deleteMembership(m2.id)));
  EXPECT_FALSE(MUST(store().deleteMembership(hexId(kMembership, 99))));
  EXPECT_EQ(MUST(store().getMembership(m2.id)), std::nullopt);
  EXPECT_EQ(idsOf(MUST(store().listMembershipsOfUser(u.id))),
            (std::vector<std::string>{m1.id, m3.id}));
}

TEST_P(StoreContractTest, InvitesWithoutAUserAreClaimedByTheirEmail) {
  UserRow owner = makeUser(1);
  AccountRow a = makeAccount(1), b = makeAccount(2);
  ASSERT_TRUE(MUST(store().insertUser(owner)));
  ASSERT_TRUE(MUST(store().insertAccount(a)) && MUST(store().insertAccount(b)));
  MembershipRow mine = makeMembership(1, owner.id, a.id);
  MembershipRow invite = makeMembership(2, "", a.id);  // no user with that e-mail yet
  invite.status = "pending";
  invite.invited_by = owner.email;
  invite.expires_on = kT0 + 7;
  MembershipRow other_invite = makeMembership(3, "", b.id);
  other_invite.email = invite.email;
  other_invite.status = "pending";
  MembershipRow someone_else = makeMembership(4, "", b.id);
  someone_else.status = "pending";
  for (const auto& m : {mine, invite, other_invite, someone_else})
    ASSERT_TRUE(MUST(store().insertMembership(m)));
  EXPECT_EQ(fields(*MUST(store().getMembership(invite.id))), fields(invite));
  EXPECT_EQ(idsOf(MUST(store().listMembershipsOfAccount(a.id))),
            (std::vector<std::string>{mine.id, invite.id}));
  EXPECT_EQ(idsOf(MUST(store().listMembershipsOfAccount(b.id))),
            (std::vector<std::string>{other_invite.id, someone_else.id}));

  // One membership per account and e-mail, whoever holds it.
  MembershipRow again = makeMembership(5, "", a.id);
  again.email = invite.email;
  EXPECT_FALSE(MUST(store().insertMembership(again)));

  UserRow invitee = makeUser(2);
  invitee.email = invite.email;
  ASSERT_TRUE(MUST(store().insertUser(invitee)));
  MUST(store().claimInvites(invitee.email, invitee.id));
  EXPECT_EQ(idsOf(MUST(store().listMembershipsOfUser(invitee.id))),
            (std::vector<std::string>{invite.id, other_invite.id}));
  EXPECT_EQ(MUST(store().getMembership(someone_else.id))->user_id, "");
  EXPECT_EQ(MUST(store().getMembership(mine.id))->user_id, owner.id);
}

TEST_P(StoreContractTest, RowsReferringToMissingParentsAreRejected) {
  ASSERT_TRUE(MUST(store().insertUser(makeUser(1))));
  ASSERT_TRUE(MUST(store().insertAccount(makeAccount(1))));
  EXPECT_FALSE(
      store().insertMembership(makeMembership(1, hexId(kUser, 9), hexId(kAccount, 1))).ok());
  EXPECT_FALSE(
      store().insertMembership(makeMembership(2, hexId(kUser, 1), hexId(kAccount, 9))).ok());
  EXPECT_FALSE(store().insertZone(makeZone(1, hexId(kAccount, 9), "example.com")).ok());
  EXPECT_EQ(MUST(store().getMembership(hexId(kMembership, 1))), std::nullopt);
  EXPECT_EQ(MUST(store().getZone(hexId(kZone, 1))), std::nullopt);
}

// ---- tokens

TEST_P(StoreContractTest, TokenRoundTripsEveryColumnAndNullopts) {
  TokenRow full = makeToken(1, "user", hexId(kUser, 1));
  TokenRow bare = makeToken(2, "account", hexId(kAccount, 1));
  bare.last_used_on = bare.not_before = bare.expires_on = std::nullopt;
  bare.condition_json = "";
  ASSERT_TRUE(MUST(store().insertToken(full)));
  ASSERT_TRUE(MUST(store().insertToken(bare)));
  EXPECT_EQ(fields(*MUST(store().getToken(full.id))), fields(full));
  EXPECT_EQ(fields(*MUST(store().getToken(bare.id))), fields(bare));
  EXPECT_EQ(fields(*MUST(store().findTokenBySecretHash(bare.secret_hash))), fields(bare));
  EXPECT_EQ(MUST(store().getToken(hexId(kToken, 9))), std::nullopt);
  EXPECT_EQ(MUST(store().findTokenBySecretHash("unknown")), std::nullopt);
}

TEST_P(StoreContractTest, TokenUniqueConflictsAreFalse) {
  TokenRow t = makeToken(1, "user", hexId(kUser, 1));
  ASSERT_TRUE(MUST(store().insertToken(t)));
  TokenRow sameSecret = makeToken(2, "user", hexId(kUser, 1));
  sameSecret.secret_hash = t.secret_hash;
  EXPECT_FALSE(MUST(store().insertToken(sameSecret)));
  TokenRow sameId = makeToken(3, "user", hexId(kUser, 1));
  sameId.id = t.id;
  EXPECT_FALSE(MUST(store().insertToken(sameId)));
  EXPECT_EQ(MUST(store().findTokenBySecretHash(sameId.secret_hash)), std::nullopt);
  EXPECT_EQ(idsOf(MUST(store().listTokens("user", hexId(kUser, 1)))),
            std::vector<std::string>{t.id});
}

TEST_P(StoreContractTest, ListTokensByOwnerInIssueOrder) {
  const std::string owner = hexId(kUser, 1);
  TokenRow t3 = makeToken(3, "user", owner), t1 = makeToken(1, "user", owner);
  TokenRow t2 = makeToken(2, "user", owner);
  t2.issued_on = t3.issued_on;  // tie on issued_on: id decides
  // Same owner id under the other kind, and another owner: not listed.
  TokenRow otherKind = makeToken(4, "account", owner), otherOwner = makeToken(5, "user", "x");
  for (const auto& t : {t3, t1, otherKind, t2, otherOwner}) {
    ASSERT_TRUE(MUST(store().insertToken(t)));
  }
  auto listed = MUST(store().listTokens("user", owner));
  EXPECT_EQ(idsOf(listed), (std::vector<std::string>{t1.id, t2.id, t3.id}));
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(fields(listed[2]), fields(t3));
  EXPECT_EQ(idsOf(MUST(store().listTokens("account", owner))),
            std::vector<std::string>{otherKind.id});
  EXPECT_TRUE(MUST(store().listTokens("account", "nobody")).empty());
}

TEST_P(StoreContractTest, UpdateTokenKeepsIdOwnerAndSecretHash) {
  TokenRow t = makeToken(1, "user", hexId(kUser, 1));
  ASSERT_TRUE(MUST(store().insertToken(t)));
  TokenRow changed = makeToken(2, "account", hexId(kAccount, 1));
  changed.id = t.id;
  changed.status = "disabled";
  changed.not_before = changed.expires_on = std::nullopt;
  changed.condition_json = "";
  EXPECT_TRUE(MUST(store().updateToken(changed)));
  TokenRow want = changed;
  want.owner_kind = t.owner_kind;
  want.owner_id = t.owner_id;
  want.secret_hash = t.secret_hash;
  EXPECT_EQ(fields(*MUST(store().getToken(t.id))), fields(want));
  EXPECT_TRUE(MUST(store().findTokenBySecretHash(t.secret_hash)).has_value());
  EXPECT_EQ(MUST(store().findTokenBySecretHash(changed.secret_hash)), std::nullopt);
  EXPECT_FALSE(MUST(store().updateToken(makeToken(9, "user", hexId(kUser, 1)))));
  EXPECT_EQ(MUST(store().getToken(hexId(kToken, 9))), std::nullopt);
}

TEST_P(StoreContractTest, RollTokenReplacesTheSecretHash) {
  TokenRow t = makeToken(1, "user", hexId(kUser, 1));
  ASSERT_TRUE(MUST(store().insertToken(t)));
  EXPECT_TRUE(MUST(store().rollToken(t.id, "rolled", kT0 + 500)));
  EXPECT_EQ(MUST(store().findTokenBySecretHash(t.secret_hash)), std::nullopt);
  auto got = MUST(store().findTokenBySecretHash("rolled"));
  ASSERT_TRUE(got.has_value());
  TokenRow want = t;
  want.secret_hash = "rolled";
  want.modified_on = kT0 + 500;
  EXPECT_EQ(fields(*got), fields(want));
  EXPECT_FALSE(MUST(store().rollToken(hexId(kToken, 9), "other", kT0)));
  EXPECT_EQ(MUST(store().findTokenBySecretHash("other")), std::nullopt);
}

TEST_P(StoreContractTest, DeleteToken) {
  TokenRow t = makeToken(1, "user", hexId(kUser, 1));
  ASSERT_TRUE(MUST(store().insertToken(t)));
  EXPECT_TRUE(MUST(store().deleteToken(t.id)));
  EXPECT_FALSE(MUST(store().deleteToken(t.id)));
  EXPECT_FALSE(MUST(store().deleteToken(hexId(kToken, 9))));
  EXPECT_EQ(MUST(store().getToken(t.id)), std::nullopt);
  EXPECT_EQ(MUST(store().findTokenBySecretHash(t.secret_hash)), std::nullopt);
  // The secret hash is free again.
  EXPECT_TRUE(MUST(store().insertToken(makeToken(2, "user", hexId(kUser, 1)))));
  TokenRow reuse = makeToken(3, "user", hexId(kUser, 1));
  reuse.secret_hash = t.secret_hash;
  EXPECT_TRUE(MUST(store().insertToken(reuse)));
}

TEST_P(StoreContractTest, TouchTokensBatchMovesLastUsedForwardOnly) {
  TokenRow a = makeToken(1, "user", hexId(kUser, 1)), b = makeToken(2, "user", hexId(kUser, 1));
  TokenRow c = makeToken(3, "user", hexId(kUser, 1));
  a.last_used_on = std::nullopt;
  for (const auto& t : {a, b, c}) ASSERT_TRUE(MUST(store().insertToken(t)));
  MUST(store().touchTokens({}));
  MUST(store().touchTokens({{a.id, kT0 + 1000},
                            {b.id, kT0 + 2000},
                            {hexId(kToken, 9), kT0 + 3000},  // missing: ignored
                            {c.id, *c.last_used_on - 1}}));  // older: ignored
  EXPECT_EQ(MUST(store().getToken(a.id))->last_used_on, kT0 + 1000);
  EXPECT_EQ(MUST(store().getToken(b.id))->last_used_on, kT0 + 2000);
  EXPECT_EQ(MUST(store().getToken(c.id))->last_used_on, c.last_used_on);
  EXPECT_EQ(MUST(store().getToken(a.id))->modified_on, a.modified_on);
  EXPECT_EQ(MUST(store().getToken(hexId(kToken, 9))), std::nullopt);
  // Several uses of one token in a batch: the latest wins whatever the order.
  MUST(store().touchTokens({{a.id, kT0 + 5000}, {a.id, kT0 + 4000}}));
  EXPECT_EQ(MUST(store().getToken(a.id))->last_used_on, kT0 + 5000);
}

}  // namespace
}  // namespace nubis::store::contract
