// Routes for /user/tokens* and /accounts/{account_id}/tokens*: parse -> service -> envelope.
#pragma once

#include "api/router.h"
#include "tokens/token_service.h"

namespace nubis::tokens {

void registerRoutes(api::Router& router, TokenService& service);

}  // namespace nubis::tokens
