// Every route of the API, registered in one visible list (routes.cc), and the services behind
// them.
#pragma once

#include "api/router.h"
#include "auth/authenticator.h"
#include "auth/sessions.h"
#include "base/clock.h"
#include "base/random.h"
#include "dns/dns_service.h"
#include "identity/members.h"
#include "images/delivery.h"
#include "images/images_service.h"
#include "ssl/ssl_service.h"
#include "store/store.h"
#include "tokens/token_service.h"
#include "zones/zone_service.h"

namespace nubis::app {

struct Services {
  Services(store::Store& s, store::DnsStore& records, store::SslStore& packs, ssl::LocalCa& ca,
           auth::Authenticator& a, const Clock& c, Random& r, images::ImagesService& img,
           images::Delivery& d)
      : store(s),
        authn(a),
        clock(c),
        rng(r),
        tokens(s, a, c, r),
        members(s, a, c, r),
        zones(s, c, r),
        dns(s, records, c, r),
        ssl(packs, ca, c, r),
        images(img),
        delivery(d) {}
  store::Store& store;
  auth::Authenticator& authn;
  const Clock& clock;
  Random& rng;
  tokens::TokenService tokens;
  identity::MemberService members;
  // Dashboard sign-ins (in memory: a restart signs everyone out).
  auth::SessionStore sessions{authn.hasher(), rng};
  auth::LoginThrottle throttle;
  zones::ZoneService zones;
  dns::DnsService dns;
  ssl::SslService ssl;
  images::ImagesService& images;
  images::Delivery& delivery;
  // Development aid: the dashboard's files from this directory (Config::dashboard_dir).
  std::string dashboard_dir;
  // The public URL is https:// (a TLS proxy in front): session cookies are marked Secure.
  bool https = false;
};

void registerAllRoutes(api::Router& router, Services& services);

}  // namespace nubis::app
