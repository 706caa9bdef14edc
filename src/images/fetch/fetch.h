// Upload-by-URL (`POST /images/v1` with a `url` field): fetch the image bytes from an origin
// without letting a client use Nubis to reach what only Nubis can reach (SSRF, RELIABILITY.md
// R5, OWASP API7).
//
// The guard, in order, for the first URL and again for every redirect hop:
//  1. Parse strictly (url.h): http:// and https:// only (https: the origin's certificate must
//     chain to the system's CA store, /etc/ssl/certs, or to FetchPolicy::extra_ca_pem, and
//     name the host; TLS 1.2 at least);
//     no backslashes, no percent-encoded or zone-id hosts, no IPvFuture. Hosts written as
//     numbers the way browsers and inet_aton read them ("2130706433", "0177.0.0.1", "0x7f.1",
//     "127.1") are normalised to the address they mean, so the check sees 127.0.0.1.
//  2. Resolve names (Resolver, passed in), within the deadline. Literal addresses are not
//     resolved.
//  3. Check EVERY address with addressAllowed(); one denied address refuses the whole name (a
//     name that mixes public and private addresses is a rebinding trick, not an origin).
//  4. Connect only to the checked addresses; the name is never resolved a second time, so DNS
//     rebinding between check and connect is impossible.
// Redirects (301/302/303/307/308) go back to step 1, at most max_redirects times. The body is
// bounded while it is read (Content-Length first, then the bytes as they stream) and the whole
// call, resolution included, is bounded by `timeout`, so a slow-drip origin ends in kTimeout.
// `user:password@` in the URL is sent as Basic Authorization (Cloudflare documents it), and only
// to the origin of the URL that carried it, never across a redirect to another host.
//
// Thread-safety: fetchUrl blocks (DNS, sockets) and runs on a worker thread; calls are
// independent and may run concurrently. addressAllowed is pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "auth/cidr.h"

namespace nubis::images {

struct FetchPolicy {
  // --image-fetch-allow: private ranges opened explicitly (an allow entry wins over the deny
  // list, e.g. 10.0.0.0/8 for an origin on the LAN).
  std::vector<auth::Cidr> allow;
  // Largest body accepted (Cloudflare's upload cap).
  uint64_t max_bytes = 10 * 1024 * 1024;
  // The whole operation: resolution, every hop, every byte.
  std::chrono::milliseconds timeout{10000};
  int max_redirects = 3;
  // PEM certificates trusted for https:// besides the system store (--image-fetch-ca: a
  // private CA; the tests' own).
  std::string extra_ca_pem;
};

struct Fetched {
  std::string body;
  std::string content_type;  // as the origin sent it; may be empty
  std::string final_url;     // after redirects, without userinfo
};

struct FetchError {
  enum class Kind {
    kBadUrl,    // not a URL we fetch (scheme, syntax, host form)
    kBlocked,   // the destination is denied (before any connect)
    kNetwork,   // resolution, connect, or a broken HTTP exchange
    kStatus,    // the origin answered non-2xx, or redirected badly or too often
    kTooLarge,  // the body exceeds max_bytes
    kTimeout,   // the deadline passed
  } kind;
  std::string message;  // for the client: names the host or status, never the credentials
};

// Name resolution: the addresses of `host` (a lower-case DNS name, never a literal), empty
// when it does not resolve. Blocking; called on a helper thread so the deadline holds even when
// it hangs. Passed in so tests can make names resolve to hostile addresses.
using Resolver = std::function<std::vector<auth::IpAddress>(const std::string& host)>;

// getaddrinfo (AF_UNSPEC, AI_ADDRCONFIG); IPv4-mapped results are normalised to IPv4.
Resolver systemResolver();

// Blocking. http:// and https:// URLs.
std::variant<Fetched, FetchError> fetchUrl(std::string_view url, const FetchPolicy& policy);
std::variant<Fetched, FetchError> fetchUrl(std::string_view url, const FetchPolicy& policy,
                                           const Resolver& resolve);

// The address check alone: true when `a` lies in an `allow` range, or outside the deny list
// (loopback, private, link-local, CGNAT, documentation, benchmarking, multicast, reserved, and
// the IPv6 equivalents). IPv4 embedded in IPv6 (mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4
// 2002::/16) is checked as the IPv4 it carries. Exposed for tests and fuzzing.
bool addressAllowed(const auth::IpAddress& a, const FetchPolicy& policy);

}  // namespace nubis::images
