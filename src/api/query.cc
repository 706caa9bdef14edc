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

namespace {

// Characters RFC 3986 does not allow unencoded in a query but that clients send anyway:
// Cloudflare's own docs write Images filters as `meta.status[eq]=a` and `[in]=a|b`, and
// browsers, fetch and `curl -g` send those bytes as they are.
bool lenientQueryChar(char c) {
  return c == '[' || c == ']' || c == '|' || c == '{' || c == '}' || c == '^' || c == '`' ||
         c == '"' || c == '<' || c == '>' || c == '\\';
}

// The target with those characters percent-encoded in its query; nullopt when there are none.
std::optional<std::string> encodeLenientQuery(std::string_view target) {
  size_t q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string out(target.substr(0, q + 1));
  bool changed = false;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char c : target.substr(q + 1)) {
    if (lenientQueryChar(c)) {
      out.push_back('%');
      out.push_back(kHex[static_cast<unsigned char>(c) >> 4]);
      out.push_back(kHex[static_cast<unsigned char>(c) & 15]);
      changed = true;
    } else {
      out.push_back(c);
    }
  }
  if (!changed) return std::nullopt;
  return out;
}

}  // namespace

std::optional<ParsedTarget> parseTarget(std::string_view target) {
  auto parsed = boost::urls::parse_origin_form(target);
  std::optional<std::string> lenient;
  if (!parsed && (lenient = encodeLenientQuery(target))) parsed = boost::urls::parse_origin_form(*lenient);
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
