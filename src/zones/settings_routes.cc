// /zones/{zone_id}/settings and /zones/{zone_id}/settings/{setting_id}: read and edit the basic
// zone settings (zones/zone_settings.h), guarded by Zone Settings Read/Write on the zone.
#include <map>

#include "api/errors.h"
#include "api/fields.h"
#include "api/zone_scope.h"
#include "auth/catalog.h"
#include "zones/zone_routes.h"
#include "zones/zone_settings.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace nubis::zones {
namespace json = boost::json;
using api::Access;
using api::Context;
using api::Reply;
using api::Scope;
using verb = http::bhttp::verb;
namespace g = auth::groups;

namespace {

constexpr uint64_t kBodyLimit = 16 * 1024;

// Every setting of the zone: what a client set, else the default.
Result<std::map<std::string, store::ZoneSettingRow, std::less<>>> stored(store::Store& st,
                                                                         const std::string& zone) {
  auto rows = st.listZoneSettings(zone);
  if (!rows) return rows.error();
  std::map<std::string, store::ZoneSettingRow, std::less<>> out;
  for (auto& r : *rows) out.emplace(r.id, std::move(r));
  return out;
}

json::object current(const ZoneSetting& s,
                     const std::map<std::string, store::ZoneSettingRow, std::less<>>& set) {
  auto it = set.find(s.id);
  if (it == set.end()) return settingJson(s, json::parse(s.default_json), std::nullopt);
  boost::system::error_code ec;
  json::value v = json::parse(it->second.value_json, ec);
  return settingJson(s, ec ? json::parse(s.default_json) : v, it->second.modified_on);
}

Result<const ZoneSetting*> known(std::string_view id) {
  const ZoneSetting* s = findZoneSetting(id);
  if (s == nullptr) return api::error(api::Err::ZoneSettingUnknown, id);
  return s;
}

}  // namespace

void registerSettingsRoutes(api::Router& router, store::Store& st, const Clock& clock) {
  const Access read = Access::groupsOn({g::kZoneSettingsRead, g::kZoneSettingsWrite}, Scope::kZone);
  const Access write = Access::groupsOn({g::kZoneSettingsWrite}, Scope::kZone);

  router.add({verb::get, "/client/v4/zones/{zone_id}/settings", read, 0, false,
              [&st](Context& ctx) -> Result<Reply> {
                return api::withZone(st, ctx, [&](const store::ZoneRow& z) -> Result<Reply> {
                  auto set = stored(st, z.id);
                  if (!set) return set.error();
                  json::array out;
                  for (const auto& s : allZoneSettings()) out.push_back(current(s, *set));
                  return Reply::ok(std::move(out));
                });
              },
              "Get all zone settings"});

  router.add({verb::patch, "/client/v4/zones/{zone_id}/settings", write, kBodyLimit, false,
              [&st, &clock](Context& ctx) -> Result<Reply> {
                auto body = api::parseJsonObject(ctx.req.body(), false);
                if (!body) return body.error();
                return api::withZone(st, ctx, [&](const store::ZoneRow& z) -> Result<Reply> {
                  const json::value* items = body->if_contains("items");
                  if (items == nullptr || !items->is_array() || items->as_array().empty())
                    return api::invalid("items is required: an array of {id, value}");
                  std::vector<store::ZoneSettingRow> rows;
                  std::vector<std::pair<const ZoneSetting*, json::value>> echo;
                  const int64_t now = clock.nowMicros();
                  for (const auto& item : items->as_array()) {
                    if (!item.is_object() || !item.as_object().contains("id") ||
                        !item.at("id").is_string())
                      return api::invalid("items[] must be objects {id, value}");
                    auto s = known(item.at("id").as_string());
                    if (!s) return s.error();
                    auto v = checkSettingValue(**s, item.as_object().if_contains("value"));
                    if (!v) return v.error();
                    rows.push_back({z.id, std::string((*s)->id), json::serialize(*v), now});
                    echo.emplace_back(*s, std::move(*v));
                  }
                  if (Status put = st.putZoneSettings(rows); !put) return put.error();
                  json::array out;
                  for (const auto& [s, v] : echo) out.push_back(settingJson(*s, v, now));
                  return Reply::ok(std::move(out));
                });
              },
              "Edit zone settings (several)"});

  router.add({verb::get, "/client/v4/zones/{zone_id}/settings/{setting_id}", read, 0, false,
              [&st](Context& ctx) -> Result<Reply> {
                return api::withZone(st, ctx, [&](const store::ZoneRow& z) -> Result<Reply> {
                  auto s = known(ctx.param("setting_id"));
                  if (!s) return s.error();
                  auto set = stored(st, z.id);
                  if (!set) return set.error();
                  return Reply::ok(current(**s, *set));
                });
              },
              "Get zone setting"});

  router.add({verb::patch, "/client/v4/zones/{zone_id}/settings/{setting_id}", write, kBodyLimit,
              false,
              [&st, &clock](Context& ctx) -> Result<Reply> {
                auto body = api::parseJsonObject(ctx.req.body(), false);
                if (!body) return body.error();
                return api::withZone(st, ctx, [&](const store::ZoneRow& z) -> Result<Reply> {
                  auto s = known(ctx.param("setting_id"));
                  if (!s) return s.error();
                  api::FieldReader r(*body);
                  r.rejectUnknown({"value", "id"});
                  if (!r.ok()) return r.error();
                  auto v = checkSettingValue(**s, body->if_contains("value"));
                  if (!v) return v.error();
                  const int64_t now = clock.nowMicros();
                  if (Status put = st.putZoneSettings({{z.id, std::string((*s)->id), json::serialize(*v), now}}); !put)
                    return put.error();
                  return Reply::ok(settingJson(**s, *v, now));
                });
              },
              "Edit zone setting"});
}

}  // namespace nubis::zones
