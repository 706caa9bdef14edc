// The v2 list's query vocabulary (IMAGES.md A.4): `meta.<field>[<op>]=<value>` metadata filters
// and the opaque continuation token.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/query.h"
#include "base/result.h"
#include "store/image_store.h"

namespace nubis::images {

// Every `meta.` parameter of the query. Accepts Cloudflare's bracket form
// (`meta.region[in]=a|b`, `meta.n[gte:number]=3`) and the SDK's dotted form (`meta.region.in=a|b`;
// qs with allowDots), and a bare `meta.status=x` as eq. At most 5 filters, 5 levels, field names
// of [A-Za-z0-9_]{1,100}, at most 10 `in` values; anything else is a 5400 naming the problem.
Result<std::vector<store::ImageStore::MetaFilter>> parseMetaFilters(const api::Query& query);

std::string encodeContinuation(int64_t seq);
std::optional<int64_t> decodeContinuation(std::string_view token);

}  // namespace nubis::images
