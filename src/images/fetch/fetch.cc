// fetchUrl: the hop loop. Every hop is parse -> addresses -> check -> connect to what was
// checked; redirects start the loop again with the Location.
#include "images/fetch/fetch.h"

#include "images/fetch/http_get.h"
#include "images/fetch/resolve.h"
#include "images/fetch/url.h"

namespace nubis::images {
namespace {

using Clock = std::chrono::steady_clock;

bool isRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// The addresses one hop may connect to, all of them checked; kBlocked when any is denied.
std::variant<std::vector<auth::IpAddress>, FetchError> checkedAddresses(
    const FetchTarget& target, const FetchPolicy& policy, const Resolver& resolve,
    Clock::time_point deadline) {
  if (target.address) {
    if (!addressAllowed(*target.address, policy)) {
      return FetchError{FetchError::Kind::kBlocked,
                        target.host +
                            " is a private or reserved address; image fetches may not "
                            "reach it"};
    }
    return std::vector<auth::IpAddress>{*target.address};
  }
  auto resolved = resolveBefore(resolve, target.host, deadline);
  if (auto* e = std::get_if<FetchError>(&resolved)) return std::move(*e);
  auto& addresses = std::get<std::vector<auth::IpAddress>>(resolved);
  for (const auth::IpAddress& a : addresses) {
    if (!addressAllowed(a, policy)) {
      // The address itself is not echoed: the client would learn our internal DNS.
      return FetchError{FetchError::Kind::kBlocked,
                        target.host +
                            " resolves to a private or reserved address; image "
                            "fetches may not reach it"};
    }
  }
  return std::move(addresses);
}

}  // namespace

std::variant<Fetched, FetchError> fetchUrl(std::string_view url, const FetchPolicy& policy) {
  return fetchUrl(url, policy, systemResolver());
}

std::variant<Fetched, FetchError> fetchUrl(std::string_view url, const FetchPolicy& policy,
                                           const Resolver& resolve) {
  const Clock::time_point deadline = Clock::now() + policy.timeout;
  auto parsed = parseFetchUrl(url);
  if (auto* e = std::get_if<FetchError>(&parsed)) return std::move(*e);
  FetchTarget target = std::get<FetchTarget>(std::move(parsed));

  for (int redirects = 0;; ++redirects) {
    auto addresses = checkedAddresses(target, policy, resolve, deadline);
    if (auto* e = std::get_if<FetchError>(&addresses)) return std::move(*e);
    auto hop = httpGet(target, std::get<std::vector<auth::IpAddress>>(addresses), policy,
                       deadline);
    if (auto* e = std::get_if<FetchError>(&hop)) return std::move(*e);
    HopResponse& response = std::get<HopResponse>(hop);
    const std::string status = std::to_string(response.status);

    if (isRedirect(response.status)) {
      if (redirects >= policy.max_redirects) {
        return FetchError{
            FetchError::Kind::kStatus,
            "too many redirects (more than " + std::to_string(policy.max_redirects) + ")"};
      }
      if (response.location.empty()) {
        return FetchError{FetchError::Kind::kStatus,
                          "the origin answered HTTP " + status + " without a Location"};
      }
      auto next = resolveRedirect(target, response.location);
      if (auto* e = std::get_if<FetchError>(&next)) {
        e->message = "redirect refused: " + e->message;
        return std::move(*e);
      }
      FetchTarget& to = std::get<FetchTarget>(next);
      // Credentials stay with the origin that was given them (as curl does).
      if (to.authorization.empty() && to.host == target.host && to.port == target.port &&
          to.tls == target.tls) {
        to.authorization = target.authorization;
      }
      target = std::move(to);
      continue;
    }
    if (response.status / 100 != 2) {
      return FetchError{FetchError::Kind::kStatus, "the origin answered HTTP " + status};
    }
    return Fetched{std::move(response.body), std::move(response.content_type),
                   std::move(target.url)};
  }
}

}  // namespace nubis::images
