// Fuzz target json_body (RELIABILITY.md R3): a request body through parseJsonObject and the
// typed reads handlers do with FieldReader, shaped like token create/update
// (tokens/token_service.cc: name <= 120, status, RFC 3339 times, policies, condition) plus the
// integer/boolean reads other routes use (DNS ttl/priority/proxied, pagination) and a nested
// object read with a path (zone create's "account"). Seeds are real bodies.
//
// Beyond ASan/UBSan the target traps when a reader reports success for a value that breaks the
// bound it was asked to enforce.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "api/errors.h"
#include "api/fields.h"
#include "auth/policy.h"
#include "base/time_util.h"

namespace {

using nubis::api::FieldReader;
using nubis::api::Need;

std::string nextId() {
  static unsigned n = 0;
  char buf[33];
  std::snprintf(buf, sizeof buf, "%032x", ++n);
  return buf;
}

void readTime(FieldReader& r, std::string_view key) {
  auto s = r.str(key, 64, Need::kOptional, /*nullable=*/true);
  if (!r.ok() || !s) return;
  if (s->size() > 64) __builtin_trap();
  (void)nubis::timeutil::parse(*s);
}

void readInteger(FieldReader& r, std::string_view key, int64_t min, int64_t max) {
  if (auto v = r.integer(key, min, max, Need::kOptional)) {
    if (*v < min || *v > max) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  // Token create refuses an empty body, roll accepts one: try both.
  auto obj = nubis::api::parseJsonObject(body, size % 2 == 0);
  if (!obj) return 0;

  FieldReader r(*obj);
  r.rejectUnknown({"name", "policies", "condition", "not_before", "expires_on", "status", "id",
                   "issued_on", "modified_on", "last_used_on", "value", "ttl", "priority",
                   "proxied", "page", "per_page", "account", "type", "content", "comment"});
  if (auto name = r.str("name", 120, Need::kRequired)) {
    if (name->size() > 120 || name->empty()) __builtin_trap();
  }
  if (auto st = r.str("status", 16, Need::kOptional)) {
    if (*st != "active" && *st != "disabled")
      r.fail(nubis::api::invalid("status must be active or disabled"));
  }
  readTime(r, "not_before");
  readTime(r, "expires_on");
  readInteger(r, "ttl", 1, 86400);
  readInteger(r, "priority", 0, 65535);
  readInteger(r, "page", 1, INT64_MAX);
  readInteger(r, "per_page", 5, 50);
  (void)r.boolean("proxied", Need::kOptional);
  (void)r.str("type", 16, Need::kOptional);
  (void)r.str("content", 4096, Need::kOptional, /*nullable=*/true);
  if (r.has("account") && !r.isNull("account")) {
    if (const boost::json::value* acc = r.raw("account"); acc && acc->is_object()) {
      FieldReader ar(acc->as_object(), "account");
      ar.rejectUnknown({"id", "name"});
      (void)ar.str("id", 32, Need::kRequired);
      if (!ar.ok() && ar.error().message.empty()) __builtin_trap();
    }
  }
  if (!r.ok() && r.error().message.empty()) __builtin_trap();

  if (const boost::json::value* pol = obj->if_contains("policies")) {
    auto policies = nubis::auth::parsePolicies(*pol, nextId);
    if (policies && policies->empty()) __builtin_trap();
  }
  if (const boost::json::value* cond = obj->if_contains("condition")) {
    (void)nubis::auth::parseCondition(*cond);
  }
  return 0;
}
