#include "api/errors.h"

#include <array>

namespace nubis::api {
namespace {

constexpr std::array kTable = {
#define NUBIS_ERR_ROW(name, status, code, msg) ErrorSpec{Err::name, status, code, msg},
    NUBIS_API_ERRORS(NUBIS_ERR_ROW)
#undef NUBIS_ERR_ROW
};

}  // namespace

const ErrorSpec& spec(Err e) { return kTable[static_cast<size_t>(e)]; }

ApiError error(Err e, std::string_view suffix) {
  const ErrorSpec& s = spec(e);
  ApiError out;
  out.http_status = s.http_status;
  out.code = s.code;
  out.message = std::string(s.message) + std::string(suffix);
  if (e == Err::ZoneExists) out.message = std::string(suffix) + std::string(s.message);
  return out;
}

ApiError invalid(std::string_view message) { return error(Err::Validation, message); }

ApiError noRoute(std::string_view path) {
  // Cloudflare names the path below its /client/v4 prefix ("Could not route to /zones/<id>").
  if (path.starts_with("/client/v4/")) path.remove_prefix(10);
  ApiError e = error(Err::CouldNotRoute, std::string(path) +
                                            ", perhaps your object identifier is invalid?");
  // Cloudflare lists both errors side by side.
  e.more.push_back({spec(Err::NoRoute).code, std::string(spec(Err::NoRoute).message)});
  return e;
}

}  // namespace nubis::api
