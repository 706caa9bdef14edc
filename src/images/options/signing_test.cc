// RELIABILITY A8: signed image URLs (IMAGES.md A.7), with the worked example as the anchor.
#include "images/options/signing.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace nubis::images {
namespace {

// IMAGES.md A.7, computed there with `openssl dgst -sha256 -hmac` and Python's hmac.
const std::string kKey = "Oix0bbNaT8Rge9PuyxUBrjI6zrgnsyJ5=";
const std::string kPath = "/cheeW4oKsx5ljh8e8BoL2A/bc27a117-9509-446b-8c69-c81bfeac0a01/mobile";
const std::string kSig = "72411885ee02134d38662f3e70ac8ff694f408e9d14b05125f6b022c3f403efa";
const std::string kPathOnlySig = "f650d16a54309cc5560ccf74ba805cd33c92ba5edaa7f09abeebfaf7e3f5895e";
constexpr int64_t kExp = 1631289275;
const std::string kQuery = "exp=1631289275&sig=" + kSig;

std::string upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return s;
}

TEST(SignedUrl, Table) {
  const std::string other_key = "AnotherKey0000000000000000000000";
  struct Case {
    const char* what;
    std::string path;
    std::string query;
    std::vector<std::string> keys;
    int64_t now;
    std::string reason_part;  // "" = valid
  };
  const std::string no_exp_sig = "sig=" + kPathOnlySig;
  // A signer that included an extra parameter signs it too (path?exp=..&v=2).
  const std::string with_extra =
      "exp=1631289275&v=2&sig=" +
      signPath(kPath + "?exp=1631289275&v=2", kKey, std::nullopt).substr(4);
  const std::string leading_zero_exp =
      "exp=01631289275&sig=" + signPath(kPath + "?exp=01631289275", kKey, std::nullopt).substr(4);
  const Case cases[] = {
      {"worked example, before exp", kPath, kQuery, {kKey}, kExp - 3600, ""},
      {"worked example, exp == now", kPath, kQuery, {kKey}, kExp, ""},
      {"worked example, a second late", kPath, kQuery, {kKey}, kExp + 1, "expired"},
      {"worked example, years late", kPath, kQuery, {kKey}, 2000000000, "expired"},
      {"path-only signature, no exp", kPath, no_exp_sig, {kKey}, 2000000000, ""},
      {"path-only signature with an exp",
       kPath,
       "exp=1631289275&" + no_exp_sig,
       {kKey},
       kExp,
       "does not match"},
      {"exp signature without its exp", kPath, "sig=" + kSig, {kKey}, kExp, "does not match"},
      {"wrong key", kPath, kQuery, {other_key}, kExp, "does not match"},
      {"key rotation: second key", kPath, kQuery, {other_key, kKey}, kExp, ""},
      {"key rotation: first key", kPath, kQuery, {kKey, other_key}, kExp, ""},
      {"no keys", kPath, kQuery, {}, kExp, "no signing key"},
      {"tampered image id",
       "/cheeW4oKsx5ljh8e8BoL2A/bc27a117-9509-446b-8c69-c81bfeac0a02/mobile",
       kQuery,
       {kKey},
       kExp,
       "does not match"},
      {"tampered variant",
       "/cheeW4oKsx5ljh8e8BoL2A/bc27a117-9509-446b-8c69-c81bfeac0a01/public",
       kQuery,
       {kKey},
       kExp,
       "does not match"},
      {"tampered account hash",
       "/cheeW4oKsx5ljh8e8BoL2B/bc27a117-9509-446b-8c69-c81bfeac0a01/mobile",
       kQuery,
       {kKey},
       kExp,
       "does not match"},
      {"flexible variant swapped in",
       "/cheeW4oKsx5ljh8e8BoL2A/bc27a117-9509-446b-8c69-c81bfeac0a01/w=2000",
       kQuery,
       {kKey},
       kExp,
       "does not match"},
      {"prefix left on the path",
       "/cdn-cgi/imagedelivery" + kPath,
       kQuery,
       {kKey},
       kExp,
       "does not match"},
      {"percent-encoded variant",
       kPath.substr(0, kPath.size() - 1) + "%65",
       kQuery,
       {kKey},
       kExp,
       "does not match"},
      {"tampered exp", kPath, "exp=1631289276&sig=" + kSig, {kKey}, kExp, "does not match"},
      {"missing sig", kPath, "exp=1631289275", {kKey}, kExp, "missing sig"},
      {"empty query", kPath, "", {kKey}, kExp, "missing sig"},
      {"sig in upper case", kPath, "exp=1631289275&sig=" + upper(kSig), {kKey}, kExp, ""},
      {"sig in mixed case",
       kPath,
       "exp=1631289275&sig=72411885EE02134d38662f3e70ac8ff694f408e9d14b05125f6b022c3f403efa",
       {kKey},
       kExp,
       ""},
      {"sig truncated",
       kPath,
       "exp=1631289275&sig=" + kSig.substr(0, 63),
       {kKey},
       kExp,
       "64 hexadecimal"},
      {"sig too long", kPath, kQuery + "0", {kKey}, kExp, "64 hexadecimal"},
      {"sig not hex",
       kPath,
       "exp=1631289275&sig=" + kSig.substr(0, 63) + "g",
       {kKey},
       kExp,
       "64 hexadecimal"},
      {"sig empty", kPath, "exp=1631289275&sig=", {kKey}, kExp, "64 hexadecimal"},
      {"sig without =", kPath, "exp=1631289275&sig", {kKey}, kExp, "sig has no value"},
      {"sig in base64",
       kPath,
       "exp=1631289275&sig=ckEYhe4CE004Zi8+cKyP9pT0COnRSwUSX2sCLD9APvo=",
       {kKey},
       kExp,
       "64 hexadecimal"},
      {"SIG is not sig", kPath, "exp=1631289275&SIG=" + kSig, {kKey}, kExp, "missing sig"},
      {"duplicate sig",
       kPath,
       kQuery + "&sig=" + kSig,
       {kKey},
       kExp,
       "sig is given more than once"},
      {"duplicate exp",
       kPath,
       "exp=1631289275&exp=1631289275&sig=" + kSig,
       {kKey},
       kExp,
       "exp is given more than once"},
      {"extra parameter appended", kPath, kQuery + "&v=2", {kKey}, kExp, "does not match"},
      {"extra parameter prepended", kPath, "v=2&" + kQuery, {kKey}, kExp, "does not match"},
      {"extra parameter that was signed", kPath, with_extra, {kKey}, kExp, ""},
      {"signed parameters reordered",
       kPath,
       "v=2&exp=1631289275&sig=" + with_extra.substr(23),
       {kKey},
       kExp,
       "does not match"},
      {"sig first", kPath, "sig=" + kSig + "&exp=1631289275", {kKey}, kExp, ""},
      {"empty parameter", kPath, "exp=1631289275&&sig=" + kSig, {kKey}, kExp, "empty parameter"},
      {"trailing &", kPath, kQuery + "&", {kKey}, kExp, "empty parameter"},
      {"exp with a letter", kPath, "exp=16312892x5&sig=" + kSig, {kKey}, kExp, "exp must be"},
      {"exp negative", kPath, "exp=-1&sig=" + kSig, {kKey}, kExp, "exp must be"},
      {"exp with +", kPath, "exp=+1631289275&sig=" + kSig, {kKey}, kExp, "exp must be"},
      {"exp percent-encoded", kPath, "exp=%31631289275&sig=" + kSig, {kKey}, kExp, "exp must be"},
      {"exp in milliseconds-plus",
       kPath,
       "exp=1631289275000000000&sig=" + kSig,
       {kKey},
       kExp,
       "exp must be"},
      {"exp empty", kPath, "exp=&sig=" + kSig, {kKey}, kExp, "exp must be"},
      {"exp fractional", kPath, "exp=1631289275.5&sig=" + kSig, {kKey}, kExp, "exp must be"},
      {"exp with leading zeros, signed so", kPath, leading_zero_exp, {kKey}, kExp, ""},
      {"empty key never matches",
       kPath,
       signPath(kPath, "", std::nullopt),
       {""},
       kExp,
       "does not match"},
      {"path without a slash", kPath.substr(1), kQuery, {kKey}, kExp, "malformed path"},
  };
  for (const Case& c : cases) {
    std::string reason = checkSignature(c.path, c.query, c.keys, c.now);
    if (c.reason_part.empty()) {
      EXPECT_EQ(reason, "") << c.what;
    } else {
      EXPECT_NE(reason.find(c.reason_part), std::string::npos)
          << c.what << ": got '" << reason << "'";
    }
  }
}

TEST(SignedUrl, SignPathReproducesTheWorkedExample) {
  EXPECT_EQ(signPath(kPath, kKey, kExp), kQuery);
  EXPECT_EQ(signPath(kPath, kKey, std::nullopt), "sig=" + kPathOnlySig);
}

TEST(SignedUrl, SignAndCheckRoundTrip) {
  const std::string paths[] = {"/h/id/public", "/h/a/b/c.jpg/thumb", "/h/%E2%9C%93/v"};
  for (const std::string& path : paths) {
    EXPECT_EQ(checkSignature(path, signPath(path, "k1", 1000), {"k1"}, 999), "") << path;
    EXPECT_EQ(checkSignature(path, signPath(path, "k1", 1000), {"k1"}, 1000), "") << path;
    EXPECT_NE(checkSignature(path, signPath(path, "k1", 1000), {"k1"}, 1001), "") << path;
    EXPECT_EQ(checkSignature(path, signPath(path, "k1", std::nullopt), {"k1"}, 1 << 30), "");
    EXPECT_NE(checkSignature(path, signPath(path, "k1", 1000), {"k2"}, 0), "") << path;
  }
  // A key removed from the account stops verifying.
  std::string q = signPath("/h/id/v", "old", 5000);
  EXPECT_EQ(checkSignature("/h/id/v", q, {"new", "old"}, 0), "");
  EXPECT_NE(checkSignature("/h/id/v", q, {"new"}, 0), "");
}

TEST(SigningKey, ThirtyTwoUrlSafeCharactersFromTheBytes) {
  uint8_t zeros[32] = {};
  EXPECT_EQ(makeSigningKey(zeros), std::string(32, 'A'));
  uint8_t bytes[32];
  for (int i = 0; i < 32; ++i) bytes[i] = static_cast<uint8_t>(i * 8 + 1);
  std::string key = makeSigningKey(bytes);
  EXPECT_EQ(key.size(), 32u);
  EXPECT_EQ(key.substr(0, 4), "BJRZ");  // 1, 9, 17, 25
  for (char c : key) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    EXPECT_TRUE(ok) << c;
  }
  // Every byte value maps into a 64-character alphabet, each character equally often.
  std::set<char> seen;
  for (int start = 0; start < 256; start += 32) {
    uint8_t block[32];
    for (int i = 0; i < 32; ++i) block[i] = static_cast<uint8_t>(start + i);
    for (char c : makeSigningKey(block)) seen.insert(c);
  }
  EXPECT_EQ(seen.size(), 64u);
  bytes[31] ^= 1;
  EXPECT_NE(makeSigningKey(bytes), key);
}

}  // namespace
}  // namespace nubis::images
