// The strict URL parser behind fetchUrl (fetch.h): what a URL means before anything resolves or
// connects. Internal to images/fetch; exposed for its tests.
//
// RFC 3986 syntax through Boost.URL, then refusals where parsers disagree (the classic SSRF
// filter bypasses): backslashes (WHATWG reads them as '/', RFC 3986 refuses them), percent-
// encoded hosts, IPv6 zone ids, IPvFuture, controls and spaces. A host whose last label is a
// number is read as an IPv4 address the WHATWG way (1 to 4 parts, each decimal, 0-octal or
// 0x-hex, the last filling the remaining bytes), which is also how inet_aton and glibc's
// getaddrinfo read it, so "2130706433", "0x7f.1" and "0177.0.0.1" all become 127.0.0.1 here
// rather than in the resolver.
//
// Pure functions: safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "auth/cidr.h"
#include "images/fetch/fetch.h"

namespace nubis::images {

struct FetchTarget {
  // Lower-case DNS name without a trailing dot, or the canonical text of `address`.
  std::string host;
  // Set when the host is an address (literal or numeric form): it is not resolved.
  std::optional<auth::IpAddress> address;
  bool tls = false;  // https: the certificate is verified against host (http_get.h)
  uint16_t port = 80;
  // Origin-form request target: path and query, "/" when the URL has no path.
  std::string target;
  // "Basic <base64(user:password)>" from the userinfo (percent-decoded), or empty.
  std::string authorization;
  // The URL as fetched, without userinfo and fragment (reported as final_url; logs never see
  // the password).
  std::string url;
  // The Host header value: host, bracketed when IPv6, with ":port" unless the scheme's default
  // (80 for http, 443 for https).
  std::string hostHeader() const;
};

// A URL fetchUrl may follow; kBadUrl errors otherwise.
std::variant<FetchTarget, FetchError> parseFetchUrl(std::string_view url);

// A redirect's Location resolved against the URL that answered it, then parsed as above.
std::variant<FetchTarget, FetchError> resolveRedirect(const FetchTarget& from,
                                                      std::string_view location);

// The WHATWG IPv4 host parser. A host whose last label is not a number is a DNS name: nullopt
// with `malformed` false. A host ending in a number must be an address: nullopt with
// `malformed` true when it is not one ("1.2.3.4.5", "0x1g.1", "256.256.256.256").
std::optional<auth::IpAddress> parseNumericHost(std::string_view host, bool& malformed);

}  // namespace nubis::images
