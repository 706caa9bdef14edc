#include "images/options/signing.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cassert>
#include <charconv>
#include <stdexcept>

namespace nubis::images {
namespace {

using Mac = std::array<unsigned char, 32>;

Mac hmacSha256(std::string_view key, std::string_view message) {
  Mac mac{};
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(),
           &len) == nullptr ||
      len != mac.size()) {
    throw std::runtime_error("OpenSSL: HMAC-SHA-256 failed");
  }
  return mac;
}

std::string toHex(const Mac& mac) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(mac.size() * 2);
  for (unsigned char b : mac) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 15]);
  }
  return hex;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<Mac> fromHex(std::string_view hex) {
  Mac mac{};
  if (hex.size() != mac.size() * 2) return std::nullopt;
  for (size_t i = 0; i < mac.size(); ++i) {
    int hi = hexValue(hex[2 * i]), lo = hexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    mac[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return mac;
}

}  // namespace

std::string checkSignature(std::string_view path, std::string_view query,
                           const std::vector<std::string>& keys, int64_t now_s) {
  if (path.empty() || path.front() != '/') return "malformed path";
  std::optional<std::string_view> sig, exp;
  std::string signed_query;  // the query without its sig parameter, order and bytes kept
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view param = query.substr(start, end - start);
    start = end + 1;
    if (param.empty()) {
      if (query.empty()) break;
      return "malformed query (empty parameter)";
    }
    size_t eq = param.find('=');
    std::string_view name = param.substr(0, eq);
    std::string_view value =
        eq == std::string_view::npos ? std::string_view() : param.substr(eq + 1);
    if (name == "sig") {
      if (sig) return "sig is given more than once";
      if (eq == std::string_view::npos) return "sig has no value";
      sig = value;
      continue;  // the one parameter that is not signed
    }
    if (name == "exp") {
      if (exp) return "exp is given more than once";
      exp = value;
    }
    if (!signed_query.empty()) signed_query.push_back('&');
    signed_query.append(param);
  }
  if (!sig) return "missing sig (this image requires a signed URL)";
  std::optional<Mac> given = fromHex(*sig);
  if (!given) return "sig must be 64 hexadecimal characters";
  if (exp) {
    if (exp->empty() || exp->size() > 18) return "exp must be a Unix time in seconds";
    int64_t expires = 0;
    for (char c : *exp) {
      if (c < '0' || c > '9') return "exp must be a Unix time in seconds";
    }
    std::from_chars(exp->data(), exp->data() + exp->size(), expires);
    if (expires < now_s) return "the signed URL has expired";
  }
  std::string message(path);
  if (!signed_query.empty()) message.append("?").append(signed_query);
  // Every key, every time: the time taken does not depend on which key (if any) matches.
  bool match = false;
  for (const std::string& key : keys) {
    Mac expected = hmacSha256(key, message);
    bool equal = CRYPTO_memcmp(expected.data(), given->data(), expected.size()) == 0;
    match |= equal && !key.empty();
  }
  if (keys.empty()) return "no signing key";
  if (!match) return "the URL signature does not match";
  return "";
}

std::string signPath(std::string_view path, std::string_view key, std::optional<int64_t> exp) {
  assert(!exp || *exp >= 0);
  if (!exp) return "sig=" + toHex(hmacSha256(key, path));
  std::string exp_param = "exp=" + std::to_string(*exp);
  std::string message = std::string(path) + "?" + exp_param;
  return exp_param + "&sig=" + toHex(hmacSha256(key, message));
}

std::string makeSigningKey(const uint8_t* random32) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string key(32, '\0');
  for (size_t i = 0; i < key.size(); ++i) key[i] = kAlphabet[random32[i] & 63];
  return key;
}

}  // namespace nubis::images
