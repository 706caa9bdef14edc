#include "images/fetch/url.h"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <boost/url/url_view.hpp>
#include <vector>

namespace nubis::images {
namespace {

namespace urls = boost::urls;

// Longer URLs are not image origins; the cap also bounds everything below.
constexpr size_t kMaxUrl = 8192;

FetchError bad(std::string message) { return {FetchError::Kind::kBadUrl, std::move(message)}; }

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isHex(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
char lowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    out.push_back(
        s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

// WHATWG "IPv4 number": decimal, 0-prefixed octal, 0x-prefixed hex ("0x" alone is 0). Values
// past 32 bits are refused rather than wrapped.
std::optional<uint64_t> ipv4Number(std::string_view part) {
  if (part.empty()) return std::nullopt;
  uint64_t base = 10;
  if (part.size() >= 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
    base = 16;
    part.remove_prefix(2);
  } else if (part.size() >= 2 && part[0] == '0') {
    base = 8;
    part.remove_prefix(1);
  }
  uint64_t value = 0;
  for (char c : part) {
    uint64_t digit = 0;
    if (isDigit(c)) {
      digit = static_cast<uint64_t>(c - '0');
    } else if (base == 16 && isHex(c)) {
      digit = static_cast<uint64_t>(lowerAscii(c) - 'a' + 10);
    } else {
      return std::nullopt;
    }
    if (digit >= base) return std::nullopt;
    value = value * base + digit;
    if (value > 0xffffffffu) return std::nullopt;
  }
  return value;
}

// WHATWG "ends in a number": the last label is all digits, or 0x followed by hex digits.
bool endsInNumber(std::string_view host) {
  std::string_view last = host.substr(host.rfind('.') + 1);
  if (last.empty()) return false;
  if (std::all_of(last.begin(), last.end(), isDigit)) return true;
  return last.size() >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X') &&
         std::all_of(last.begin() + 2, last.end(), isHex);
}

// LDH labels of 1..63 bytes (underscore tolerated, it occurs in real names), 253 in all.
bool validDnsName(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  for (std::string_view label : split(host, '.')) {
    if (label.empty() || label.size() > 63) return false;
    for (char c : label) {
      if (!(isDigit(c) || (c >= 'a' && c <= 'z') || c == '-' || c == '_')) return false;
    }
  }
  return true;
}

std::string base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t n = static_cast<uint32_t>(static_cast<uint8_t>(in[i])) << 16;
    if (i + 1 < in.size()) n |= static_cast<uint32_t>(static_cast<uint8_t>(in[i + 1])) << 8;
    if (i + 2 < in.size()) n |= static_cast<uint8_t>(in[i + 2]);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back(i + 2 < in.size() ? kAlphabet[n & 63] : '=');
  }
  return out;
}

// Refusals that hold for a URL and for a Location alike, before any parser sees the text.
std::optional<FetchError> refuseText(std::string_view url) {
  if (url.size() > kMaxUrl) return bad("the URL is longer than 8192 bytes");
  if (url.find('\\') != std::string_view::npos) return bad("backslashes are not allowed in URLs");
  if (std::any_of(url.begin(), url.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u <= 0x20 || u == 0x7f;
      })) {
    return bad("the URL contains spaces or control characters");
  }
  if (std::any_of(url.begin(), url.end(),
                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    return bad("non-ASCII characters must be percent-encoded (hosts in punycode)");
  }
  // "[fe80::1%25eth0]": RFC 6874 zone ids name an interface of *this* host.
  size_t start = url.find("//");
  if (start != std::string_view::npos) {
    std::string_view authority = url.substr(start + 2);
    authority = authority.substr(0, authority.find_first_of("/?#"));
    size_t open = authority.find('[');
    if (open != std::string_view::npos &&
        authority.substr(open, authority.find(']', open) - open).find('%') !=
            std::string_view::npos) {
      return bad("IPv6 zone ids are not allowed");
    }
  }
  return std::nullopt;
}

// Boost.URL 1.81 reads "1.2.3.4.example.com" as the IPv4 host 1.2.3.4 followed by the path
// ".example.com" (boostorg/url#755; 1.82 throws instead). With an authority, RFC 3986 requires
// the path to be empty or start with '/', so a path that does not is that misreading: refuse,
// never guess (such names, nip.io style, are not fetchable).
bool authorityMisread(const urls::url_view_base& u) {
  return u.has_authority() && !u.encoded_path().empty() && u.encoded_path().front() != '/';
}

// The host of a parsed URL into `t` (name or address), or the reason it is refused.
std::optional<FetchError> readHost(const urls::url_view& u, FetchTarget& t) {
  switch (u.host_type()) {
    case urls::host_type::ipv4: {
      auto b = u.host_ipv4_address().to_bytes();
      auth::IpAddress a;
      std::copy(b.begin(), b.end(), a.bytes.begin());
      t.address = a;
      break;
    }
    case urls::host_type::ipv6: {
      auto b = u.host_ipv6_address().to_bytes();
      auth::IpAddress a;
      a.family = auth::IpAddress::kV6;
      std::copy(b.begin(), b.end(), a.bytes.begin());
      // Through the text form so ::ffff:a.b.c.d becomes the IPv4 it is.
      t.address = auth::parseIpAddress(auth::toString(a)).value_or(a);
      break;
    }
    case urls::host_type::name: {
      std::string_view enc = u.encoded_host();
      if (enc.find('%') != std::string_view::npos) {
        return bad("percent-encoded hosts are not allowed");
      }
      std::string host(enc);
      std::transform(host.begin(), host.end(), host.begin(), lowerAscii);
      if (!host.empty() && host.back() == '.') host.pop_back();
      bool malformed = false;
      t.address = parseNumericHost(host, malformed);
      if (malformed) return bad("the host is not a valid IPv4 address");
      if (!t.address) {
        if (!validDnsName(host)) return bad("the URL has no valid host name");
        t.host = std::move(host);
        return std::nullopt;
      }
      break;
    }
    case urls::host_type::ipvfuture:
      return bad("IPvFuture hosts are not supported");
    default:
      return bad("the URL has no host");
  }
  t.host = auth::toString(*t.address);
  return std::nullopt;
}

}  // namespace

std::optional<auth::IpAddress> parseNumericHost(std::string_view host, bool& malformed) {
  malformed = false;
  if (!endsInNumber(host)) return std::nullopt;
  malformed = true;
  std::vector<std::string_view> parts = split(host, '.');
  if (parts.size() > 4) return std::nullopt;
  std::vector<uint64_t> numbers;
  for (std::string_view p : parts) {
    std::optional<uint64_t> n = ipv4Number(p);
    if (!n) return std::nullopt;
    numbers.push_back(*n);
  }
  const size_t count = numbers.size();
  for (size_t i = 0; i + 1 < count; ++i) {
    if (numbers[i] > 255) return std::nullopt;
  }
  // The last number fills the bytes the others left: 1 part = 32 bits, 2 parts = 24, ...
  if (numbers.back() >= (uint64_t{1} << (8 * (5 - count)))) return std::nullopt;
  uint64_t value = numbers.back();
  for (size_t i = 0; i + 1 < count; ++i) value += numbers[i] << (8 * (3 - i));
  auth::IpAddress out;
  for (size_t i = 0; i < 4; ++i) out.bytes[i] = static_cast<uint8_t>(value >> (8 * (3 - i)));
  malformed = false;
  return out;
}

std::string FetchTarget::hostHeader() const {
  bool v6 = address && address->family == auth::IpAddress::kV6;
  std::string out = v6 ? "[" + host + "]" : host;
  if (port != (tls ? 443 : 80)) out += ":" + std::to_string(port);
  return out;
}

std::variant<FetchTarget, FetchError> parseFetchUrl(std::string_view text) {
  if (std::optional<FetchError> e = refuseText(text)) return *e;
  auto parsed = urls::parse_uri(text);
  if (!parsed) return bad("malformed URL");
  urls::url_view u = *parsed;
  if (u.scheme_id() != urls::scheme::http && u.scheme_id() != urls::scheme::https) {
    return bad("only http:// and https:// URLs can be fetched");
  }
  if (!u.has_authority()) return bad("the URL has no host");
  if (authorityMisread(u)) return bad("malformed URL");

  FetchTarget t;
  t.tls = u.scheme_id() == urls::scheme::https;
  t.port = t.tls ? 443 : 80;
  if (std::optional<FetchError> e = readHost(u, t)) return *e;
  if (u.has_port() && !u.port().empty()) {
    std::string_view p = u.port();
    if (p.size() > 5 || !std::all_of(p.begin(), p.end(), isDigit)) return bad("invalid port");
    unsigned long n = std::stoul(std::string(p));
    if (n == 0 || n > 65535) return bad("invalid port");
    t.port = static_cast<uint16_t>(n);
  }
  if (u.has_userinfo() && (!u.encoded_user().empty() || u.has_password())) {
    t.authorization = "Basic " + base64(u.user() + ":" + u.password());
  }
  t.target = u.encoded_path().empty() ? "/" : std::string(u.encoded_path());
  if (u.has_query()) t.target += "?" + std::string(u.encoded_query());
  t.url = (t.tls ? "https://" : "http://") + t.hostHeader() + t.target;
  return t;
}

std::variant<FetchTarget, FetchError> resolveRedirect(const FetchTarget& from,
                                                      std::string_view location) {
  if (std::optional<FetchError> e = refuseText(location)) return *e;
  auto ref = urls::parse_uri_reference(location);
  auto base = urls::parse_uri(from.url);
  if (!ref || !base || authorityMisread(*ref)) {
    return bad("the redirect Location is not a valid URL");
  }
  urls::url dest;
  if (!urls::resolve(*base, *ref, dest)) return bad("the redirect Location is not a valid URL");
  return parseFetchUrl(dest.buffer());
}

}  // namespace nubis::images
