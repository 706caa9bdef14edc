// The SQL for ImageStore::listImages: a WHERE clause built from an ImageQuery, with every value
// (creator, seq, meta paths and filter values) as a bound parameter and the SQL text chosen only
// from fixed fragments. Meta filters become json_type/json_extract conditions.
//
// Pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/result.h"
#include "store/image_store.h"

namespace nubis::store::sqlite {

// One bound parameter: NULL, an integer, a real or a text.
using SqlValue = std::variant<std::monostate, int64_t, double, std::string>;

struct ImageListSql {
  std::string sql;               // SELECT <columns> FROM images WHERE ... LIMIT ... OFFSET ...
  std::vector<SqlValue> params;  // params[i] binds ?(i+1)
};

// Refuses (ApiError::internal) a query the store will not run: a path name outside
// [A-Za-z0-9_]{1,100}, depth outside 1..5, more than 5 filters, a wrong number of values.
// q.limit must be > 0 (listImages answers an empty page itself).
Result<ImageListSql> buildImageListSql(const ImageStore::ImageQuery& q, std::string_view columns);

// The SQLite JSON path for validated names: {"a","b"} -> $."a"."b".
std::string jsonPath(const std::vector<std::string>& names);

// A filter value read as a JSON number: int64 when it is an integer that fits, else a finite
// double; NULL (matches nothing) when it is not a number.
SqlValue numberValue(std::string_view text);

}  // namespace nubis::store::sqlite
