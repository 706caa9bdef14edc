#include "api/fields.h"

#include <cmath>

#include <boost/json/stream_parser.hpp>

#include "api/errors.h"

namespace nubis::api {
namespace json = boost::json;

Result<json::object> parseJsonObject(std::string_view body, bool allow_empty) {
  size_t first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    if (allow_empty) return json::object();
    return error(Err::MalformedJson, ": the body is empty; a JSON object is required");
  }
  json::parse_options opt;
  opt.max_depth = 32;
  json::stream_parser p(json::storage_ptr(), opt);
  boost::system::error_code ec;
  p.write(body.data(), body.size(), ec);
  if (!ec) p.finish(ec);
  if (ec) return error(Err::MalformedJson);
  json::value v = p.release();
  if (!v.is_object()) return error(Err::MalformedJson, ": the body must be a JSON object");
  return std::move(v.as_object());
}

std::string FieldReader::name(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void FieldReader::fail(ApiError e) {
  if (!error_) error_ = std::move(e);
}

bool FieldReader::isNull(std::string_view key) const {
  const json::value* v = obj_.if_contains(key);
  return v && v->is_null();
}

const json::value* FieldReader::need(std::string_view key, Need n) {
  const json::value* v = obj_.if_contains(key);
  if (!v && n == Need::kRequired) fail(invalid(name(key) + " is required"));
  return v;
}

std::optional<std::string> FieldReader::str(std::string_view key, size_t max_len, Need n,
                                            bool nullable) {
  const json::value* v = need(key, n);
  if (!v) return std::nullopt;
  if (v->is_null() && nullable) return std::nullopt;
  if (!v->is_string()) {
    fail(invalid(name(key) + " must be a string"));
    return std::nullopt;
  }
  const json::string& s = v->get_string();
  if (s.size() > max_len) {
    fail(invalid(name(key) + " must be at most " + std::to_string(max_len) + " characters"));
    return std::nullopt;
  }
  if (n == Need::kRequired && s.empty()) {
    fail(invalid(name(key) + " must not be empty"));
    return std::nullopt;
  }
  return std::string(s);
}

std::optional<bool> FieldReader::boolean(std::string_view key, Need n) {
  const json::value* v = need(key, n);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    fail(invalid(name(key) + " must be a boolean"));
    return std::nullopt;
  }
  return v->get_bool();
}

std::optional<int64_t> FieldReader::integer(std::string_view key, int64_t min, int64_t max,
                                            Need n) {
  const json::value* v = need(key, n);
  if (!v) return std::nullopt;
  int64_t out = 0;
  if (v->is_int64()) {
    out = v->get_int64();
  } else if (v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    out = static_cast<int64_t>(v->get_uint64());
  } else if (v->is_double() && std::abs(v->get_double()) < 0x1p63 &&
             v->get_double() == std::trunc(v->get_double())) {
    // Range first: casting a double outside int64 is undefined behaviour.
    out = static_cast<int64_t>(v->get_double());
  } else {
    fail(invalid(name(key) + " must be an integer"));
    return std::nullopt;
  }
  if (out < min || out > max) {
    fail(invalid(name(key) + " must be between " + std::to_string(min) + " and " +
                 std::to_string(max)));
    return std::nullopt;
  }
  return out;
}

void FieldReader::rejectUnknown(std::initializer_list<std::string_view> known) {
  for (const auto& kv : obj_) {
    bool found = false;
    for (auto k : known)
      if (kv.key() == k) found = true;
    if (!found) {
      fail(invalid(name(kv.key()) + " is not a known field"));
      return;
    }
  }
}

}  // namespace nubis::api
