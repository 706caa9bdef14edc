#include "auth/cidr.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstddef>

namespace nubis::auth {
namespace {

// Longest legal IPv6 text is 45 chars ("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"); the
// cap keeps hostile input away from inet_pton and out of the fixed buffer below.
constexpr std::size_t kMaxAddressText = 45;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

bool isHex(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Exactly four decimal octets, 0..255, no leading zeros (a leading zero means octal to
// inet_aton, so "010.0.0.1" is ambiguous and refused).
std::optional<IpAddress> parseV4(std::string_view text) {
  IpAddress out;
  out.family = IpAddress::kV4;
  std::size_t pos = 0;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (pos >= text.size() || text[pos] != '.') return std::nullopt;
      ++pos;
    }
    std::size_t start = pos;
    int value = 0;
    while (pos < text.size() && isDigit(text[pos]) && pos - start < 3) {
      value = value * 10 + (text[pos] - '0');
      ++pos;
    }
    std::size_t len = pos - start;
    if (len == 0 || value > 255 || (len > 1 && text[start] == '0')) return std::nullopt;
    out.bytes[static_cast<std::size_t>(octet)] = static_cast<std::uint8_t>(value);
  }
  if (pos != text.size()) return std::nullopt;
  return out;
}

// True when the IPv6 bytes are ::ffff:a.b.c.d.
bool isMappedV4(const std::array<std::uint8_t, 16>& b) {
  for (std::size_t i = 0; i < 10; ++i) {
    if (b[i] != 0) return false;
  }
  return b[10] == 0xff && b[11] == 0xff;
}

IpAddress unmap(const std::array<std::uint8_t, 16>& b) {
  IpAddress out;
  out.family = IpAddress::kV4;
  std::copy(b.begin() + 12, b.end(), out.bytes.begin());
  return out;
}

// inet_pton does the IPv6 grammar; we only pre-filter the alphabet and the length. Any embedded
// IPv4 tail must pass our stricter octet rules as well.
std::optional<IpAddress> parseV6(std::string_view text) {
  if (text.size() > kMaxAddressText) return std::nullopt;
  if (!std::all_of(text.begin(), text.end(),
                   [](char c) { return isHex(c) || c == ':' || c == '.'; })) {
    return std::nullopt;
  }
  std::size_t last_colon = text.rfind(':');
  if (last_colon == std::string_view::npos) return std::nullopt;
  std::string_view tail = text.substr(last_colon + 1);
  if (tail.find('.') != std::string_view::npos && !parseV4(tail)) return std::nullopt;

  char buf[kMaxAddressText + 1];
  std::copy(text.begin(), text.end(), buf);
  buf[text.size()] = '\0';
  IpAddress out;
  out.family = IpAddress::kV6;
  if (inet_pton(AF_INET6, buf, out.bytes.data()) != 1) return std::nullopt;
  if (isMappedV4(out.bytes)) return unmap(out.bytes);
  return out;
}

// Prefix length: 1-3 decimal digits, no leading zeros ("/08" refused), at most `max`.
std::optional<int> parsePrefix(std::string_view text, int max) {
  if (text.empty() || text.size() > 3) return std::nullopt;
  if (text.size() > 1 && text[0] == '0') return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (!isDigit(c)) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > max) return std::nullopt;
  return value;
}

bool prefixMatches(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b,
                   int prefix) {
  std::size_t full = static_cast<std::size_t>(prefix / 8);
  if (!std::equal(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(full), b.begin())) {
    return false;
  }
  int rest = prefix % 8;
  if (rest == 0) return true;
  auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (a[full] & mask) == (b[full] & mask);
}

}  // namespace

std::optional<IpAddress> parseIpAddress(std::string_view text) {
  if (text.empty() || text.size() > kMaxAddressText) return std::nullopt;
  if (text.find(':') != std::string_view::npos) return parseV6(text);
  return parseV4(text);
}

std::optional<Cidr> parseCidr(std::string_view text) {
  std::size_t slash = text.find('/');
  std::optional<IpAddress> address = parseIpAddress(text.substr(0, slash));
  if (!address) return std::nullopt;
  // A mapped range is written in IPv6 bits but matched as IPv4 (see header).
  bool written_v6 = text.substr(0, slash).find(':') != std::string_view::npos;
  int width = written_v6 ? 128 : 32;
  int prefix = width;
  if (slash != std::string_view::npos) {
    std::optional<int> parsed = parsePrefix(text.substr(slash + 1), width);
    if (!parsed) return std::nullopt;
    prefix = *parsed;
  }
  Cidr out;
  out.network = *address;
  out.prefix = prefix;
  if (written_v6 && address->family == IpAddress::kV4) {
    // ::ffff:a.b.c.d/n. Below /96 the range reaches outside the mapped block, so keep it as an
    // IPv6 range over the raw bytes (it then matches no IPv4 client, consistently).
    if (prefix >= 96) {
      out.prefix = prefix - 96;
    } else {
      out.network.family = IpAddress::kV6;
      std::array<std::uint8_t, 16> raw{};
      raw[10] = 0xff;
      raw[11] = 0xff;
      std::copy(address->bytes.begin(), address->bytes.begin() + 4, raw.begin() + 12);
      out.network.bytes = raw;
    }
  }
  out.text = std::string(text);
  return out;
}

std::optional<IpAddress> parseClientAddress(std::string_view text) {
  std::size_t percent = text.find('%');
  if (percent != std::string_view::npos) {
    // Zone ids exist only on IPv6 link-local addresses; anything else with '%' is garbage.
    if (text.find(':') == std::string_view::npos || percent + 1 == text.size()) {
      return std::nullopt;
    }
    text = text.substr(0, percent);
  }
  return parseIpAddress(text);
}

bool contains(const Cidr& range, const IpAddress& address) {
  if (range.network.family != address.family) return false;
  return prefixMatches(range.network.bytes, address.bytes, range.prefix);
}

std::string toString(const IpAddress& address) {
  char buf[INET6_ADDRSTRLEN] = {};
  int family = address.family == IpAddress::kV4 ? AF_INET : AF_INET6;
  if (inet_ntop(family, address.bytes.data(), buf, sizeof buf) == nullptr) return "";
  return buf;
}

}  // namespace nubis::auth
