#include "api/query.h"

#include <boost/url/parse.hpp>

namespace nubis::api {

std::optional<std::string_view> Query::get(std::string_view key) const {
  for (const auto& [k, v] : items_)
    if (k == key) return std::string_view(v);
  return std::nullopt;
}

std::vector<std::string_view> Query::all(std::string_view key) const {
  std::vector<std::string_view> out;
  for (const auto& [k, v] : items_)
    if (k == key) out.push_back(v);
  return out;
}

std::optional<ParsedTarget> parseTarget(std::string_view target) {
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return std::nullopt;
  ParsedTarget out;
  out.path = std::string(parsed->encoded_path());
  for (auto seg : parsed->segments()) out.segments.emplace_back(seg);
  // A trailing slash yields an empty last segment: "/zones/" routes like "/zones".
  while (!out.segments.empty() && out.segments.back().empty()) out.segments.pop_back();
  std::vector<std::pair<std::string, std::string>> items;
  for (auto p : parsed->params()) items.emplace_back(p.key, p.has_value ? p.value : std::string());
  out.query = Query(std::move(items));
  return out;
}

}  // namespace nubis::api
