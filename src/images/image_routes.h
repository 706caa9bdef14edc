// The Images API routes under /client/v4/accounts/{account_id}/images (API-SURFACE.md §4.9),
// guarded by "Cloudflare Images Read" / "Cloudflare Images Write" on the account.
#pragma once

#include "api/router.h"
#include "images/delivery.h"
#include "images/images_service.h"

namespace nubis::images {

// Also `/cdn-cgi/imagedelivery/<hash>/<id>/<variant>` (the custom-domain delivery form).
void registerRoutes(api::Router& router, ImagesService& svc, Delivery& delivery);

}  // namespace nubis::images
