// RFC 3339 timestamps as Cloudflare writes them (UTC, "Z").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nubis::timeutil {

// "2018-07-01T05:20:00Z" (whole seconds: the token resources' format).
std::string formatSeconds(int64_t micros);
// "2014-01-01T05:20:00.123456Z" (zones, DNS records).
std::string formatMicros(int64_t micros);
// Parses "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)"; returns micros since epoch (UTC).
std::optional<int64_t> parse(std::string_view s);
// "Tue, 24 Nov 2026 10:00:00 GMT" for HTTP headers.
std::string formatHttpDate(int64_t micros);

}  // namespace nubis::timeutil
