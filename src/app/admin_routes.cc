#include "app/admin_routes.h"

#include "api/fields.h"
#include "api/pagination.h"
#include "app/user_admin.h"
#include "base/time_util.h"

namespace nubis::app {
namespace json = boost::json;
using api::Access;
using api::Context;
using api::Need;
using api::Reply;
using verb = http::bhttp::verb;


void registerAdminRoutes(api::Router& router, store::Store& store, auth::Authenticator& authn,
                         const Clock& clock, Random& rng) {
  router.add({verb::post, "/client/v4/nubis/users", Access::only(Access::Kind::kInstanceAdmin), 16 * 1024, false,
              [&store, &authn, &clock, &rng](Context& ctx) -> Result<Reply> {
                auto body = api::parseJsonObject(ctx.req.body(), false);
                if (!body) return body.error();
                api::FieldReader r(*body);
                r.rejectUnknown({"email", "password"});
                auto email = r.str("email", 90, Need::kRequired);
                auto password = r.str("password", 1024, Need::kOptional);
                if (!r.ok()) return r.error();
                auto made = createUserIn(store, authn.hasher(), *email, password.value_or(""),
                                         clock, rng);
                if (!made) return made.error();
                // The secrets appear here once; only their hashes are kept.
                return Reply::ok(json::object{{"id", made->id},
                                              {"email", made->email},
                                              {"password", made->password},
                                              {"global_api_key", made->global_api_key},
                                              {"api_token", made->api_token},
                                              {"api_token_id", made->api_token_id}});
              },
              "Create a user (Nubis admin API; instance admin's Global API Key only)"});

  router.add({verb::get, "/client/v4/nubis/users", Access::only(Access::Kind::kInstanceAdmin), 0, false,
              [&store](Context& ctx) -> Result<Reply> {
                auto page = api::parsePage(ctx.query, {5, 1000, 50});
                if (!page) return page.error();
                auto users = store.listUsers();
                if (!users) return users.error();
                json::array arr;
                for (const auto& u : api::pageSlice(*users, *page)) {
                  arr.push_back(json::object{{"id", u.id},
                                             {"email", u.email},
                                             {"created_on", timeutil::formatMicros(u.created_on)}});
                }
                Reply out = Reply::ok(std::move(arr));
                out.result_info = api::resultInfo(*page, out.result.as_array().size(), users->size());
                return out;
              },
              "List users (Nubis admin API; instance admin's Global API Key only)"});
}

}  // namespace nubis::app
