// The token IP condition: parsing, output JSON and the check itself.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <system_error>

#include "auth/json_util.h"
#include "auth/policy.h"

namespace nubis::auth {
namespace {

namespace json = boost::json;

constexpr std::string_view kDotKey = "request.ip";
constexpr std::string_view kUnderscoreKey = "request_ip";

Result<std::vector<Cidr>> parseCidrList(const json::value& v, const std::string& path) {
  const json::array* arr = v.if_array();
  if (arr == nullptr) return invalid(path + " must be an array of CIDR strings");
  if (arr->size() > kMaxCidrs) {
    return invalid(path + " must have at most " + std::to_string(kMaxCidrs) + " items");
  }
  std::vector<Cidr> out;
  out.reserve(arr->size());
  for (std::size_t i = 0; i < arr->size(); ++i) {
    std::string at = path + "[" + std::to_string(i) + "]";
    const json::string* s = (*arr)[i].if_string();
    if (s == nullptr) return invalid(at + " must be a string");
    std::string_view text(s->data(), s->size());
    std::optional<Cidr> cidr = parseCidr(text);
    if (!cidr) return invalid(at + " " + quoted(text) + " is not a valid CIDR");
    out.push_back(std::move(*cidr));
  }
  return out;
}

json::array cidrsToJson(const std::vector<Cidr>& cidrs) {
  json::array out;
  for (const Cidr& c : cidrs) out.emplace_back(c.text);
  return out;
}

bool anyContains(const std::vector<Cidr>& list, const IpAddress& client) {
  for (const Cidr& c : list) {
    if (contains(c, client)) return true;
  }
  return false;
}

}  // namespace

// Unknown keys are refused rather than ignored: a typo such as "request.IP" silently dropped
// would turn an IP-restricted token into an unrestricted one.
Result<std::optional<Condition>> parseCondition(const json::value& v) {
  if (v.is_null()) return std::optional<Condition>();
  const json::object* obj = v.if_object();
  if (obj == nullptr) return invalid("condition must be an object");
  for (const auto& kv : *obj) {
    if (kv.key() != kDotKey && kv.key() != kUnderscoreKey) {
      std::string_view key(kv.key().data(), kv.key().size());
      return invalid("condition has unknown key " + quoted(key));
    }
  }
  const json::value* dot = obj->if_contains(kDotKey);
  const json::value* underscore = obj->if_contains(kUnderscoreKey);
  if (dot != nullptr && underscore != nullptr) {
    return invalid("condition must not contain both \"request.ip\" and \"request_ip\"");
  }
  if (dot == nullptr && underscore == nullptr) return std::optional<Condition>();
  const json::value& ip = dot != nullptr ? *dot : *underscore;
  std::string path = "condition." + std::string(dot != nullptr ? kDotKey : kUnderscoreKey);
  const json::object* ip_obj = ip.if_object();
  if (ip_obj == nullptr) return invalid(path + " must be an object");

  Condition out;
  for (const auto& kv : *ip_obj) {
    std::string_view key(kv.key().data(), kv.key().size());
    if (key != "in" && key != "not_in") {
      return invalid(path + " has unknown key " + quoted(key));
    }
    Result<std::vector<Cidr>> list = parseCidrList(kv.value(), path + "." + std::string(key));
    if (!list) return std::move(list).error();
    (key == "in" ? out.in : out.not_in) = std::move(list).value();
  }
  return std::optional<Condition>(std::move(out));
}

json::object conditionToJson(const Condition& condition) {
  json::object ip;
  if (condition.in) ip["in"] = cidrsToJson(*condition.in);
  if (condition.not_in) ip["not_in"] = cidrsToJson(*condition.not_in);
  return json::object{{kDotKey, std::move(ip)}};
}

std::string storeCondition(const std::optional<Condition>& condition) {
  if (!condition) return "";
  return json::serialize(conditionToJson(*condition));
}

Result<std::optional<Condition>> loadCondition(std::string_view json_text) {
  if (json_text.empty()) return std::optional<Condition>();
  std::error_code ec;
  json::value v = json::parse(json::string_view(json_text.data(), json_text.size()), ec);
  if (ec) return ApiError::internal("stored condition is not JSON: " + ec.message());
  Result<std::optional<Condition>> parsed = parseCondition(v);
  if (!parsed) return ApiError::internal("stored condition invalid: " + parsed.error().message);
  return parsed;
}

// An `in` list that is empty does not restrict: it is what a client sends when it means "no
// allow-list", and a token usable from nowhere would be pointless. (Unconfirmed against
// Cloudflare; the Go SDK omits empty lists, so real traffic rarely carries one.)
bool ipAllowed(const std::optional<Condition>& condition, const IpAddress& client) {
  if (!condition) return true;
  if (condition->not_in && anyContains(*condition->not_in, client)) return false;
  if (condition->in && !condition->in->empty() && !anyContains(*condition->in, client)) {
    return false;
  }
  return true;
}

bool ipAllowed(const std::optional<Condition>& condition, std::string_view client_address) {
  std::optional<IpAddress> client = parseClientAddress(client_address);
  if (client) return ipAllowed(condition, *client);
  // Unknown origin: only a token that restricts nothing may be used.
  if (!condition) return true;
  bool restricts = (condition->in && !condition->in->empty()) ||
                   (condition->not_in && !condition->not_in->empty());
  return !restricts;
}

}  // namespace nubis::auth
