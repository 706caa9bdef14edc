#include "zones/zone_settings.h"

#include <algorithm>
#include <cstdint>
#include <boost/json/parse.hpp>
#include <iterator>
#include <string>

#include "api/errors.h"
#include "base/time_util.h"

namespace nubis::zones {
namespace json = boost::json;

namespace {

// Values and defaults as Cloudflare documents them for a new zone (the SDK's setting types).
constexpr std::string_view kOnOff[] = {"on", "off"};
constexpr std::string_view kCacheLevel[] = {"aggressive", "basic", "simplified"};
constexpr std::string_view kMinTls[] = {"1.0", "1.1", "1.2", "1.3"};
constexpr std::string_view kSecurityLevel[] = {"off", "essentially_off", "low", "medium", "high",
                                               "under_attack"};
constexpr std::string_view kSsl[] = {"off", "flexible", "full", "strict"};
constexpr std::string_view kTls13[] = {"on", "off", "zrt"};

constexpr ZoneSetting kSettings[] = {
    {"0rtt", "\"off\"", kOnOff},
    {"always_online", "\"off\"", kOnOff},
    {"always_use_https", "\"off\"", kOnOff},
    {"automatic_https_rewrites", "\"on\"", kOnOff},
    {"brotli", "\"on\"", kOnOff},
    // Seconds; 0 = respect the origin's headers. Cloudflare takes a fixed list within this range.
    {"browser_cache_ttl", "14400", {}, 0, 31536000},
    {"browser_check", "\"on\"", kOnOff},
    {"cache_level", "\"aggressive\"", kCacheLevel},
    {"challenge_ttl", "1800", {}, 300, 31536000},
    {"email_obfuscation", "\"on\"", kOnOff},
    {"hotlink_protection", "\"off\"", kOnOff},
    {"http3", "\"on\"", kOnOff},
    {"ip_geolocation", "\"on\"", kOnOff},
    {"ipv6", "\"on\"", kOnOff},
    {"max_upload", "100", {}, 1, 500},
    {"min_tls_version", "\"1.0\"", kMinTls},
    {"opportunistic_encryption", "\"on\"", kOnOff},
    {"rocket_loader", "\"off\"", kOnOff},
    {"security_level", "\"medium\"", kSecurityLevel},
    {"server_side_exclude", "\"on\"", kOnOff},
    {"ssl", "\"full\"", kSsl},
    {"tls_1_3", "\"on\"", kTls13},
    {"websockets", "\"on\"", kOnOff},
};

std::string join(std::span<const std::string_view> values) {
  std::string out;
  for (auto v : values) out += (out.empty() ? "" : ", ") + std::string(v);
  return out;
}

}  // namespace

std::span<const ZoneSetting> allZoneSettings() { return kSettings; }

const ZoneSetting* findZoneSetting(std::string_view id) {
  const auto* it = std::find_if(std::begin(kSettings), std::end(kSettings),
                                [id](const ZoneSetting& s) { return s.id == id; });
  return it == std::end(kSettings) ? nullptr : it;
}

Result<json::value> checkSettingValue(const ZoneSetting& s, const json::value* v) {
  const std::string name(s.id);
  if (v == nullptr || v->is_null()) return api::invalid("value is required for " + name);
  if (!s.values.empty()) {
    if (v->is_string() &&
        std::find(s.values.begin(), s.values.end(), std::string_view(v->as_string())) !=
            s.values.end()) {
      return *v;
    }
    return api::invalid("Invalid value for zone setting " + name + ": must be one of " +
                        join(s.values));
  }
  if (v->is_int64() || v->is_uint64()) {
    const int64_t n =
        v->is_int64() ? v->as_int64() : static_cast<int64_t>(std::min<uint64_t>(v->as_uint64(), INT64_MAX));
    if (n >= s.min && n <= s.max) return json::value(n);
  }
  return api::invalid("Invalid value for zone setting " + name + ": must be a whole number from " +
                      std::to_string(s.min) + " to " + std::to_string(s.max));
}

json::object settingJson(const ZoneSetting& s, const json::value& value,
                         std::optional<int64_t> modified_on) {
  return json::object{{"id", s.id},
                      {"value", value},
                      {"editable", true},
                      {"modified_on", modified_on ? json::value(timeutil::formatMicros(*modified_on))
                                                  : json::value(nullptr)}};
}

}  // namespace nubis::zones
