#include "app/routes.h"

#include "app/admin_routes.h"
#include "dashboard/session_routes.h"
#include "dns/dns_routes.h"
#include "identity/identity_routes.h"
#include "images/image_routes.h"
#include "ssl/ssl_routes.h"
#include "tokens/token_routes.h"
#include "zones/zone_routes.h"

namespace nubis::app {

void registerAllRoutes(api::Router& router, Services& s) {
  // /user/tokens*, /accounts/{account_id}/tokens*
  tokens::registerRoutes(router, s.tokens);
  // /user, /accounts*, /memberships*
  identity::registerRoutes(router, identity::Deps{s.store, s.authn, s.clock, s.members});
  // /accounts/{account_id}/members*, /accounts/{account_id}/roles*, /user/invites*
  identity::registerMemberRoutes(router, identity::Deps{s.store, s.authn, s.clock, s.members});
  // /zones, /zones/{zone_id}
  zones::registerRoutes(router, s.zones);
  // /zones/{zone_id}/settings*
  zones::registerSettingsRoutes(router, s.store, s.clock);
  // /zones/{zone_id}/dns_records*
  dns::registerRoutes(router, s.dns, s.store);
  // /zones/{zone_id}/ssl/certificate_packs*
  ssl::registerRoutes(router, s.ssl, s.store);
  // /accounts/{account_id}/images/*, /cdn-cgi/imagedelivery/*
  images::registerRoutes(router, s.images, s.delivery);
  // /dashboard/api/session (sign-in, session, sign-out), /dashboard/api/global_api_key/roll
  dashboard::registerSessionRoutes(router,
                                   {s.store, s.sessions, s.throttle, s.clock, s.authn, s.rng, s.https});
  // / and /dashboard/assets/* (the dashboard's page)
  dashboard::registerAssetRoutes(
      router, {[&images = s.images] { return images.deliveryBase(); }, s.dashboard_dir});
  // /nubis/users (Nubis-only: the instance admin adds users)
  registerAdminRoutes(router, s.store, s.authn, s.clock, s.rng);
}

}  // namespace nubis::app
