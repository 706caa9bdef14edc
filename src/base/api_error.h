// ApiError: an error with a public face (HTTP status, Cloudflare code, message a person can act
// on) and an internal detail that goes to the log only.
//
// The codes themselves are one table in api/errors.h; lower layers (store, auth) build ApiErrors
// through the helpers there or with the generic constructors below.
#pragma once

#include <string>
#include <vector>

namespace nubis {

struct ErrorItem {
  int code = 0;
  std::string message;
};

struct ApiError {
  int http_status = 500;
  int code = 0;
  std::string message;
  // Nested causes, rendered as `error_chain` (Cloudflare does this for header validation).
  std::vector<ErrorItem> chain;
  // Further errors listed beside this one in `errors` (e.g. 7003 followed by 7000).
  std::vector<ErrorItem> more;
  // Never sent to the client: logged with the request.
  std::string detail;

  ApiError withDetail(std::string d) && {
    detail = std::move(d);
    return std::move(*this);
  }

  static ApiError internal(std::string detail) {
    ApiError e;
    e.http_status = 500;
    e.code = 10001;
    e.message = "Internal server error";
    e.detail = std::move(detail);
    return e;
  }
};

}  // namespace nubis
