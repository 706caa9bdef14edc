// Operations endpoints on the API port: /healthz, /readyz, /metrics, /openapi.json.
#pragma once

#include <functional>

#include "api/metrics.h"
#include "api/router.h"

namespace nubis::app {

void registerOpsRoutes(api::Router& router, api::Metrics& metrics,
                       std::function<bool()> ready);

// /openapi.json: exactly the operations the router serves under /client/v4, with each one's
// access rule (x-nubis-access) so outside tests can build the auth matrix from it.
std::string openApiDocument(const api::Router& router);

}  // namespace nubis::app
