// Zone settings (GET/PATCH /zones/{zone_id}/settings[/{setting_id}]): the basic settings of a
// zone that every plan has, from one table with each setting's default and accepted values.
// Nubis keeps what a client sets and answers it back (as Cloudflare's API does); it does not
// act on them (there is no edge to apply them to). A setting outside the table is refused with
// Cloudflare's "Unrecognized zone setting name" (1006), never silently accepted.
//
// Static data and pure functions: safe from any thread.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <span>
#include <string_view>

#include "base/result.h"

namespace nubis::zones {

struct ZoneSetting {
  std::string_view id;
  // The value a new zone has, as JSON text ("\"on\"", "14400").
  std::string_view default_json;
  // Accepted string values; empty for a numeric setting (then min..max).
  std::span<const std::string_view> values;
  int64_t min = 0, max = 0;
};

std::span<const ZoneSetting> allZoneSettings();
const ZoneSetting* findZoneSetting(std::string_view id);

// A client's value for `s`, checked; the error names the setting and what it accepts.
Result<boost::json::value> checkSettingValue(const ZoneSetting& s, const boost::json::value* v);

// {id, value, editable: true, modified_on: RFC 3339 | null}.
boost::json::object settingJson(const ZoneSetting& s, const boost::json::value& value,
                                std::optional<int64_t> modified_on);

}  // namespace nubis::zones
