// Signed delivery URLs (IMAGES.md A.7): the check, the signer and signing-key generation.
//
// What is signed is the delivery path as the client sent it (percent-encoding untouched),
// starting at "/<account_hash>/<image_id>/<variant>" -- the custom-domain prefix
// "/cdn-cgi/imagedelivery" removed -- followed by "?" and the query without its sig parameter,
// exactly as sent (order kept); or the path alone when sig is the only parameter (Cloudflare's
// "SHA-256 HMAC of the path" message, signatures without expiry). The MAC is HMAC-SHA-256
// keyed with the key string's UTF-8 bytes, sent as hex in `sig`.
//
// Choices where Cloudflare is silent:
//  - sig may sit anywhere in the query; any other parameter must be part of what was signed,
//    so an appended, removed, reordered or re-encoded parameter fails the check;
//  - sig's hex is accepted in either case (Cloudflare emits lowercase; the bytes are what
//    count, and no security rests on the letter case);
//  - exp is Unix seconds as 1..18 ASCII digits; it is valid while exp >= now (the boundary
//    second included, as elixir-image's clone does);
//  - a repeated sig or exp, an empty parameter ("a&&b") or a sig without "=": refused.
// Every key is tried, and each comparison takes the same time whatever the bytes, so neither
// the key that matched nor how much of a signature was right shows in the timing.
//
// Pure functions (OpenSSL's HMAC is thread-safe): safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nubis::images {

// The check of IMAGES.md A.7. `path` starts with "/<hash>/<id>/<variant>" (the
// /cdn-cgi/imagedelivery prefix already removed by the caller); `query` is the raw query
// string without '?'. Returns "" when valid, else the reason, used in
// "ERROR 9425: Image access denied: <reason>". Empty keys never match.
std::string checkSignature(std::string_view path, std::string_view query,
                           const std::vector<std::string>& keys, int64_t now_s);

// The query ("exp=<exp>&sig=<hex>", or "sig=<hex>" without exp) that signs `path` with `key`,
// as Cloudflare's reference code builds it. `exp` must not be negative.
std::string signPath(std::string_view path, std::string_view key, std::optional<int64_t> exp);

// A fresh signing-key value from 32 random bytes (the caller's Random): 32 characters of the
// URL-safe base64 alphabet, one per byte (byte & 63: each byte gives 6 uniform bits, 192 bits
// in all), shaped like Cloudflare's example key without its stray '='.
std::string makeSigningKey(const uint8_t* random32);

}  // namespace nubis::images
