#include "images/meta_filter.h"

#include <charconv>

#include "api/errors.h"

namespace nubis::images {
namespace {

using Op = store::ImageStore::MetaFilter::Op;
using Type = store::ImageStore::MetaFilter::Type;

ApiError bad(std::string message) { return api::error(api::Err::ImageBadRequest, message); }

bool validName(std::string_view s) {
  if (s.empty() || s.size() > 100) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

// "gte:number" -> (kGte, kNumber); nullopt when not an operator.
std::optional<std::pair<Op, Type>> parseOp(std::string_view text) {
  std::string_view name = text.substr(0, text.find(':'));
  std::string_view type = text.find(':') == std::string_view::npos ? "" : text.substr(text.find(':') + 1);
  Op op;
  if (name == "eq") op = Op::kEq;
  else if (name == "gt") op = Op::kGt;
  else if (name == "gte") op = Op::kGte;
  else if (name == "lt") op = Op::kLt;
  else if (name == "lte") op = Op::kLte;
  else if (name == "in") op = Op::kIn;
  else return std::nullopt;
  Type t = Type::kAny;
  if (type == "string") t = Type::kString;
  else if (type == "number") t = Type::kNumber;
  else if (type == "boolean") t = Type::kBoolean;
  else if (!type.empty()) return std::nullopt;
  // Range operators compare numbers; in takes strings or numbers; eq any of the three.
  bool range = op == Op::kGt || op == Op::kGte || op == Op::kLt || op == Op::kLte;
  if (range && t == Type::kAny) t = Type::kNumber;
  if (range && t != Type::kNumber) return std::nullopt;
  if (op == Op::kIn && t == Type::kBoolean) return std::nullopt;
  return std::make_pair(op, t);
}

bool isNumber(std::string_view v) {
  double d = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
  return ec == std::errc() && p == v.data() + v.size();
}

}  // namespace

Result<std::vector<store::ImageStore::MetaFilter>> parseMetaFilters(const api::Query& query) {
  std::vector<store::ImageStore::MetaFilter> out;
  for (const auto& [key, value] : query.items()) {
    if (!key.starts_with("meta.")) continue;
    std::string_view rest = std::string_view(key).substr(5);
    std::string_view op_text = "eq";
    if (size_t open = rest.find('['); open != std::string_view::npos) {
      if (rest.back() != ']') return bad("Malformed metadata filter: '" + key + "'");
      op_text = rest.substr(open + 1, rest.size() - open - 2);
      rest = rest.substr(0, open);
      if (!parseOp(op_text))
        return bad("Unsupported metadata filter operator: '" + std::string(op_text) + "'");
    }
    std::vector<std::string> path;
    size_t pos = 0;
    while (pos <= rest.size()) {
      size_t dot = rest.find('.', pos);
      if (dot == std::string_view::npos) dot = rest.size();
      path.emplace_back(rest.substr(pos, dot - pos));
      pos = dot + 1;
    }
    std::string op_copy(op_text);
    // Dotted form: a trailing operator name is the operator.
    if (key.find('[') == std::string::npos && path.size() > 1 && parseOp(path.back())) {
      op_copy = path.back();
      path.pop_back();
    }
    for (const auto& p : path)
      if (!validName(p))
        return bad("Invalid metadata field name: '" + p +
                   "' (letters, digits and _ only, at most 100 characters)");
    if (path.size() > 5) return bad("Metadata filters can nest at most 5 levels: '" + key + "'");
    auto op = parseOp(op_copy);
    store::ImageStore::MetaFilter f;
    f.path = std::move(path);
    f.op = op->first;
    f.type = op->second;
    if (f.op == Op::kIn) {
      size_t s = 0;
      while (s <= value.size()) {
        size_t bar = value.find('|', s);
        if (bar == std::string::npos) bar = value.size();
        f.values.push_back(value.substr(s, bar - s));
        s = bar + 1;
      }
      if (f.values.size() > 10)
        return bad("Too many values in an in filter: " + std::to_string(f.values.size()) +
                   " provided, maximum 10 allowed");
    } else {
      f.values.push_back(value);
    }
    for (const auto& v : f.values) {
      if (f.type == Type::kNumber && !isNumber(v))
        return bad("Metadata filter '" + key + "' needs a number, got '" + v + "'");
      if (f.type == Type::kBoolean && v != "true" && v != "false")
        return bad("Metadata filter '" + key + "' needs true or false, got '" + v + "'");
    }
    out.push_back(std::move(f));
  }
  if (out.size() > 5)
    return bad("Too many metadata filters: " + std::to_string(out.size()) +
               " provided, maximum 5 allowed");
  return out;
}

// Opaque to clients; carries the position in upload order. "c1." marks the format version.
std::string encodeContinuation(int64_t seq) { return "c1." + std::to_string(seq); }

std::optional<int64_t> decodeContinuation(std::string_view token) {
  if (!token.starts_with("c1.")) return std::nullopt;
  token.remove_prefix(3);
  int64_t seq = 0;
  auto [p, ec] = std::from_chars(token.data(), token.data() + token.size(), seq);
  if (ec != std::errc() || p != token.data() + token.size() || seq < 0) return std::nullopt;
  return seq;
}

}  // namespace nubis::images
