// Name resolution within the fetch deadline. Internal to images/fetch.
//
// getaddrinfo cannot be cancelled and may hang for resolv.conf's timeout times its attempts, so
// the Resolver runs on a short-lived helper thread and the caller waits only until the
// deadline; a late answer is dropped by the helper when it finally returns.
#pragma once

#include <chrono>
#include <string>
#include <variant>
#include <vector>

#include "auth/cidr.h"
#include "images/fetch/fetch.h"

namespace nubis::images {

// The addresses of `host`; kNetwork when it does not resolve, kTimeout past the deadline.
std::variant<std::vector<auth::IpAddress>, FetchError> resolveBefore(
    const Resolver& resolve, const std::string& host,
    std::chrono::steady_clock::time_point deadline);

}  // namespace nubis::images
