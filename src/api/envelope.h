// The v4 envelope: the only place a result or an ApiError becomes bytes on the wire.
//
//   {"result":…,"success":true,"errors":[],"messages":[…],"result_info":{…}}
//   {"result":null,"success":false,"errors":[{"code":N,"message":"…","error_chain":[…]}],
//    "messages":[]}
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/api_error.h"

namespace nubis::api {

struct Reply {
  unsigned status = 200;
  boost::json::value result;  // null by default
  std::optional<boost::json::object> result_info;
  // Emit `"result_info": null` when there is none (the Images API does; seeds 000/001).
  bool null_result_info = false;
  boost::json::array messages;
  // Non-envelope answers (health, metrics, openapi, image bytes): sent as-is when raw is true.
  bool raw = false;
  std::string raw_body;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;

  // A 200 envelope around `result`.
  static Reply ok(boost::json::value result) {
    Reply r;
    r.result = std::move(result);
    return r;
  }

  static Reply rawText(unsigned status, std::string body, std::string type) {
    Reply r;
    r.status = status;
    r.raw = true;
    r.raw_body = std::move(body);
    r.content_type = std::move(type);
    return r;
  }
};

std::string successBody(const Reply& reply);
std::string errorBody(const ApiError& error);

}  // namespace nubis::api
