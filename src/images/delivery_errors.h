// The delivery vocabulary (IMAGES.md A.13, "Delivery and transformation"): imagedelivery.net
// answers failures as a text body `ERROR <code>: <message>` with `Cf-Resized: err=<code>`, not as
// the v4 envelope. One table, like api/errors.h for the API.
#pragma once

#include <string>
#include <string_view>

namespace nubis::images {

// X(name, http status, code, message)
#define NUBIS_DELIVERY_ERRORS(X)                                                              \
  X(BadOptions, 400, 9401, "Invalid options: ")                                               \
  X(TooLarge, 403, 9413, "Image too large: ")                                                 \
  X(Unsupported, 415, 9412, "Unsupported image: ")                                            \
  X(AccessDenied, 403, 9425, "Image access denied: ")                                         \
  X(BadPath, 403, 9426, "Invalid delivery URL: ")                                             \
  X(WrongAccount, 403, 9427, "Image access denied: unknown account hash")                     \
  X(FlexibleOff, 403, 9429, "Flexible variants are not enabled for the account")              \
  X(NotFound, 404, 9431, "Not found")                                                         \
  X(MethodNotAllowed, 405, 9432, "Method not allowed")                                        \
  X(Encode, 500, 9516, "Could not encode the image: ")                                        \
  X(Internal, 500, 9523, "Internal error")                                                    \
  X(Busy, 503, 9529, "Too busy to process the image right now; retry shortly")

enum class DeliveryErr {
#define NUBIS_DELIVERY_ENUM(name, status, code, msg) name,
  NUBIS_DELIVERY_ERRORS(NUBIS_DELIVERY_ENUM)
#undef NUBIS_DELIVERY_ENUM
};

struct DeliveryErrorSpec {
  int http_status;
  int code;
  std::string_view message;
};

const DeliveryErrorSpec& spec(DeliveryErr e);

}  // namespace nubis::images
