// IP addresses and CIDR ranges for API-token IP conditions (`condition["request.ip"]`).
//
// Parsing is strict because a lenient parser in an allow/deny list is a bypass waiting to happen:
// no spaces, no leading zeros in IPv4 octets ("010.0.0.1" is octal to some libcs), no prefix
// lengths with leading zeros or beyond the family's width. IPv4-mapped IPv6 addresses
// ("::ffff:10.1.2.3") and mapped ranges ("::ffff:10.0.0.0/104") are normalised to IPv4 so that
// an IPv4 client reaching a dual-stack socket matches IPv4 rules; other IPv6 ranges never match
// an IPv4 address and IPv4 ranges never match a (non-mapped) IPv6 address.
//
// Plain values and pure functions: safe to use from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nubis::auth {

struct IpAddress {
  enum Family { kV4, kV6 };
  Family family = kV4;
  // Network byte order. IPv4 uses bytes[0..3]; the rest stays zero.
  std::array<std::uint8_t, 16> bytes{};

  bool operator==(const IpAddress&) const = default;
};

struct Cidr {
  IpAddress network;  // as written: host bits are kept here and ignored when matching
  int prefix = 0;     // 0..32 for IPv4, 0..128 for IPv6
  // The text the client sent, echoed back on output so tokens round-trip unchanged.
  std::string text;
};

// A literal address ("192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1" -> IPv4). No zone ids, no
// brackets, no surrounding spaces. nullopt when malformed.
std::optional<IpAddress> parseIpAddress(std::string_view text);

// "10.0.0.0/8", "2001:db8::/32", or a single address (= /32 or /128). nullopt when malformed.
// Host bits below the prefix are accepted ("10.1.2.3/8" is 10.0.0.0/8), as most CIDR parsers do.
std::optional<Cidr> parseCidr(std::string_view text);

// The peer address as Boost.Asio prints it ("127.0.0.1", "::1", "::ffff:127.0.0.1",
// "fe80::1%eth0"): like parseIpAddress, but a trailing "%scope" is dropped.
std::optional<IpAddress> parseClientAddress(std::string_view text);

// Whether `address` lies inside `range`. Families must agree (after mapped-IPv4 normalisation).
bool contains(const Cidr& range, const IpAddress& address);

// Canonical text: dotted quad for IPv4, inet_ntop form for IPv6.
std::string toString(const IpAddress& address);

}  // namespace nubis::auth
