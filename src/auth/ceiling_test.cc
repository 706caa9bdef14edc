// A3 privilege ceiling: hand-written cases, then randomized escalation attempts and narrowings
// judged by a brute-force oracle that runs the evaluator over a concrete world of targets.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <chrono>
#include <map>
#include <random>

#include "auth/auth_test_util.h"

namespace nubis::auth {
namespace {

using namespace testing;  // NOLINT: test fixtures
namespace g = groups;

// Not named by any generated policy: stand-ins for "everything else" in the brute-force world.
const std::string kU3 = "33333333333333333333333333333333";
const std::string kD = "dddddddddddddddddddddddddddddddd";
const std::string kZ6 = "0000000000000000000000000000d006";
const std::string kZ7 = "0000000000000000000000000000a007";
const std::string kZ8 = "0000000000000000000000000000b008";

CeilingContext context(bool unrestricted = false) {
  CeilingContext ctx;
  ctx.unrestricted = unrestricted;
  ctx.user_id = kU;
  ctx.account_is_member = [](std::string_view a) { return a == kA || a == kB; };
  ctx.zone_account = [](std::string_view z) -> std::optional<std::string> {
    static const std::map<std::string, std::string, std::less<>> placement = {
        {kZ1, kA}, {kZ2, kA}, {kZ7, kA}, {kZ3, kB}, {kZ8, kB}, {kZ4, kC}, {kZ6, kD}};
    auto it = placement.find(z);
    if (it == placement.end()) return std::nullopt;
    return it->second;
  };
  return ctx;
}

bool passes(const std::vector<Policy>& creator, const std::vector<Policy>& requested,
            bool unrestricted = false) {
  Status st = checkCeiling(creator, requested, context(unrestricted));
  if (!st.ok()) {
    EXPECT_EQ(st.error().http_status, 403);
    EXPECT_EQ(st.error().code, 9109);
    EXPECT_EQ(st.error().message, "Unauthorized to access requested resource");
    EXPECT_FALSE(st.error().detail.empty());
  }
  return st.ok();
}

TEST(Ceiling, HandWrittenCases) {
  const std::string s = "*";
  auto dnsAll = std::vector<Policy>{allowP({g::kDnsWrite}, {zoneKey(s)})};
  EXPECT_TRUE(passes(dnsAll, {allowP({g::kDnsWrite}, {zoneKey(kZ1)})}));
  EXPECT_TRUE(passes(dnsAll, {allowP({g::kDnsWrite}, {nestedKey(kA, {s})})}));
  EXPECT_TRUE(passes(dnsAll, dnsAll));
  EXPECT_FALSE(passes(dnsAll, {allowP({g::kDnsRead}, {zoneKey(kZ1)})}));  // Write !=> Read
  EXPECT_FALSE(passes(dnsAll, {allowP({g::kZoneWrite}, {zoneKey(kZ1)})}));

  auto dnsA = std::vector<Policy>{allowP({g::kDnsWrite}, {nestedKey(kA, {s})})};
  EXPECT_TRUE(passes(dnsA, {allowP({g::kDnsWrite}, {zoneKey(kZ1)})}));  // Z1 is in A
  EXPECT_TRUE(passes(dnsA, {allowP({g::kDnsWrite}, {nestedKey(kA, {kZ2})})}));
  EXPECT_FALSE(passes(dnsA, {allowP({g::kDnsWrite}, {zoneKey(kZ3)})}));  // Z3 is in B
  EXPECT_FALSE(passes(dnsA, {allowP({g::kDnsWrite}, {zoneKey(kZ5)})}));  // unknown zone
  EXPECT_FALSE(passes(dnsA, {allowP({g::kDnsWrite}, {zoneKey(s)})}));
  EXPECT_FALSE(passes(dnsA, {allowP({g::kDnsWrite}, {nestedKey(s, {s})})}));

  auto carved = std::vector<Policy>{allowP({g::kDnsWrite}, {zoneKey(s)}),
                                    denyP({g::kDnsWrite}, {zoneKey(kZ1)})};
  EXPECT_FALSE(passes(carved, {allowP({g::kDnsWrite}, {zoneKey(s)})}));
  EXPECT_FALSE(passes(carved, {allowP({g::kDnsWrite}, {zoneKey(kZ1)})}));
  EXPECT_TRUE(passes(carved, {allowP({g::kDnsWrite}, {zoneKey(kZ2)})}));
  EXPECT_TRUE(passes(carved, carved));  // a token may copy its own policies
  EXPECT_TRUE(passes(
      carved, {allowP({g::kDnsWrite}, {zoneKey(s)}), denyP({g::kDnsWrite}, {nestedKey(kA, {s})})}));

  auto self = std::vector<Policy>{allowP({g::kApiTokensWrite}, {userKey(kU)})};
  EXPECT_TRUE(passes(self, {allowP({g::kApiTokensWrite}, {userKey(kU)})}));
  EXPECT_FALSE(passes(self, {allowP({g::kApiTokensWrite}, {userKey(kU2)})}));
  EXPECT_FALSE(passes(self, {allowP({g::kApiTokensRead}, {userKey(kU)})}));
  // Deny-only requests narrow and always pass, whatever they name.
  EXPECT_TRUE(passes(self, {denyP({g::kDnsWrite, g::kImagesWrite}, {zoneKey(s), accountKey(kC)})}));
  // A grant that can never act (zone group on an account key) is inert, hence not escalation.
  EXPECT_TRUE(passes(self, {allowP({g::kDnsWrite}, {accountKey(kC)})}));

  auto acctA = std::vector<Policy>{allowP({g::kAccountSettingsWrite}, {accountKey(kA)})};
  EXPECT_TRUE(passes(acctA, {allowP({g::kAccountSettingsWrite}, {accountKey(kA)})}));
  EXPECT_FALSE(passes(acctA, {allowP({g::kAccountSettingsWrite}, {accountKey(s)})}));
  EXPECT_FALSE(passes(acctA, {allowP({g::kAccountSettingsWrite}, {accountKey(kB)})}));
  EXPECT_FALSE(passes({}, {allowP({g::kAccountSettingsRead}, {accountKey(kA)})}));
}

TEST(Ceiling, DetailNamesPolicyGroupAndResource) {
  Status st =
      checkCeiling({}, std::vector<Policy>{allowP({g::kDnsRead}, {zoneKey(kZ3)})}, context());
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().detail.find("policies[0]"), std::string::npos) << st.error().detail;
  EXPECT_NE(st.error().detail.find("DNS Read"), std::string::npos);
  EXPECT_NE(st.error().detail.find(zoneKey(kZ3).key()), std::string::npos);
}

TEST(Ceiling, MissingCallbacksAreConservative) {
  auto dnsA = std::vector<Policy>{allowP({g::kDnsWrite}, {nestedKey(kA, {"*"})})};
  EXPECT_FALSE(
      checkCeiling(dnsA, std::vector<Policy>{allowP({g::kDnsWrite}, {zoneKey(kZ1)})}, {}).ok());
  CeilingContext global;
  global.unrestricted = true;
  global.user_id = kU;
  EXPECT_FALSE(
      checkCeiling({}, std::vector<Policy>{allowP({g::kDnsWrite}, {zoneKey(kZ1)})}, global).ok());
  EXPECT_TRUE(
      checkCeiling({}, std::vector<Policy>{allowP({g::kDnsWrite}, {zoneKey("*")})}, global).ok());
}

TEST(Ceiling, GlobalKeyReachesOnlyTheUsersOwnThings) {
  const std::string s = "*";
  const auto any = {g::kDnsWrite, g::kAccountSettingsWrite, g::kApiTokensWrite};
  EXPECT_TRUE(passes({}, {allowP(any, {userKey(kU), accountKey(kA), zoneKey(kZ1)})}, true));
  EXPECT_TRUE(passes({}, {allowP(any, {accountKey(s), zoneKey(s), nestedKey(s, {s})})}, true));
  EXPECT_TRUE(passes({}, {allowP(any, {nestedKey(kB, {kZ3, s})})}, true));
  EXPECT_TRUE(passes({}, {denyP(any, {accountKey(kC), zoneKey(kZ4), userKey(kU2)})}, true));
  EXPECT_FALSE(passes({}, {allowP(any, {userKey(kU2)})}, true));
  EXPECT_FALSE(passes({}, {allowP(any, {accountKey(kC)})}, true));
  EXPECT_FALSE(passes({}, {allowP(any, {zoneKey(kZ4)})}, true));  // zone of a foreign account
  EXPECT_FALSE(passes({}, {allowP(any, {zoneKey(kZ5)})}, true));  // unknown zone
  EXPECT_FALSE(passes({}, {allowP(any, {nestedKey(kC, {s})})}, true));
  EXPECT_FALSE(passes({}, {allowP(any, {nestedKey(kA, {kZ4})})}, true));
  EXPECT_FALSE(passes({}, {allowP(any, {nestedKey(s, {kZ4})})}, true));
}

TEST(Ceiling, HostileSizesStayFast) {
  std::vector<Policy> creator, requested;
  for (int i = 0; i < static_cast<int>(kMaxPolicies); ++i) {
    Resources keys;
    for (int k = 0; k < static_cast<int>(kMaxResourceKeys); ++k) {
      std::string id = std::to_string(i * 1000 + k);
      keys.push_back(zoneKey(std::string(32 - id.size(), 'f') + id));
    }
    Policy p = allowP({}, std::move(keys));
    for (const PermissionGroup& group : allGroups()) p.group_ids.emplace_back(group.id);
    creator.push_back(p);
    requested.push_back(p);
  }
  creator.push_back(allowP({g::kDnsWrite}, {zoneKey("*")}));
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(passes(creator, requested));
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(took).count(), 3000);
}

// ---- Randomized (A3) ---------------------------------------------------------------------

// Brute force with the reference evaluator: does `requested` grant any group on any concrete
// target that `creator` does not?
// The world holds every id the generator can name plus unnamed ones (U3, D, Z6..Z8), and puts
// Z5, which zone_account does not know, in the unnamed account D.
bool escalates(const std::vector<Policy>& creator, const std::vector<Policy>& requested) {
  static const std::vector<Target> world = {
      Target::user(kU),      Target::user(kU2),     Target::user(kU3),     Target::account(kA),
      Target::account(kB),   Target::account(kC),   Target::account(kD),   Target::zone(kA, kZ1),
      Target::zone(kA, kZ2), Target::zone(kA, kZ7), Target::zone(kB, kZ3), Target::zone(kB, kZ8),
      Target::zone(kC, kZ4), Target::zone(kD, kZ6), Target::zone(kD, kZ5), Target::zone(kA, ""),
      Target::zone(kD, "")};
  std::vector<Tuple> want = expand(requested), held = expand(creator);
  for (const PermissionGroup& group : allGroups()) {
    std::vector<std::string_view> one = {group.id};
    for (const Target& t : world) {
      if (referenceEvaluate(want, one, t) && !referenceEvaluate(held, one, t)) return true;
    }
  }
  return false;
}

// A narrower copy of the creator's grants: fewer policies/groups, narrower keys, all of the
// creator's denies carried over (dropping one would widen the grant) plus random extra denies.
std::vector<Policy> narrow(Gen& gen, const std::vector<Policy>& creator) {
  static const std::vector<std::pair<std::string, std::string>> placed = {
      {kA, kZ1}, {kA, kZ2}, {kB, kZ3}, {kC, kZ4}};
  std::vector<Policy> out;
  for (const Policy& p : creator) {
    if (!p.allow) {
      out.push_back(p);
      continue;
    }
    if (gen.coin(30)) continue;
    Policy q = p;
    q.group_ids.resize(1 +
                       static_cast<std::size_t>(gen.upTo(static_cast<int>(p.group_ids.size()))));
    for (ResourceKey& k : q.resources) {
      const auto& [a, z] = gen.pick(placed);
      if (k.kind == ResourceKey::kZone && k.id == "*" && gen.coin(50)) {
        k = gen.coin(50) ? zoneKey(z) : nestedKey(a, {gen.coin(50) ? "*" : z});
      } else if (k.kind == ResourceKey::kAccount && k.nested() && gen.coin(50)) {
        std::string account = k.id == "*" ? a : k.id;
        std::vector<std::string> zones;
        for (const std::string& nz : k.zones) zones.push_back(nz == "*" && gen.coin(50) ? z : nz);
        k = nestedKey(account, zones);
      } else if (k.kind == ResourceKey::kAccount && !k.nested() && k.id == "*" && gen.coin(50)) {
        k = accountKey(a);
      }
    }
    out.push_back(std::move(q));
  }
  if (gen.coin(50)) out.emplace_back(gen.policy()).allow = false;
  return out;
}

std::vector<Policy> randomPolicies(Gen& gen, int max) {
  std::vector<Policy> out;
  int n = 1 + gen.upTo(max);
  for (int i = 0; i < n; ++i) out.push_back(gen.policy());
  return out;
}

TEST(CeilingRandom, EscalationsAreRefusedAndNarrowingsPass) {
  Gen gen(4242);
  int escalations = 0, self_escalations = 0, legit = 0, narrowings = 0;
  for (int i = 0; i < 3000; ++i) {
    std::vector<Policy> creator = randomPolicies(gen, 4);
    std::vector<Policy> requested;
    switch (i % 3) {
      case 0:  // an unrelated request
        requested = randomPolicies(gen, 3);
        break;
      case 1:  // the token updates itself with one more policy
        requested = creator;
        requested.push_back(gen.policy());
        break;
      default:  // a narrowing: must always be legitimate
        requested = narrow(gen, creator);
        ASSERT_FALSE(escalates(creator, requested))
            << "bad narrowing generator, case " << i << "\ncreator "
            << boost::json::serialize(policiesToJson(creator)) << "\nrequested "
            << boost::json::serialize(policiesToJson(requested));
        ++narrowings;
        break;
    }
    bool oracle = escalates(creator, requested);
    bool ok = passes(creator, requested);
    ASSERT_EQ(ok, !oracle) << "case " << i << "\ncreator "
                           << boost::json::serialize(policiesToJson(creator)) << "\nrequested "
                           << boost::json::serialize(policiesToJson(requested));
    if (oracle) {
      ++escalations;
      if (i % 3 == 1) ++self_escalations;
    } else {
      ++legit;
    }
  }
  EXPECT_GE(escalations, 50);
  EXPECT_GE(self_escalations, 50);
  EXPECT_GE(narrowings, 50);
  std::printf(
      "ceiling random: %d escalations refused (%d self-updates), %d legit passed (%d "
      "narrowings)\n",
      escalations, self_escalations, legit, narrowings);
}

}  // namespace
}  // namespace nubis::auth
