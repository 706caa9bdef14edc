// Percent-decoding (RFC 3986 §2.1) for the places that read raw path segments themselves:
// delivery paths (custom image IDs with '/'), flexible-variant option values.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nubis {

// "%2F" -> "/"; nullopt for a '%' not followed by two hex digits. '+' stays '+'.
std::optional<std::string> percentDecode(std::string_view s);

}  // namespace nubis
