#include "api/envelope.h"

#include <boost/json/serialize.hpp>

namespace nubis::api {
namespace json = boost::json;

std::string successBody(const Reply& reply) {
  json::object o;
  o.reserve(5);
  o["result"] = reply.result;
  o["success"] = true;
  o["errors"] = json::array();
  o["messages"] = reply.messages;
  if (reply.result_info) o["result_info"] = *reply.result_info;
  else if (reply.null_result_info) o["result_info"] = nullptr;
  return json::serialize(o);
}

std::string errorBody(const ApiError& error) {
  json::array errors;
  json::object first{{"code", error.code}, {"message", error.message}};
  if (!error.chain.empty()) {
    json::array chain;
    for (const auto& c : error.chain) chain.push_back(json::object{{"code", c.code}, {"message", c.message}});
    first["error_chain"] = std::move(chain);
  }
  errors.push_back(std::move(first));
  for (const auto& m : error.more) errors.push_back(json::object{{"code", m.code}, {"message", m.message}});
  json::object o{{"result", nullptr}, {"success", false}, {"errors", std::move(errors)},
                 {"messages", json::array()}};
  return json::serialize(o);
}

}  // namespace nubis::api
