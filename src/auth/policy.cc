// Policies: parsing/validation and output JSON. The IP condition lives in condition.cc.
#include "auth/policy.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <system_error>

#include "auth/catalog.h"
#include "auth/json_util.h"

namespace nubis::auth {
namespace {

namespace json = boost::json;

constexpr std::string_view kUserPrefix = "com.cloudflare.api.user.";
constexpr std::string_view kAccountPrefix = "com.cloudflare.api.account.";
constexpr std::string_view kZonePrefix = "com.cloudflare.api.account.zone.";

// Parses one key of a resources object (or of a nested zone map). A user key must name a user:
// `com.cloudflare.api.user.*` is refused because only the token's owner can be referenced
// (API-SURFACE §3.2), so a wildcard would only hide which user was meant.
std::optional<ResourceKey> parseResourceKey(std::string_view key) {
  ResourceKey out;
  std::string_view id;
  if (key.starts_with(kZonePrefix)) {
    out.kind = ResourceKey::kZone;
    id = key.substr(kZonePrefix.size());
  } else if (key.starts_with(kAccountPrefix)) {
    out.kind = ResourceKey::kAccount;
    id = key.substr(kAccountPrefix.size());
  } else if (key.starts_with(kUserPrefix)) {
    out.kind = ResourceKey::kUser;
    id = key.substr(kUserPrefix.size());
    if (!isHexId(id)) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (id != "*" && !isHexId(id)) return std::nullopt;
  out.id = std::string(id);
  return out;
}

// `used` counts keys across the whole policy (nested ones included) against kMaxResourceKeys.
Status parseResources(const json::value& v, const std::string& path, Resources& out) {
  const json::object* obj = v.if_object();
  if (obj == nullptr) return invalid(path + " must be an object");
  if (obj->empty()) return invalid(path + " must not be empty");
  std::size_t used = 0;
  for (const auto& [raw_key, value] : *obj) {
    std::string_view key(raw_key.data(), raw_key.size());
    if (++used > kMaxResourceKeys) {
      return invalid(path + " must have at most " + std::to_string(kMaxResourceKeys) + " keys");
    }
    std::optional<ResourceKey> parsed = parseResourceKey(key);
    if (!parsed) return invalid(path + " key " + quoted(key) + " is not a valid resource");
    std::string at = path + "[" + quoted(key) + "]";
    if (isStar(value)) {
      out.push_back(std::move(*parsed));
      continue;
    }
    const json::object* nested = value.if_object();
    if (nested == nullptr || parsed->kind != ResourceKey::kAccount) {
      return invalid(at + (parsed->kind == ResourceKey::kAccount
                               ? " must be \"*\" or an object of zone keys"
                               : " must be \"*\""));
    }
    if (nested->empty()) return invalid(at + " must not be empty");
    for (const auto& [raw_zone_key, zone_value] : *nested) {
      std::string_view zone_key(raw_zone_key.data(), raw_zone_key.size());
      if (++used > kMaxResourceKeys) {
        return invalid(path + " must have at most " + std::to_string(kMaxResourceKeys) + " keys");
      }
      std::optional<ResourceKey> zone = parseResourceKey(zone_key);
      if (!zone || zone->kind != ResourceKey::kZone) {
        return invalid(at + " key " + quoted(zone_key) + " is not a valid zone resource");
      }
      if (!isStar(zone_value)) return invalid(at + "[" + quoted(zone_key) + "] must be \"*\"");
      parsed->zones.push_back(std::move(zone->id));
    }
    out.push_back(std::move(*parsed));
  }
  return Ok{};
}

Status parseGroups(const json::value& v, const std::string& path, std::vector<std::string>& out) {
  const json::array* arr = v.if_array();
  if (arr == nullptr) return invalid(path + " must be an array");
  if (arr->empty()) return invalid(path + " must not be empty");
  if (arr->size() > kMaxGroupsPerPolicy) {
    return invalid(path + " must have at most " + std::to_string(kMaxGroupsPerPolicy) + " items");
  }
  for (std::size_t j = 0; j < arr->size(); ++j) {
    std::string at = path + "[" + std::to_string(j) + "]";
    const json::object* item = (*arr)[j].if_object();
    if (item == nullptr) return invalid(at + " must be an object with an id");
    const json::value* id = item->if_contains("id");
    const json::string* id_str = id == nullptr ? nullptr : id->if_string();
    if (id_str == nullptr) return invalid(at + ".id must be a string");
    std::string_view group_id(id_str->data(), id_str->size());
    if (findGroup(group_id) == nullptr) {
      return invalid(at + ".id " + quoted(group_id) + " is not a known permission group");
    }
    out.emplace_back(group_id);
  }
  return Ok{};
}

// `new_id` empty = stored form: keep (and require) each policy's id.
Result<std::vector<Policy>> parsePoliciesImpl(const json::value& v,
                                              const std::function<std::string()>& new_id) {
  const json::array* arr = v.if_array();
  if (arr == nullptr) return invalid("policies must be an array");
  // A token without policies could do nothing but verify itself; the dashboard cannot make one,
  // so treat it as the client mistake it almost certainly is.
  if (arr->empty()) return invalid("policies must contain at least one policy");
  if (arr->size() > kMaxPolicies) {
    return invalid("policies must contain at most " + std::to_string(kMaxPolicies) + " policies");
  }
  std::vector<Policy> out;
  out.reserve(arr->size());
  for (std::size_t i = 0; i < arr->size(); ++i) {
    std::string at = "policies[" + std::to_string(i) + "]";
    const json::object* obj = (*arr)[i].if_object();
    if (obj == nullptr) return invalid(at + " must be an object");
    Policy p;
    if (new_id) {
      p.id = new_id();
    } else {
      const json::value* id = obj->if_contains("id");
      if (id == nullptr || !id->is_string() || !isHexId(id->get_string())) {
        return invalid(at + ".id must be 32 lowercase hex characters");
      }
      p.id = std::string(id->get_string());
    }
    const json::value* effect = obj->if_contains("effect");
    if (effect != nullptr && effect->is_string() && effect->get_string() == "allow") {
      p.allow = true;
    } else if (effect != nullptr && effect->is_string() && effect->get_string() == "deny") {
      p.allow = false;
    } else {
      return invalid(at + ".effect must be \"allow\" or \"deny\"");
    }
    const json::value* groups = obj->if_contains("permission_groups");
    if (groups == nullptr) return invalid(at + ".permission_groups is required");
    Status st = parseGroups(*groups, at + ".permission_groups", p.group_ids);
    if (!st) return std::move(st).error();
    const json::value* resources = obj->if_contains("resources");
    if (resources == nullptr) return invalid(at + ".resources is required");
    st = parseResources(*resources, at + ".resources", p.resources);
    if (!st) return std::move(st).error();
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

bool isHexId(std::string_view s) {
  if (s.size() != 32) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string ResourceKey::key() const {
  switch (kind) {
    case kUser:
      return std::string(kUserPrefix) + id;
    case kAccount:
      return std::string(kAccountPrefix) + id;
    case kZone:
      return std::string(kZonePrefix) + id;
  }
  return "";
}

Result<std::vector<Policy>> parsePolicies(const json::value& policies,
                                          const std::function<std::string()>& new_id) {
  if (!new_id) return ApiError::internal("parsePolicies called without an id generator");
  return parsePoliciesImpl(policies, new_id);
}

json::array policiesToJson(std::span<const Policy> policies) {
  json::array out;
  out.reserve(policies.size());
  for (const Policy& p : policies) {
    json::object resources;
    for (const ResourceKey& r : p.resources) {
      if (!r.nested()) {
        resources[r.key()] = "*";
        continue;
      }
      json::object zones;
      for (const std::string& z : r.zones) zones[std::string(kZonePrefix) + z] = "*";
      resources[r.key()] = std::move(zones);
    }
    json::array groups;
    for (const std::string& g : p.group_ids) {
      const PermissionGroup* group = findGroup(g);
      groups.push_back(json::object{{"id", g},
                                    {"name", group == nullptr ? std::string_view() : group->name},
                                    {"meta", json::object()}});
    }
    out.push_back(json::object{{"id", p.id},
                               {"effect", p.allow ? "allow" : "deny"},
                               {"resources", std::move(resources)},
                               {"permission_groups", std::move(groups)}});
  }
  return out;
}

std::string storePolicies(std::span<const Policy> policies) {
  return json::serialize(policiesToJson(policies));
}

Result<std::vector<Policy>> loadPolicies(std::string_view json_text) {
  std::error_code ec;
  json::value v = json::parse(json::string_view(json_text.data(), json_text.size()), ec);
  if (ec) return ApiError::internal("stored policies are not JSON: " + ec.message());
  Result<std::vector<Policy>> parsed = parsePoliciesImpl(v, {});
  if (!parsed) return ApiError::internal("stored policies invalid: " + parsed.error().message);
  return parsed;
}

}  // namespace nubis::auth
