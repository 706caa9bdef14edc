// Routes for /zones and /zones/{zone_id} (zone_routes.cc), and the zone settings
// (settings_routes.cc).
#pragma once

#include "api/router.h"
#include "base/clock.h"
#include "store/store.h"
#include "zones/zone_service.h"

namespace nubis::zones {

void registerRoutes(api::Router& router, ZoneService& service);
// /zones/{zone_id}/settings[/{setting_id}]: GET and PATCH.
void registerSettingsRoutes(api::Router& router, store::Store& store, const Clock& clock);

}  // namespace nubis::zones
