// The zone of a zone-scoped route (`/zones/{zone_id}/...`): the handler runs with the zone's row,
// or the route answers Cloudflare's "could not route" when the zone does not exist. Shared by the
// DNS record and certificate pack routes.
#pragma once

#include <string>
#include <utility>

#include "api/context.h"
#include "api/envelope.h"
#include "api/errors.h"
#include "base/result.h"
#include "store/store.h"

namespace nubis::api {

template <class Fn>
Result<Reply> withZone(store::Store& store, Context& ctx, Fn&& fn) {
  auto zone = store.getZone(std::string(ctx.param("zone_id")));
  if (!zone) return zone.error();
  if (!*zone) return noRoute(ctx.path);
  return std::forward<Fn>(fn)(**zone);
}

}  // namespace nubis::api
