// SHA-256 as lowercase hex (OpenSSL EVP), and the check that a string is such a digest.
//
// Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace nubis::store {

// The 64 lowercase hex characters of SHA-256(bytes).
std::string sha256Hex(std::string_view bytes);

// True only for exactly 64 characters of [0-9a-f]: the one shape a content hash may have before
// it becomes part of a path.
bool isSha256Hex(std::string_view s);

}  // namespace nubis::store
