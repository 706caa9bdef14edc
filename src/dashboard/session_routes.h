// The dashboard's sign-in (issue 6): /dashboard/api/session. POST signs in with the e-mail and
// password (argon2id) and sets the session cookie (HttpOnly, SameSite=Strict, Path=/); GET reads
// the signed-in user and the session's CSRF token (for a reloaded page); DELETE signs out (the
// CSRF token required). Once signed in, the dashboard acts only through the public v4 API with
// that cookie, as the user itself (api::SessionCookie in the dispatcher): it never reads the
// store on its own. Failed sign-ins are throttled per e-mail and per address (auth/sessions.h).
//
// POST /dashboard/api/global_api_key/roll {"password"} is the one thing the dashboard does that
// the v4 API has no endpoint for (My Profile → API Tokens → Global API Key): with the session,
// its CSRF token and the password typed again, the user's Global API Key is replaced and the new
// key is answered once. Nubis keeps only a keyed hash of the key, so it cannot be shown again
// later, only rolled; the old key stops working at once.
#pragma once

#include <functional>
#include <string>

#include "api/router.h"
#include "auth/authenticator.h"
#include "auth/sessions.h"
#include "base/random.h"
#include "base/clock.h"
#include "store/store.h"

namespace nubis::dashboard {

struct SessionDeps {
  store::Store& store;
  auth::SessionStore& sessions;
  auth::LoginThrottle& throttle;
  const Clock& clock;
  auth::Authenticator& authn;
  Random& rng;
  // The dashboard is served over TLS (the public URL is https://): the cookie gets Secure.
  bool secure_cookie = false;
};

void registerSessionRoutes(api::Router& router, SessionDeps deps);
struct AssetDeps {
  // The image delivery base ("http://127.0.0.1:8701"): the page shows images from there, so its
  // origin is the one outside origin the CSP lets images come from. Read per request (the
  // delivery listener is bound after the routes are registered).
  std::function<std::string()> delivery_base;
  // Non-empty: read the files from this directory on each request (`--dashboard-dir`, for
  // working on the page without rebuilding); empty: the copies embedded in the binary.
  std::string dev_dir;
};

// GET / and GET /dashboard/assets/{name}: the page (asset_routes.cc).
void registerAssetRoutes(api::Router& router, AssetDeps deps);

}  // namespace nubis::dashboard
