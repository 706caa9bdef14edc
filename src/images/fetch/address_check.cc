// addressAllowed: the deny list of destinations an image fetch may never reach unless the
// operator opened them with --image-fetch-allow.
#include <algorithm>
#include <array>
#include <cstdlib>
#include <optional>
#include <vector>

#include "images/fetch/fetch.h"

namespace nubis::images {
namespace {

// IANA special-purpose registries (RFC 6890 and successors) minus what is globally reachable,
// plus multicast and broadcast. The rows marked "beyond R5" are not in the brief's list but hold
// nothing a public origin lives on.
constexpr std::array kDenied = {
    "0.0.0.0/8",        // "this network"; 0.0.0.0 reaches the local host on Linux
    "10.0.0.0/8",       // RFC 1918
    "100.64.0.0/10",    // CGNAT (RFC 6598)
    "127.0.0.0/8",      // loopback
    "169.254.0.0/16",   // link-local, cloud metadata (169.254.169.254)
    "172.16.0.0/12",    // RFC 1918
    "192.0.0.0/24",     // IETF protocol assignments
    "192.0.2.0/24",     // TEST-NET-1
    "192.168.0.0/16",   // RFC 1918
    "198.18.0.0/15",    // benchmarking
    "198.51.100.0/24",  // TEST-NET-2
    "203.0.113.0/24",   // TEST-NET-3
    "224.0.0.0/4",      // multicast
    "240.0.0.0/4",      // reserved, and 255.255.255.255 broadcast
    "::/128",           // unspecified
    "::1/128",          // loopback
    "::/96",            // beyond R5: IPv4-compatible (deprecated), ::127.0.0.1 and friends
    "64:ff9b:1::/48",   // beyond R5: local-use NAT64 (RFC 8215)
    "100::/64",         // discard-only
    "2001::/32",        // beyond R5: Teredo, the real peer is an obfuscated IPv4
    "2001:db8::/32",    // documentation
    "fc00::/7",         // unique local
    "fe80::/10",        // link-local
    "fec0::/10",        // beyond R5: site-local (deprecated, still routed inside some sites)
    "ff00::/8",         // multicast
};

const std::vector<auth::Cidr>& deniedRanges() {
  static const std::vector<auth::Cidr> ranges = [] {
    std::vector<auth::Cidr> out;
    for (const char* text : kDenied) {
      std::optional<auth::Cidr> c = auth::parseCidr(text);
      if (!c) std::abort();  // a typo in the table above: fail loudly, never fail open
      out.push_back(*c);
    }
    return out;
  }();
  return ranges;
}

auth::IpAddress v4(const uint8_t* b) {
  auth::IpAddress out;
  out.family = auth::IpAddress::kV4;
  std::copy(b, b + 4, out.bytes.begin());
  return out;
}

// ::ffff:a.b.c.d arrives as IPv6 bytes from sockets; parseIpAddress already maps the text form.
auth::IpAddress unmapped(const auth::IpAddress& a) {
  if (a.family != auth::IpAddress::kV6) return a;
  const auto& b = a.bytes;
  if (std::all_of(b.begin(), b.begin() + 10, [](uint8_t x) { return x == 0; }) && b[10] == 0xff &&
      b[11] == 0xff) {
    return v4(b.data() + 12);
  }
  return a;
}

// The IPv4 a translation prefix carries: NAT64 64:ff9b::/96 (last 32 bits) and 6to4 2002::/16
// (bits 16..47). Traffic to them ends up at that IPv4.
std::optional<auth::IpAddress> embeddedV4(const auth::IpAddress& a) {
  if (a.family != auth::IpAddress::kV6) return std::nullopt;
  const auto& b = a.bytes;
  static const std::array<uint8_t, 12> kNat64 = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::equal(kNat64.begin(), kNat64.end(), b.begin())) return v4(b.data() + 12);
  if (b[0] == 0x20 && b[1] == 0x02) return v4(b.data() + 2);
  return std::nullopt;
}

}  // namespace

bool addressAllowed(const auth::IpAddress& address, const FetchPolicy& policy) {
  const auth::IpAddress a = unmapped(address);
  for (const auth::Cidr& range : policy.allow) {
    if (auth::contains(range, a)) return true;
  }
  for (const auth::Cidr& range : deniedRanges()) {
    if (auth::contains(range, a)) return false;
  }
  if (std::optional<auth::IpAddress> inner = embeddedV4(a)) return addressAllowed(*inner, policy);
  return true;
}

}  // namespace nubis::images
