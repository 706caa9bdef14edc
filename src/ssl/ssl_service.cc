#include "ssl/ssl_service.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/errors.h"
#include "api/fields.h"
#include "base/ids.h"
#include "base/text.h"
#include "base/time_util.h"

namespace nubis::ssl {
namespace json = boost::json;
using api::Err;

namespace {

constexpr int64_t kUniversalDays = 90;
constexpr size_t kMaxHosts = 50;

// A host of a pack: the zone, a name below it, or a wildcard one level below a name of the zone.
bool hostInZone(const std::string& host, const std::string& zone) {
  std::string_view h = host;
  if (h.starts_with("*.")) h.remove_prefix(2);
  if (h.empty() || h.size() > 253) return false;
  if (h != zone && !(h.size() > zone.size() && h.ends_with(zone) && h[h.size() - zone.size() - 1] == '.')) {
    return false;
  }
  size_t pos = 0;
  while (pos <= h.size()) {
    const size_t dot = h.find('.', pos);
    const std::string_view label = h.substr(pos, dot == std::string_view::npos ? std::string_view::npos : dot - pos);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  return true;
}

}  // namespace

Result<store::CertPackRow> SslService::issuePack(const store::ZoneRow& zone, std::string type,
                                                 std::vector<std::string> hosts,
                                                 int64_t validity_days,
                                                 std::string validation_method,
                                                 std::string ca_name, bool branding,
                                                 std::string status) {
  const int64_t now = clock_.nowMicros();
  auto issued = ca_.issue(hosts, static_cast<int>(validity_days), now);
  if (!issued) return issued.error();
  store::CertPackRow p;
  p.id = ids::newUuid(rng_);
  p.zone_id = zone.id;
  p.type = std::move(type);
  json::array hs;
  for (const std::string& h : hosts) hs.push_back(json::value(h));
  p.hosts_json = json::serialize(hs);
  p.status = std::move(status);
  p.validity_days = validity_days;
  p.validation_method = std::move(validation_method);
  p.certificate_authority = std::move(ca_name);
  p.cloudflare_branding = branding;
  p.primary_certificate = ids::newUuid(rng_);
  p.created_on = now;
  json::object cert{
      {"id", p.primary_certificate},
      {"hosts", hs},
      {"issuer", ca_.issuerName()},
      {"signature", issued->signature},
      {"status", p.status},
      {"bundle_method", "ubiquitous"},
      {"zone_id", zone.id},
      {"uploaded_on", timeutil::formatMicros(now)},
      {"modified_on", timeutil::formatMicros(now)},
      {"expires_on", timeutil::formatMicros(issued->not_after)},
      {"priority", nullptr},
      {"serial_number", issued->serial},
      {"pem", issued->pem},
  };
  p.certificates_json = json::serialize(json::array{cert});
  auto inserted = packs_.insertPack(p);
  if (!inserted) return inserted.error();
  if (!*inserted) return ApiError::internal("ssl: a fresh pack id was taken");
  return p;
}

Status SslService::ensureUniversal(const store::ZoneRow& zone) {
  std::lock_guard lock(mu_);
  auto packs = packs_.listPacks(zone.id);
  if (!packs) return packs.error();
  const std::string want = zone.status == "active" ? "active" : "pending_validation";
  for (store::CertPackRow& p : *packs) {
    if (p.type != "universal") continue;
    if (p.status == want) return Ok{};
    // The zone became active (or went back): the pack and its certificates follow.
    p.status = want;
    boost::system::error_code ec;
    json::value certs = json::parse(p.certificates_json, ec);
    if (!ec && certs.is_array()) {
      for (json::value& c : certs.as_array()) {
        if (c.is_object()) {
          c.as_object()["status"] = want;
          c.as_object()["modified_on"] = timeutil::formatMicros(clock_.nowMicros());
        }
      }
      p.certificates_json = json::serialize(certs);
    }
    auto updated = packs_.updatePack(p);
    if (!updated) return updated.error();
    return Ok{};
  }
  auto made = issuePack(zone, "universal", {"*." + zone.name, zone.name}, kUniversalDays, "txt",
                        "lets_encrypt", false, want);
  if (!made) return made.error();
  return Ok{};
}

Result<std::vector<store::CertPackRow>> SslService::list(const store::ZoneRow& zone, bool all) {
  if (Status st = ensureUniversal(zone); !st) return st.error();
  auto packs = packs_.listPacks(zone.id);
  if (!packs) return packs;
  if (all) return packs;
  std::vector<store::CertPackRow> active;
  for (auto& p : *packs) {
    if (p.status == "active") active.push_back(std::move(p));
  }
  return active;
}

Result<store::CertPackRow> SslService::get(const store::ZoneRow& zone, const std::string& id) {
  if (Status st = ensureUniversal(zone); !st) return st.error();
  auto p = packs_.getPack(zone.id, id);
  if (!p) return p.error();
  if (!*p) return api::error(Err::CertPackNotFound);
  return **p;
}

Result<store::CertPackRow> SslService::order(const store::ZoneRow& zone, const json::object& body) {
  api::FieldReader r(body);
  r.rejectUnknown({"type", "hosts", "validation_method", "validity_days", "certificate_authority",
                   "cloudflare_branding"});
  auto type = r.str("type", 16, api::Need::kRequired);
  auto method = r.str("validation_method", 16, api::Need::kRequired);
  auto days = r.integer("validity_days", 1, 365, api::Need::kRequired);
  auto authority = r.str("certificate_authority", 32, api::Need::kRequired);
  auto branding = r.boolean("cloudflare_branding", api::Need::kOptional);
  if (!r.ok()) return r.error();
  if (*type != "advanced") return api::invalid("type must be advanced (the only type that can be ordered)");
  if (*method != "txt" && *method != "http" && *method != "email") {
    return api::invalid("validation_method must be txt, http or email");
  }
  if (*days != 14 && *days != 30 && *days != 90 && *days != 365) {
    return api::invalid("validity_days must be 14, 30, 90 or 365");
  }
  if (*authority != "google" && *authority != "lets_encrypt" && *authority != "ssl_com") {
    return api::invalid("certificate_authority must be google, lets_encrypt or ssl_com");
  }
  const json::value* hv = r.raw("hosts");
  if (hv == nullptr || !hv->is_array() || hv->as_array().empty() ||
      hv->as_array().size() > kMaxHosts) {
    return api::invalid("hosts must be an array of 1 to " + std::to_string(kMaxHosts) + " host names");
  }
  std::vector<std::string> hosts;
  for (const json::value& h : hv->as_array()) {
    if (!h.is_string()) return api::invalid("hosts must be an array of host names");
    std::string host = text::asciiLower(h.as_string());
    if (!hostInZone(host, zone.name)) {
      return api::invalid("hosts: \"" + std::string(h.as_string()) + "\" is not a name of the zone " + zone.name);
    }
    if (std::find(hosts.begin(), hosts.end(), host) == hosts.end()) hosts.push_back(host);
  }
  return issuePack(zone, "advanced", hosts, *days, *method, *authority, branding.value_or(false),
                   "active");
}

Result<bool> SslService::remove(const store::ZoneRow& zone, const std::string& id) {
  auto p = packs_.getPack(zone.id, id);
  if (!p) return p.error();
  if (!*p) return api::error(Err::CertPackNotFound);
  if ((*p)->type == "universal") {
    return api::invalid("the universal certificate pack cannot be deleted; it belongs to the zone");
  }
  return packs_.deletePack(zone.id, id);
}

json::object SslService::toJson(const store::CertPackRow& p) const {
  boost::system::error_code ec;
  json::value hosts = json::parse(p.hosts_json, ec);
  if (ec) hosts = json::array();
  json::value certs = json::parse(p.certificates_json, ec);
  if (ec || !certs.is_array()) certs = json::array();
  for (json::value& c : certs.as_array()) {
    if (c.is_object()) {
      c.as_object().erase("pem");  // kept, not shown: Cloudflare's API does not show it either
      c.as_object().erase("serial_number");
    }
  }
  return json::object{
      {"id", p.id},
      {"type", p.type},
      {"hosts", hosts},
      {"primary_certificate", p.primary_certificate},
      {"status", p.status},
      {"certificates", certs},
      {"created_on", timeutil::formatMicros(p.created_on)},
      {"validity_days", p.validity_days},
      {"validation_method", p.validation_method},
      {"certificate_authority", p.certificate_authority},
      {"cloudflare_branding", p.cloudflare_branding},
  };
}

}  // namespace nubis::ssl
