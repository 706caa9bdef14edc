// Zone names as Cloudflare takes them on POST /zones: a registrable domain by the Public Suffix
// List (libpsl over the system's list, Debian's `publicsuffix`), never a public suffix itself
// nor a name under a registrable domain.
//
// Cloudflare's answers (developers.cloudflare.com/dns/zone-setups/troubleshooting/
// cannot-add-domain): a name it cannot place under a known suffix is 1099 "We were unable to
// identify <name> as a registered domain. Please ensure you are providing the root domain and
// not any subdomains (e.g., example.com, not subdomain.example.com)"; a subdomain is 1116
// "Please ensure you are providing the root domain and not any subdomains (...)" (also observed
// on POST /zones for app-test-01.sonicloud.app and ohi.shiftbloom.studio).
//
// Where Nubis differs, on purpose, for local use and its tests:
// - A TLD the list does not know (test, local, internal, a private one) follows the list's
//   default "*" rule: example.test and foo.local are zones, a.foo.local is a subdomain of
//   foo.local. Cloudflare would answer 1099 for those.
// Names under example.com are subdomains like any other (1116), as on Cloudflare: throwaway test
// zones are named like e2e-x-0a1b.com.
//
// Thread-safety: the list is loaded once (thread-safe static) and only read.
#pragma once

#include <string_view>

#include "base/result.h"

namespace nubis::zones {

// `name`: lower case, without the trailing dot, already of the schema's pattern. Ok, or 1099
// (a public suffix, or no list installed: 500) or 1116 (a subdomain).
Status registrableZoneName(std::string_view name);

}  // namespace nubis::zones
