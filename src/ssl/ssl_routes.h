// Routes of /zones/{zone_id}/ssl/certificate_packs (API-SURFACE.md §4.8): SSL and Certificates
// Read or Write on the zone to read, Write to order or delete.
#pragma once

#include "api/router.h"
#include "ssl/ssl_service.h"
#include "store/store.h"

namespace nubis::ssl {

void registerRoutes(api::Router& router, SslService& svc, store::Store& store);

}  // namespace nubis::ssl
