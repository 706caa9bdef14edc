#include "zones/zone_service.h"

#include <algorithm>
#include <boost/json/parse.hpp>

#include "api/authorize.h"
#include "api/errors.h"
#include "api/fields.h"
#include "auth/catalog.h"
#include "base/ids.h"
#include "base/time_util.h"
#include "zones/zone_name.h"

namespace nubis::zones {
namespace json = boost::json;
using api::Need;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Cloudflare's string filter grammar on zones: "[op:]value" with op one of equal, not_equal,
// contains, starts_with, ends_with, and *_case_sensitive variants (API-SURFACE §4.6).
Result<std::function<bool(std::string_view)>> stringFilter(std::string_view param,
                                                           std::string_view spec) {
  static constexpr std::string_view kOps[] = {"equal", "not_equal", "contains", "starts_with",
                                              "ends_with", "equal_case_sensitive",
                                              "not_equal_case_sensitive", "contains_case_sensitive",
                                              "starts_with_case_sensitive",
                                              "ends_with_case_sensitive"};
  std::string op = "equal";
  std::string value(spec);
  size_t colon = spec.find(':');
  if (colon != std::string_view::npos) {
    std::string_view maybe = spec.substr(0, colon);
    for (auto k : kOps)
      if (maybe == k) {
        op = std::string(k);
        value = std::string(spec.substr(colon + 1));
      }
  }
  bool cs = op.size() > 15 && op.ends_with("_case_sensitive");
  if (cs) op = op.substr(0, op.size() - 15);
  if (!cs) value = lower(value);
  return std::function<bool(std::string_view)>([op, value, cs](std::string_view field) {
    std::string f = cs ? std::string(field) : lower(field);
    if (op == "equal") return f == value;
    if (op == "not_equal") return f != value;
    if (op == "contains") return f.find(value) != std::string::npos;
    if (op == "starts_with") return f.starts_with(value);
    return f.ends_with(value);
  });
}

}  // namespace

bool ZoneService::validZoneName(std::string_view name) {
  // ^([a-zA-Z0-9][\-a-zA-Z0-9]*\.)+[\-a-zA-Z0-9]{2,20}$ (the schema's pattern), <= 253.
  if (name.empty() || name.size() > 253) return false;
  size_t labels = 0, pos = 0;
  while (true) {
    size_t dot = name.find('.', pos);
    std::string_view label = name.substr(pos, dot == std::string_view::npos ? dot : dot - pos);
    auto okc = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; };
    if (!std::all_of(label.begin(), label.end(), okc) || label.size() > 63) return false;
    if (dot == std::string_view::npos) {
      return labels >= 1 && label.size() >= 2 && label.size() <= 20;
    }
    if (label.empty() || label[0] == '-') return false;
    ++labels;
    pos = dot + 1;
  }
}

Result<store::ZoneRow> ZoneService::create(const auth::Principal& actor, const json::object& body) {
  api::FieldReader r(body);
  r.rejectUnknown({"name", "account", "type", "jump_start"});
  auto name = r.str("name", 253, Need::kRequired);
  auto type = r.str("type", 16, Need::kOptional);
  r.boolean("jump_start", Need::kOptional);
  if (!r.ok()) return r.error();
  const json::value* acc = body.if_contains("account");
  if (!acc) return api::invalid("account is required: {\"account\":{\"id\":\"<account id>\"}}");
  if (!acc->is_object()) return api::invalid("account must be an object with an id");
  api::FieldReader ar(acc->as_object(), "account");
  ar.rejectUnknown({"id", "name"});
  auto account_id = ar.str("id", 32, Need::kRequired);
  if (!ar.ok()) return ar.error();
  std::string zone_name = lower(*name);
  while (!zone_name.empty() && zone_name.back() == '.') zone_name.pop_back();
  if (!validZoneName(zone_name))
    return api::error(api::Err::ZoneValidation,
                      "name \"" + *name + "\" is not a valid domain name (e.g. example.com)");
  // A zone is a registrable domain, as on Cloudflare (zone_name.h). The name cannot change
  // afterwards: PATCH takes no name.
  if (Status apex = registrableZoneName(zone_name); !apex) return apex.error();
  std::string zone_type = type ? *type : "full";
  if (zone_type != "full" && zone_type != "partial" && zone_type != "secondary")
    return api::invalid("type must be full, partial or secondary");
  // Creating needs Zone Write or DNS Write over the account's zones as a whole (a zone
  // wildcard, directly or nested under the account): a grant on one zone cannot mint others.
  static const std::vector<std::string_view> kCreate = {auth::groups::kZoneWrite,
                                                        auth::groups::kDnsWrite};
  if (!ids::isId(*account_id) || !actor.reaches(*account_id) ||
      !api::allowed(actor, kCreate, auth::Target::zone(*account_id, "")))
    return api::error(api::Err::AuthenticationError);
  auto account = store_.getAccount(*account_id);
  if (!account) return account.error();
  if (!*account) return api::error(api::Err::AuthenticationError);

  const int64_t now = clock_.nowMicros();
  store::ZoneRow z;
  z.id = ids::newId(rng_);
  z.account_id = *account_id;
  z.name = zone_name;
  z.status = "pending";
  z.type = zone_type;
  z.name_servers_json = R"(["ada.ns.cloudflare.com","bob.ns.cloudflare.com"])";
  z.created_on = z.modified_on = now;
  auto inserted = store_.insertZone(z);
  if (!inserted) return inserted.error();
  if (!*inserted) return api::error(api::Err::ZoneExists, zone_name);
  return z;
}

Result<std::optional<store::ZoneRow>> ZoneService::edit(const std::string& id,
                                                       const json::object& body) {
  api::FieldReader r(body);
  r.rejectUnknown({"paused", "type", "plan", "vanity_name_servers"});
  auto paused = r.boolean("paused", Need::kOptional);
  auto type = r.str("type", 16, Need::kOptional);
  if (!r.ok()) return r.error();
  if (body.contains("plan")) {
    return api::invalid("plan: zone plans are not implemented by Nubis (every zone is on one "
                        "free-of-charge plan)");
  }
  if (body.contains("vanity_name_servers")) {
    return api::invalid("vanity_name_servers: vanity name servers are not implemented by Nubis");
  }
  if (type && *type != "full" && *type != "partial") {
    if (*type == "secondary") {
      return api::invalid("type: secondary zones (DNS transferred in from a primary) are not "
                          "implemented by Nubis");
    }
    return api::invalid("type must be full or partial");
  }
  auto z = store_.getZone(id);
  if (!z || !*z) return z;
  store::ZoneRow row = **z;
  if (paused) row.paused = *paused;
  if (type) row.type = *type;
  if (paused || type) {
    row.modified_on = clock_.nowMicros();
    auto updated = store_.updateZone(row);
    if (!updated) return updated.error();
    if (!*updated) return std::optional<store::ZoneRow>{};  // deleted meanwhile
  }
  return std::optional<store::ZoneRow>{std::move(row)};
}

Result<std::optional<store::ZoneRow>> ZoneService::activationCheck(const std::string& id) {
  auto z = store_.getZone(id);
  if (!z || !*z) return z;
  store::ZoneRow row = **z;
  if (row.status == "active") return std::optional<store::ZoneRow>{std::move(row)};
  const int64_t now = clock_.nowMicros();
  row.status = "active";
  row.activated_on = now;
  row.modified_on = now;
  auto updated = store_.updateZone(row);
  if (!updated) return updated.error();
  if (!*updated) return std::optional<store::ZoneRow>{};
  return std::optional<store::ZoneRow>{std::move(row)};
}

Result<std::vector<store::ZoneRow>> ZoneService::list(const auth::Principal& actor,
                                                      const api::Query& q,
                                                      const std::string& order, bool desc) {
  std::vector<std::function<bool(const store::ZoneRow&, const std::string&)>> filters;
  auto addString = [&](std::string_view param, auto field) -> Status {
    auto v = q.get(param);
    if (!v) return Ok{};
    auto f = stringFilter(param, *v);
    if (!f) return f.error();
    filters.push_back([fn = *f, field](const store::ZoneRow& z, const std::string& account_name) {
      return fn(field(z, account_name));
    });
    return Ok{};
  };
  if (Status s = addString("name", [](const store::ZoneRow& z, const std::string&) { return z.name; }); !s)
    return s.error();
  if (Status s = addString("account.name", [](const store::ZoneRow&, const std::string& n) { return n; }); !s)
    return s.error();
  if (auto v = q.get("account.id")) {
    std::string id(*v);
    filters.push_back([id](const store::ZoneRow& z, const std::string&) { return z.account_id == id; });
  }
  if (auto v = q.get("status")) {
    std::string s(*v);
    if (s != "initializing" && s != "pending" && s != "active" && s != "moved")
      return api::invalid("status must be initializing, pending, active or moved");
    filters.push_back([s](const store::ZoneRow& z, const std::string&) { return z.status == s; });
  }
  auto types = q.all("type");
  std::vector<std::string> type_list;
  for (auto t : types) {
    size_t pos = 0;
    std::string all(t);
    while (pos <= all.size()) {
      size_t c = all.find(',', pos);
      if (c == std::string::npos) c = all.size();
      std::string one = all.substr(pos, c - pos);
      if (one != "full" && one != "partial" && one != "secondary" && one != "internal")
        return api::invalid("type must be a list of full, partial, secondary, internal");
      type_list.push_back(one);
      pos = c + 1;
    }
  }
  if (!type_list.empty())
    filters.push_back([type_list](const store::ZoneRow& z, const std::string&) {
      return std::find(type_list.begin(), type_list.end(), z.type) != type_list.end();
    });
  bool match_any = false;
  if (auto m = q.get("match")) {
    if (*m != "any" && *m != "all") return api::invalid("match must be any or all");
    match_any = *m == "any";
  }

  auto all = store_.listZones(actor.account_ids);
  if (!all) return all.error();
  std::vector<std::pair<store::ZoneRow, std::string>> kept;
  for (auto& z : *all) {
    if (!api::allowed(actor, api::anyZoneGroup(), auth::Target::zone(z.account_id, z.id))) continue;
    auto acc = store_.getAccount(z.account_id);
    if (!acc) return acc.error();
    std::string account_name = *acc ? (*acc)->name : "";
    bool pass = !match_any || filters.empty();
    for (const auto& f : filters) {
      bool m = f(z, account_name);
      if (match_any && m) pass = true;
      if (!match_any && !m) pass = false;
    }
    if (pass) kept.emplace_back(std::move(z), std::move(account_name));
  }
  auto key = [&](const std::pair<store::ZoneRow, std::string>& e) -> std::string {
    if (order == "status") return e.first.status;
    if (order == "account.id") return e.first.account_id;
    if (order == "account.name") return e.second;
    return e.first.name;
  };
  std::stable_sort(kept.begin(), kept.end(),
                   [&](const auto& a, const auto& b) { return desc ? key(b) < key(a) : key(a) < key(b); });
  std::vector<store::ZoneRow> out;
  for (auto& e : kept) out.push_back(std::move(e.first));
  return out;
}

Result<std::optional<store::ZoneRow>> ZoneService::get(const std::string& id) {
  return store_.getZone(id);
}

Result<bool> ZoneService::remove(const std::string& id) { return store_.deleteZone(id); }

json::object ZoneService::toJson(const store::ZoneRow& z) {
  auto acc = store_.getAccount(z.account_id);
  std::string account_name = acc && *acc ? (*acc)->name : "";
  boost::system::error_code ec;
  json::value ns = json::parse(z.name_servers_json, ec);
  if (ec) ns = json::array();
  return json::object{
      {"id", z.id},
      {"name", z.name},
      {"status", z.status},
      {"paused", z.paused},
      {"type", z.type},
      {"development_mode", z.development_mode},
      {"name_servers", ns},
      {"original_name_servers", nullptr},
      {"original_registrar", nullptr},
      {"original_dnshost", nullptr},
      {"vanity_name_servers", json::array()},
      {"modified_on", timeutil::formatMicros(z.modified_on)},
      {"created_on", timeutil::formatMicros(z.created_on)},
      {"activated_on", z.activated_on ? json::value(timeutil::formatMicros(*z.activated_on))
                                      : json::value(nullptr)},
      {"meta", json::object{{"step", 2},
                            {"custom_certificate_quota", 0},
                            {"page_rule_quota", 3},
                            {"phishing_detected", false},
                            {"cdn_only", false},
                            {"dns_only", false},
                            {"foundation_dns", false}}},
      {"owner", json::object{{"id", nullptr}, {"type", "user"}, {"email", nullptr}}},
      {"account", json::object{{"id", z.account_id}, {"name", account_name}}},
      {"tenant", json::object{{"id", nullptr}, {"name", nullptr}}},
      {"tenant_unit", json::object{{"id", nullptr}}},
      {"permissions", json::array{"#zone:read", "#zone:edit", "#dns_records:read",
                                  "#dns_records:edit", "#ssl:read"}},
      {"plan", json::object{{"id", "0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee"},
                            {"name", "Free Website"},
                            {"price", 0},
                            {"currency", "USD"},
                            {"frequency", ""},
                            {"is_subscribed", false},
                            {"can_subscribe", false},
                            {"legacy_id", "free"},
                            {"legacy_discount", false},
                            {"externally_managed", false}}}};
}

}  // namespace nubis::zones
