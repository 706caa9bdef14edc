// Query: the decoded query string of a request (Boost.URL does the percent-decoding).
// Keys keep their dotted form (`account.id`, `name.exact`) as the SDK sends them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nubis::api {

class Query {
 public:
  Query() = default;
  explicit Query(std::vector<std::pair<std::string, std::string>> items) : items_(std::move(items)) {}

  // First value for key, if any.
  std::optional<std::string_view> get(std::string_view key) const;
  std::vector<std::string_view> all(std::string_view key) const;
  bool has(std::string_view key) const { return get(key).has_value(); }
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// Splits a request target into its decoded path segments and query. Returns nullopt for a
// target that is not a valid origin-form URI.
struct ParsedTarget {
  std::string path;                   // as sent (still encoded), for messages
  std::vector<std::string> segments;  // percent-decoded
  Query query;
};
std::optional<ParsedTarget> parseTarget(std::string_view target);

}  // namespace nubis::api
