// Request framing rules beyond Beast's parser (RFC 9112 §6). Pure, so the session and the fuzz
// targets (fuzz/http1_request.cc) apply exactly the same check.
#pragma once

#include "http/types.h"

namespace nubis::http {

// Why the request's body framing is refused (a request that could be read two ways is refused,
// never guessed at), or nullptr when it is acceptable. The text becomes the 400's reason.
const char* framingProblem(const RequestHeader& h);

}  // namespace nubis::http
