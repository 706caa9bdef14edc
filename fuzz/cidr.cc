// Fuzz target cidr (RELIABILITY.md R3): the address and CIDR parsers behind token IP conditions
// (src/auth/cidr.h). The input is "<cidr>\n<address>"; without a newline the whole input is
// tried as both. Beyond ASan/UBSan the target traps when:
//  - parseIpAddress(toString(a)) != a for a parsed address (canonical text must round-trip);
//  - an IPv4 address written IPv4-mapped ("::ffff:a.b.c.d") parses to something else;
//  - a parsed CIDR has a prefix beyond its family's width, does not contain its own network,
//    does not re-parse identically from its text, or contains() disagrees with a bit-by-bit
//    reference.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/cidr.h"

namespace {

namespace auth = nubis::auth;

void checkAddress(const std::optional<auth::IpAddress>& a) {
  if (!a) return;
  std::string text = auth::toString(*a);
  if (text.empty()) __builtin_trap();
  auto again = auth::parseIpAddress(text);
  if (!again || !(*again == *a)) __builtin_trap();
  if (a->family == auth::IpAddress::kV4) {
    for (size_t i = 4; i < a->bytes.size(); ++i) {
      if (a->bytes[i] != 0) __builtin_trap();
    }
    auto mapped = auth::parseIpAddress("::ffff:" + text);
    if (!mapped || !(*mapped == *a)) __builtin_trap();
  }
}

bool referenceContains(const auth::Cidr& c, const auth::IpAddress& a) {
  if (c.network.family != a.family) return false;
  for (int bit = 0; bit < c.prefix; ++bit) {
    int byte = bit / 8;
    int mask = 0x80 >> (bit % 8);
    if ((c.network.bytes[static_cast<size_t>(byte)] & mask) !=
        (a.bytes[static_cast<size_t>(byte)] & mask)) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view cidr_text = input;
  std::string_view addr_text = input;
  if (size_t nl = input.find('\n'); nl != std::string_view::npos) {
    cidr_text = input.substr(0, nl);
    addr_text = input.substr(nl + 1);
  }

  auto address = auth::parseIpAddress(addr_text);
  checkAddress(address);
  auto client = auth::parseClientAddress(addr_text);
  checkAddress(client);
  if (address && !client) __builtin_trap();  // the client form only adds "%scope"

  auto cidr = auth::parseCidr(cidr_text);
  if (!cidr) return 0;
  int width = cidr->network.family == auth::IpAddress::kV4 ? 32 : 128;
  if (cidr->prefix < 0 || cidr->prefix > width) __builtin_trap();
  if (cidr->text != cidr_text) __builtin_trap();
  if (!auth::contains(*cidr, cidr->network)) __builtin_trap();
  auto again = auth::parseCidr(cidr->text);
  if (!again || again->prefix != cidr->prefix || !(again->network == cidr->network)) {
    __builtin_trap();
  }
  for (const auto& a : {address, client}) {
    if (a && auth::contains(*cidr, *a) != referenceContains(*cidr, *a)) __builtin_trap();
  }
  return 0;
}
