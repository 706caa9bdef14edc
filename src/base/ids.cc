#include "base/ids.h"

#include <cstdint>
#include <vector>

namespace nubis::ids {
namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr char kUrlSafe[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

std::string hex(Random& rng, size_t chars) {
  std::vector<uint8_t> b((chars + 1) / 2);
  rng.fill(b.data(), b.size());
  std::string out;
  out.reserve(chars);
  for (uint8_t x : b) {
    out.push_back(kHex[x >> 4]);
    out.push_back(kHex[x & 15]);
  }
  out.resize(chars);
  return out;
}

// Uniform choice from an alphabet by rejection sampling (no modulo bias).
std::string pick(Random& rng, std::string_view alphabet, size_t chars) {
  std::string out;
  out.reserve(chars);
  const unsigned limit = 256 - (256 % alphabet.size());
  while (out.size() < chars) {
    uint8_t buf[64];
    rng.fill(buf, sizeof buf);
    for (uint8_t x : buf) {
      if (x >= limit) continue;
      out.push_back(alphabet[x % alphabet.size()]);
      if (out.size() == chars) break;
    }
  }
  return out;
}

}  // namespace

std::string newId(Random& rng) { return hex(rng, 32); }

std::string newUuid(Random& rng) {
  std::string h = hex(rng, 32);
  h[12] = '4';
  h[16] = kHex[8 + (h[16] % 4)];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

std::string newTokenSecret(Random& rng) { return pick(rng, kUrlSafe, 40); }
std::string newGlobalKey(Random& rng) { return hex(rng, 37); }
std::string newAccountHash(Random& rng) { return pick(rng, kUrlSafe, 22); }
std::string newPassword(Random& rng) { return pick(rng, kAlnum, 24); }

bool isHex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

bool isId(std::string_view s) { return s.size() == 32 && isHex(s); }

}  // namespace nubis::ids
