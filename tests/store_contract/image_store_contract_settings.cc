// The ImageStore contract, part 3: named variants, URL-signing keys and the per-account config.
#include <string>
#include <vector>

#include "store_contract/image_store_contract.h"

namespace nubis::store::contract {
namespace {

std::vector<std::string> namesOf(const std::vector<VariantRow>& rows) {
  std::vector<std::string> names;
  for (const auto& r : rows) names.push_back(r.name);
  return names;
}
std::vector<std::string> namesOf(const std::vector<SigningKeyRow>& rows) {
  std::vector<std::string> names;
  for (const auto& r : rows) names.push_back(r.name);
  return names;
}

// ---- variants

TEST_P(ImageStoreContractTest, VariantRoundTripListByNameAndConflicts) {
  const std::string acc = account(1), other = account(2);
  VariantRow thumb = makeVariant(acc, "thumb", 1), pub = makeVariant(acc, "public", 2);
  VariantRow big = makeVariant(acc, "Big", 3), theirs = makeVariant(other, "thumb", 4);
  for (const auto& v : {thumb, pub, big, theirs}) ASSERT_TRUE(MUST(images().insertVariant(v)));
  EXPECT_FALSE(MUST(images().insertVariant(makeVariant(acc, "thumb", 9))));
  EXPECT_EQ(fields(*MUST(images().getVariant(acc, "thumb"))), fields(thumb));
  EXPECT_EQ(fields(*MUST(images().getVariant(other, "thumb"))), fields(theirs));
  EXPECT_EQ(MUST(images().getVariant(acc, "THUMB")), std::nullopt);
  EXPECT_EQ(MUST(images().getVariant(account(3), "thumb")), std::nullopt);
  auto listed = MUST(images().listVariants(acc));
  EXPECT_EQ(namesOf(listed), (std::vector<std::string>{"Big", "public", "thumb"}));
  ASSERT_EQ(listed.size(), 3u);
  EXPECT_EQ(fields(listed[1]), fields(pub));
  EXPECT_EQ(namesOf(MUST(images().listVariants(other))), std::vector<std::string>{"thumb"});
  EXPECT_TRUE(MUST(images().listVariants(account(3))).empty());
}

TEST_P(ImageStoreContractTest, UpdateVariantKeepsCreatedAndDeleteIsOnce) {
  const std::string acc = account(1);
  VariantRow v = makeVariant(acc, "thumb", 1);
  ASSERT_TRUE(MUST(images().insertVariant(v)));
  VariantRow changed = v;
  changed.options_json = R"({"fit":"cover","width":50,"height":50})";
  changed.never_require_signed = !v.never_require_signed;
  changed.modified = kT0 + 500;
  changed.created = kT0 + 999;  // ignored
  EXPECT_TRUE(MUST(images().updateVariant(changed)));
  VariantRow want = changed;
  want.created = v.created;
  EXPECT_EQ(fields(*MUST(images().getVariant(acc, "thumb"))), fields(want));
  EXPECT_FALSE(MUST(images().updateVariant(makeVariant(acc, "ghost", 2))));
  EXPECT_EQ(MUST(images().getVariant(acc, "ghost")), std::nullopt);

  EXPECT_TRUE(MUST(images().deleteVariant(acc, "thumb")));
  EXPECT_FALSE(MUST(images().deleteVariant(acc, "thumb")));
  EXPECT_EQ(MUST(images().getVariant(acc, "thumb")), std::nullopt);
  EXPECT_TRUE(MUST(images().insertVariant(v)));  // the name is free again
}

// ---- signing keys

TEST_P(ImageStoreContractTest, SigningKeysListByCreatedThenNameAndPutReplacesTheValue) {
  const std::string acc = account(1), other = account(2);
  MUST(images().putSigningKey({acc, "zeta", "v-zeta", kT0 + 1}));
  MUST(images().putSigningKey({acc, "default", "v-default", kT0 + 2}));
  MUST(images().putSigningKey({acc, "alpha", "v-alpha", kT0 + 2}));  // same created: by name
  MUST(images().putSigningKey({other, "default", "theirs", kT0}));
  auto keys = MUST(images().listSigningKeys(acc));
  EXPECT_EQ(namesOf(keys), (std::vector<std::string>{"zeta", "alpha", "default"}));
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(fields(keys[2]), fields(SigningKeyRow{acc, "default", "v-default", kT0 + 2}));

  // Rolling a key: new value, same place in the list.
  MUST(images().putSigningKey({acc, "default", "rolled", kT0 + 50}));
  keys = MUST(images().listSigningKeys(acc));
  EXPECT_EQ(namesOf(keys), (std::vector<std::string>{"zeta", "alpha", "default"}));
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(fields(keys[2]), fields(SigningKeyRow{acc, "default", "rolled", kT0 + 2}));
  EXPECT_EQ(MUST(images().listSigningKeys(other))[0].value, "theirs");

  EXPECT_TRUE(MUST(images().deleteSigningKey(acc, "zeta")));
  EXPECT_FALSE(MUST(images().deleteSigningKey(acc, "zeta")));
  EXPECT_FALSE(MUST(images().deleteSigningKey(account(3), "default")));
  EXPECT_EQ(namesOf(MUST(images().listSigningKeys(acc))),
            (std::vector<std::string>{"alpha", "default"}));
  EXPECT_TRUE(MUST(images().listSigningKeys(account(3))).empty());
}

// ---- config

TEST_P(ImageStoreContractTest, ImagesConfigDefaultsThenStoredPerAccount) {
  const std::string acc = account(1), other = account(2);
  EXPECT_EQ(fields(MUST(images().getImagesConfig(acc))),
            fields(ImagesConfigRow{acc, false, 172800}));
  MUST(images().putImagesConfig({acc, true, 3600}));
  EXPECT_EQ(fields(MUST(images().getImagesConfig(acc))), fields(ImagesConfigRow{acc, true, 3600}));
  MUST(images().putImagesConfig({acc, false, 31536000}));
  EXPECT_EQ(fields(MUST(images().getImagesConfig(acc))),
            fields(ImagesConfigRow{acc, false, 31536000}));
  EXPECT_EQ(fields(MUST(images().getImagesConfig(other))),
            fields(ImagesConfigRow{other, false, 172800}));
}

}  // namespace
}  // namespace nubis::store::contract
