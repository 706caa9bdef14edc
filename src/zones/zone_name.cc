#include "zones/zone_name.h"

#include <libpsl.h>

#include <string>

#include "api/errors.h"

namespace nubis::zones {
namespace {

// The newer of libpsl's built-in list and the system's (/usr/share/publicsuffix), once.
const psl_ctx_t* suffixList() {
  static const psl_ctx_t* const list = psl_latest(nullptr);
  return list;
}

}  // namespace

Status registrableZoneName(std::string_view name) {
  const psl_ctx_t* list = suffixList();
  if (list == nullptr) {
    return ApiError::internal("zones: no public suffix list (install Debian's publicsuffix)");
  }
  const std::string n(name);
  const char* registrable = psl_registrable_domain(list, n.c_str());
  if (registrable == nullptr || psl_is_public_suffix2(list, n.c_str(), PSL_TYPE_ANY) != 0) {
    return api::error(api::Err::ZoneValidation,
                      "We were unable to identify " + n +
                          " as a registered domain. Please ensure you are providing the root "
                          "domain and not any subdomains (e.g., example.com, not "
                          "subdomain.example.com)");
  }
  if (std::string_view(registrable) == name) return Ok{};
  return api::error(api::Err::ZoneNotApex);
}

}  // namespace nubis::zones
