// FieldReader: typed reads of a JSON request object that remember the first problem, with a
// message naming the field, so handlers read top to bottom and check ok() once.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "base/api_error.h"
#include "base/result.h"

namespace nubis::api {

// Parses a body as one JSON object. An empty body is `{}` when allow_empty. Depth and size are
// bounded (the body limit is already enforced by the transport).
Result<boost::json::object> parseJsonObject(std::string_view body, bool allow_empty);

enum class Need { kOptional, kRequired };

class FieldReader {
 public:
  explicit FieldReader(const boost::json::object& obj, std::string path = "")
      : obj_(obj), path_(std::move(path)) {}

  // A string of at most max_len bytes; `null` counts as absent when nullable.
  std::optional<std::string> str(std::string_view key, size_t max_len, Need need,
                                 bool nullable = false);
  std::optional<bool> boolean(std::string_view key, Need need);
  std::optional<int64_t> integer(std::string_view key, int64_t min, int64_t max, Need need);
  // Present (even null)?
  bool has(std::string_view key) const { return obj_.contains(key); }
  bool isNull(std::string_view key) const;
  const boost::json::value* raw(std::string_view key) const { return obj_.if_contains(key); }
  // Fields outside `known` are refused with a message naming the first one.
  void rejectUnknown(std::initializer_list<std::string_view> known);
  // Records a custom problem (first one wins).
  void fail(ApiError e);

  bool ok() const { return !error_.has_value(); }
  const ApiError& error() const { return *error_; }
  std::string name(std::string_view key) const;

 private:
  const boost::json::value* need(std::string_view key, Need need);
  const boost::json::object& obj_;
  std::string path_;
  std::optional<ApiError> error_;
};

}  // namespace nubis::api
