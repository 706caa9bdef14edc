// ZoneService: the rules of zones: create, list with Cloudflare's filters, get, edit (PATCH),
// the activation check, delete. DNS records arrive with the rest of the zones issue.
//
// Thread-safety: stateless apart from its references; safe from any worker thread.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "api/query.h"
#include "auth/principal.h"
#include "base/clock.h"
#include "base/random.h"
#include "base/result.h"
#include "store/store.h"

namespace nubis::zones {

class ZoneService {
 public:
  ZoneService(store::Store& store, const Clock& clock, Random& rng)
      : store_(store), clock_(clock), rng_(rng) {}

  Result<store::ZoneRow> create(const auth::Principal& actor, const boost::json::object& body);
  // Zones the actor holds any permission on, filtered and ordered as the query asks.
  Result<std::vector<store::ZoneRow>> list(const auth::Principal& actor, const api::Query& q,
                                           const std::string& order, bool desc);
  Result<std::optional<store::ZoneRow>> get(const std::string& id);
  Result<bool> remove(const std::string& id);
  // PATCH /zones/{id}: `paused` and `type` (full|partial). Fields Nubis cannot honour (a
  // secondary type, vanity name servers, plans) are refused by name, not ignored. nullopt when
  // the zone does not exist.
  Result<std::optional<store::ZoneRow>> edit(const std::string& id, const boost::json::object& body);
  // PUT /zones/{id}/activation_check: a pending zone becomes active now (Nubis cannot see where
  // the world's resolvers send the domain; the check is the user saying "delegated"). An active
  // zone stays as it is. nullopt when the zone does not exist.
  Result<std::optional<store::ZoneRow>> activationCheck(const std::string& id);

  boost::json::object toJson(const store::ZoneRow& z);

  static bool validZoneName(std::string_view name);

 private:
  store::Store& store_;
  const Clock& clock_;
  Random& rng_;
};

}  // namespace nubis::zones
