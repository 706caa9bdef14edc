#include "images/fetch/resolve.h"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

namespace nubis::images {
namespace {

// The helper thread and the waiting caller share this; whoever leaves last frees it.
struct Pending {
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  std::vector<auth::IpAddress> addresses;
};

}  // namespace

Resolver systemResolver() {
  return [](const std::string& host) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG;
    addrinfo* list = nullptr;
    std::vector<auth::IpAddress> out;
    if (getaddrinfo(host.c_str(), nullptr, &hints, &list) != 0) return out;
    for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
      auth::IpAddress a;
      if (ai->ai_family == AF_INET) {
        sockaddr_in sin{};
        std::memcpy(&sin, ai->ai_addr, sizeof sin);
        std::memcpy(a.bytes.data(), &sin.sin_addr, 4);
      } else if (ai->ai_family == AF_INET6) {
        sockaddr_in6 sin6{};
        std::memcpy(&sin6, ai->ai_addr, sizeof sin6);
        a.family = auth::IpAddress::kV6;
        std::memcpy(a.bytes.data(), &sin6.sin6_addr, 16);
        // ::ffff:a.b.c.d is an IPv4 destination: check and connect to it as one.
        a = auth::parseIpAddress(auth::toString(a)).value_or(a);
      } else {
        continue;
      }
      if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
    }
    freeaddrinfo(list);
    return out;
  };
}

std::variant<std::vector<auth::IpAddress>, FetchError> resolveBefore(
    const Resolver& resolve, const std::string& host,
    std::chrono::steady_clock::time_point deadline) {
  auto pending = std::make_shared<Pending>();
  try {
    std::thread([pending, resolve, host] {
      std::vector<auth::IpAddress> found;
      try {
        found = resolve(host);
      } catch (...) {
        // A throwing resolver is a resolution failure, not a crash of the server.
      }
      std::lock_guard lock(pending->mutex);
      pending->addresses = std::move(found);
      pending->done = true;
      pending->done_cv.notify_all();
    }).detach();
  } catch (const std::system_error&) {
    return FetchError{FetchError::Kind::kNetwork, "could not resolve " + host + ": no thread"};
  }

  std::unique_lock lock(pending->mutex);
  if (!pending->done_cv.wait_until(lock, deadline, [&] { return pending->done; })) {
    return FetchError{FetchError::Kind::kTimeout, "resolving " + host + " timed out"};
  }
  if (pending->addresses.empty()) {
    return FetchError{FetchError::Kind::kNetwork, "could not resolve " + host};
  }
  return std::move(pending->addresses);
}

}  // namespace nubis::images
