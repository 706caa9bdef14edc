// Builders for Cloudflare API v4 request bodies (token policies, resources, zones) and small
// helpers that drive a TestServer through common steps. Header-only.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <initializer_list>
#include <string>
#include <string_view>

#include "auth/catalog.h"
#include "base/time_util.h"
#include "test_server.h"

namespace nubis::testing {

namespace pg = nubis::auth::groups;  // real Cloudflare permission-group ids

inline std::string userRes(std::string_view id) { return "com.cloudflare.api.user." + std::string(id); }
inline std::string accountRes(std::string_view id) {
  return "com.cloudflare.api.account." + std::string(id);
}
inline std::string zoneRes(std::string_view id) {
  return "com.cloudflare.api.account.zone." + std::string(id);
}

// {"effect":"allow","permission_groups":[{"id":..}],"resources":{key:"*",...}}
inline boost::json::object policy(std::initializer_list<std::string_view> groups,
                                  std::initializer_list<std::string> resource_keys,
                                  bool allow = true) {
  boost::json::array gs;
  for (auto g : groups) gs.push_back(boost::json::object{{"id", g}});
  boost::json::object res;
  for (const auto& k : resource_keys) res[k] = "*";
  return boost::json::object{
      {"effect", allow ? "allow" : "deny"}, {"permission_groups", gs}, {"resources", res}};
}

inline boost::json::object tokenBody(std::string_view name,
                                     std::initializer_list<boost::json::object> policies) {
  boost::json::array ps;
  for (const auto& p : policies) ps.push_back(p);
  return boost::json::object{{"name", name}, {"policies", ps}};
}

// RFC 3339, whole seconds, "Z".
inline std::string rfc3339(int64_t micros) { return nubis::timeutil::formatSeconds(micros); }

inline std::string str(const boost::json::value& v, std::string_view key) {
  const auto* o = v.if_object();
  const auto* f = o ? o->if_contains(key) : nullptr;
  return f && f->is_string() ? std::string(f->get_string()) : std::string();
}

struct Created {
  std::string id, secret;
  Response res;
};

// POST <prefix> (e.g. "/user/tokens" or "/accounts/<id>/tokens") with `body`; on success fills
// id and the secret shown once.
inline Created createToken(TestServer& srv, std::string_view token, const boost::json::object& body,
                           std::string_view prefix = "/user/tokens") {
  Created c;
  c.res = srv.call("POST", prefix, token, body);
  if (c.res.status == 200) {
    c.id = str(c.res.result(), "id");
    c.secret = str(c.res.result(), "value");
  }
  return c;
}

// A token holding `groups` on all zones: the common "some token" of these tests.
inline Created createSimpleToken(TestServer& srv, std::string_view name) {
  return createToken(srv, srv.boot().api_token,
                     tokenBody(name, {policy({pg::kZoneRead}, {zoneRes("*")})}));
}

inline Response verify(TestServer& srv, std::string_view secret) {
  return srv.call("GET", "/user/tokens/verify", secret);
}

// POST /zones in the bootstrap account; returns the zone id ("" on failure).
inline std::string createZone(TestServer& srv, std::string_view name) {
  auto r = srv.call("POST", "/zones", srv.boot().api_token,
                    boost::json::object{{"name", name},
                                        {"account", boost::json::object{{"id", srv.boot().account_id}}}});
  EXPECT_EQ(r.status, 200u) << r.describe();
  return str(r.result(), "id");
}

}  // namespace nubis::testing
