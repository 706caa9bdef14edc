// Routes of /zones/{zone_id}/dns_records (API-SURFACE.md §4.7): DNS Read or Write on the zone
// to read, DNS Write to change.
#pragma once

#include "api/router.h"
#include "dns/dns_service.h"
#include "store/store.h"

namespace nubis::dns {

void registerRoutes(api::Router& router, DnsService& svc, store::Store& store);

}  // namespace nubis::dns
