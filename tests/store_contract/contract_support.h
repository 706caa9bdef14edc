// Helpers shared by the store contract test files: row builders with every column set, field
// tuples for whole-row comparison, and MUST() to unwrap a Result inside a test.
//
// Not thread-safe beyond what GoogleTest assertions are (they are safe from worker threads).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "base/result.h"
#include "store/rows.h"

namespace nubis::store::contract {

// The value of a Result, or a test failure naming the call and the store's error detail (and a
// default value, so the test can go on reporting).
template <class T>
T mustAt(Result<T> r, const char* expr, const char* file, int line) {
  if (!r.ok()) {
    ADD_FAILURE_AT(file, line) << expr << " failed: " << r.error().detail;
    return T{};
  }
  return std::move(r).value();
}
#define MUST(expr) ::nubis::store::contract::mustAt((expr), #expr, __FILE__, __LINE__)

// 32 lowercase hex, distinct per (kind, n) so ids of different tables never collide by accident.
inline std::string hexId(int kind, int n) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%08x%024x", static_cast<unsigned>(kind),
                static_cast<unsigned>(n));
  return buf;
}

constexpr int64_t kT0 = 1'700'000'000'000'000;  // 2023-11-14, in micros
constexpr int kUser = 1, kAccount = 2, kMembership = 3, kToken = 4, kZone = 5;

inline UserRow makeUser(int n) {
  UserRow u;
  u.id = hexId(kUser, n);
  u.email = "user" + std::to_string(n) + "@example.com";
  u.first_name = "First";
  u.last_name = "Last";
  u.telephone = "+1 555 0100";
  u.country = "US";
  u.zipcode = "94107";
  u.global_key_hash = "gk" + std::to_string(n);
  u.password_hash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA";
  u.created_on = kT0 + n;
  u.modified_on = kT0 + n + 1;
  return u;
}

inline AccountRow makeAccount(int n) {
  AccountRow a;
  a.id = hexId(kAccount, n);
  a.name = "Account " + std::to_string(n);
  a.hash = "hash_" + std::to_string(n) + "_abcdefghijklmn";
  a.type = "standard";
  a.settings_json = R"({"enforce_twofactor":false})";
  a.created_on = kT0 + n;
  return a;
}

inline MembershipRow makeMembership(int n, const std::string& user_id,
                                    const std::string& account_id) {
  MembershipRow m;
  m.id = hexId(kMembership, n);
  m.user_id = user_id;
  m.email = (user_id.empty() ? "invitee" + std::to_string(n) : user_id) + "@example.com";
  m.account_id = account_id;
  m.status = "accepted";
  m.roles_json = R"(["Administrator"])";
  m.created_on = kT0 + n;
  return m;
}

inline TokenRow makeToken(int n, const std::string& owner_kind, const std::string& owner_id) {
  TokenRow t;
  t.id = hexId(kToken, n);
  t.owner_kind = owner_kind;
  t.owner_id = owner_id;
  t.name = "token " + std::to_string(n);
  t.status = "active";
  t.issued_on = kT0 + n;
  t.modified_on = kT0 + n;
  t.last_used_on = kT0 + 100 + n;
  t.not_before = kT0;
  t.expires_on = kT0 + 1'000'000'000;
  t.policies_json = R"([{"effect":"allow","resources":{"com.cloudflare.api.account.*":"*"}}])";
  t.condition_json = R"({"request.ip":{"in":["192.0.2.0/24"]}})";
  t.secret_hash = "secret" + std::to_string(n);
  t.created_by = hexId(kUser, 1);
  return t;
}

inline ZoneRow makeZone(int n, const std::string& account_id, const std::string& name) {
  ZoneRow z;
  z.id = hexId(kZone, n);
  z.account_id = account_id;
  z.name = name;
  z.status = "active";
  z.type = "full";
  z.paused = true;
  z.development_mode = 7200;
  z.name_servers_json = R"(["ns1.nubis.local","ns2.nubis.local"])";
  z.activated_on = kT0 + 5;
  z.created_on = kT0 + n;
  z.modified_on = kT0 + n + 1;
  return z;
}

// Every field, so EXPECT_EQ(fields(a), fields(b)) compares whole rows and prints the difference.
inline auto fields(const UserRow& r) {
  return std::tie(r.id, r.email, r.first_name, r.last_name, r.telephone, r.country, r.zipcode,
                  r.global_key_hash, r.password_hash, r.created_on, r.modified_on);
}
inline auto fields(const AccountRow& r) {
  return std::tie(r.id, r.name, r.hash, r.type, r.settings_json, r.created_on);
}
inline auto fields(const MembershipRow& r) {
  return std::tie(r.id, r.user_id, r.email, r.account_id, r.status, r.roles_json, r.invited_by,
                  r.expires_on, r.created_on);
}
inline auto fields(const TokenRow& r) {
  return std::tie(r.id, r.owner_kind, r.owner_id, r.name, r.status, r.issued_on, r.modified_on,
                  r.last_used_on, r.not_before, r.expires_on, r.policies_json, r.condition_json,
                  r.secret_hash, r.created_by);
}
inline auto fields(const ZoneRow& r) {
  return std::tie(r.id, r.account_id, r.name, r.status, r.type, r.paused, r.development_mode,
                  r.name_servers_json, r.activated_on, r.created_on, r.modified_on);
}

// The ids of rows, in order, for comparing lists.
template <class Rows>
std::vector<std::string> idsOf(const Rows& rows) {
  std::vector<std::string> ids;
  for (const auto& r : rows) ids.push_back(r.id);
  return ids;
}

}  // namespace nubis::store::contract
