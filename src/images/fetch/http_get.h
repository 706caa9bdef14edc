// One HTTP/1.1 GET exchange of a fetch: connect to already-checked addresses, TLS handshake for
// https (peer verified against the system CA store plus policy.extra_ca_pem, host name checked,
// SNI sent for names), send the request, read the response within the byte limit and the
// deadline. Internal to images/fetch; knows nothing about redirects or the deny list (fetch.cc
// decides those).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "auth/cidr.h"
#include "images/fetch/fetch.h"
#include "images/fetch/url.h"

namespace nubis::images {

struct HopResponse {
  int status = 0;
  std::string location;      // for 3xx
  std::string content_type;  // for 2xx
  std::string body;          // read for 2xx only
};

// Connects to the first of `addresses` (in order) that accepts, on target.port, and GETs
// target.target with Host target.hostHeader(). The body is read only for a 2xx answer and never
// beyond policy.max_bytes; every step ends at `deadline`.
std::variant<HopResponse, FetchError> httpGet(const FetchTarget& target,
                                              const std::vector<auth::IpAddress>& addresses,
                                              const FetchPolicy& policy,
                                              std::chrono::steady_clock::time_point deadline);

}  // namespace nubis::images
