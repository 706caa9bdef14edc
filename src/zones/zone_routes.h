// Routes for /zones and /zones/{zone_id}.
#pragma once

#include "api/router.h"
#include "zones/zone_service.h"

namespace nubis::zones {

void registerRoutes(api::Router& router, ZoneService& service);

}  // namespace nubis::zones
