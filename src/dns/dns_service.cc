#include "dns/dns_service.h"

#include <limits>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/errors.h"
#include "api/fields.h"
#include "base/ids.h"
#include "base/text.h"
#include "base/time_util.h"
#include "dns/bind.h"
#include "dns/record_types.h"

namespace nubis::dns {
namespace json = boost::json;
using api::Err;
using api::Need;

namespace {

constexpr size_t kMaxComment = 100;  // Cloudflare's free-plan comment length
constexpr size_t kMaxTags = 20;
constexpr size_t kMaxTag = 100;

ApiError invalid(const std::string& what) { return api::error(Err::DnsValidation, what); }

bool isHostType(std::string_view type) {
  return type == "CNAME" || type == "MX" || type == "NS" || type == "PTR";
}

// The same record for 81058: type, name, priority, and content (host names compare without case).
bool identical(const store::DnsRecordRow& a, const store::DnsRecordRow& b) {
  if (a.type != b.type || a.name != b.name || a.priority != b.priority) return false;
  return isHostType(a.type) ? text::asciiLower(a.content) == text::asciiLower(b.content) : a.content == b.content;
}

// A tag's name: letters, digits, '-' and '_' (Cloudflare's record-attributes reference), so it
// never holds the ':' that ends it.
bool tagName(std::string_view n) {
  return !n.empty() && std::all_of(n.begin(), n.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
  });
}

// Tags are "name:value" or a bare "name" (Cloudflare accepts both: octodns and terraform users
// store bare ones); values follow the comment rules (no line breaks). A tag sent twice is kept
// once, as Cloudflare silently drops the duplicate (octodns/octodns-cloudflare#85); names compare
// without case.
Result<std::string> tagsJson(const json::value& v) {
  if (!v.is_array()) return invalid("tags must be an array of \"name:value\" strings");
  const json::array& a = v.as_array();
  json::array out;
  std::vector<std::string> seen;
  for (const json::value& t : a) {
    if (!t.is_string()) return invalid("tags must be an array of \"name:value\" strings");
    const std::string_view s = t.as_string();
    const std::string_view name = s.substr(0, s.find(':'));
    if (s.size() > kMaxTag || !tagName(name)) {
      return invalid("tags: each tag is \"name:value\" (or a bare name), at most " +
                     std::to_string(kMaxTag) +
                     " characters, the name of letters, digits, '-' and '_'");
    }
    if (s.find_first_of(std::string_view("\0\n\r", 3)) != std::string_view::npos) {
      return invalid("tags: a tag's value may not contain NUL or line breaks");
    }
    std::string key = text::asciiLower(name) + std::string(s.substr(name.size()));
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(std::move(key));
    out.push_back(t);
  }
  if (out.size() > kMaxTags) return invalid("tags: at most " + std::to_string(kMaxTags) + " tags");
  return json::serialize(out);
}

// The tag filters: `tag` (a name: present; name:value: exact), tag.present and tag.absent (a
// name), tag.exact, .contains, .startswith, .endswith (name:value). Each may repeat.
Result<std::vector<store::DnsTagFilter>> tagFilters(const api::Query& q) {
  using Op = store::DnsTagFilter::Op;
  std::vector<store::DnsTagFilter> out;
  const std::pair<std::string_view, Op> forms[] = {
      {"tag", Op::kExact},           {"tag.present", Op::kPresent},
      {"tag.absent", Op::kAbsent},   {"tag.exact", Op::kExact},
      {"tag.contains", Op::kContains}, {"tag.startswith", Op::kStartsWith},
      {"tag.endswith", Op::kEndsWith}};
  for (const auto& [param, op] : forms) {
    for (std::string_view v : q.all(param)) {
      if (v.size() > 255) return invalid(std::string(param) + " filter is over 255 characters");
      const size_t colon = v.find(':');
      store::DnsTagFilter f{op, std::string(v.substr(0, colon)), ""};
      const bool by_name = op == Op::kPresent || op == Op::kAbsent;
      if (param == "tag" && colon == std::string_view::npos) f.op = Op::kPresent;
      else if (!by_name && colon == std::string_view::npos) {
        return invalid(std::string(param) + " must be <tag-name>:<tag-value>");
      } else if (!by_name) {
        f.value = std::string(v.substr(colon + 1));
      }
      if (f.name.empty()) return invalid(std::string(param) + " needs a tag name");
      out.push_back(std::move(f));
    }
  }
  return out;
}

// A text filter from `param`, `param.exact`, `.contains`, `.startswith`, `.endswith`.
Result<std::optional<store::DnsTextFilter>> textFilter(const api::Query& q, std::string_view param) {
  using Op = store::DnsTextFilter::Op;
  std::optional<store::DnsTextFilter> out;
  const std::pair<std::string_view, Op> forms[] = {{"", Op::kExact},
                                                   {".exact", Op::kExact},
                                                   {".contains", Op::kContains},
                                                   {".startswith", Op::kStartsWith},
                                                   {".endswith", Op::kEndsWith}};
  for (const auto& [suffix, op] : forms) {
    auto v = q.get(std::string(param) + std::string(suffix));
    if (!v) continue;
    if (out) {
      return invalid(std::string(param) + ": give one of " + std::string(param) + ", " +
                     std::string(param) + ".exact, .contains, .startswith or .endswith");
    }
    if (v->size() > 255) return invalid(std::string(param) + " filter is over 255 characters");
    out = store::DnsTextFilter{op, text::asciiLower(*v)};
  }
  return out;
}

}  // namespace

std::optional<std::string> qualifiedName(std::string_view name, std::string_view zone) {
  std::string n = text::asciiLower(name);
  if (!n.empty() && n.back() == '.') n.pop_back();
  if (n == "@" || n.empty()) return std::string(zone);
  if (n != zone && !(n.size() > zone.size() && n.ends_with(zone) &&
                     n[n.size() - zone.size() - 1] == '.')) {
    n += "." + std::string(zone);
  }
  return hostName(n, /*wildcard=*/true);
}

Result<store::DnsRecordRow> DnsService::read(const store::ZoneRow& zone, const json::object& body,
                                             const store::DnsRecordRow* base) {
  api::FieldReader r(body);
  // What a client may send back from a GET is accepted and ignored (read-only fields).
  r.rejectUnknown({"type", "name", "content", "ttl", "proxied", "priority", "comment", "tags",
                   "data", "settings", "id", "zone_id", "zone_name", "proxiable", "locked",
                   "meta", "created_on", "modified_on", "comment_modified_on",
                   "tags_modified_on"});
  const Need need = base ? Need::kOptional : Need::kRequired;
  auto type = r.str("type", 16, need);
  auto name = r.str("name", 255, need);
  auto content = r.str("content", 4096, Need::kOptional);
  auto ttl = r.integer("ttl", 1, 86400, Need::kOptional);
  auto proxied = r.boolean("proxied", Need::kOptional);
  auto priority = r.integer("priority", 0, 65535, Need::kOptional);
  auto comment = r.str("comment", kMaxComment, Need::kOptional, /*nullable=*/true);
  if (!r.ok()) return r.error();

  store::DnsRecordRow out = base ? *base : store::DnsRecordRow{};
  out.zone_id = zone.id;
  if (type) out.type = text::asciiUpper(*type);
  const RecordType* t = recordType(out.type);
  if (t == nullptr) return invalid("type \"" + out.type + "\" is not a DNS record type");
  if (name) {
    auto q = qualifiedName(*name, zone.name);
    if (!q) return invalid("name \"" + *name + "\" is not a valid DNS name");
    out.name = *q;
  }
  const bool type_changed = base && out.type != base->type;
  if (!t->data.empty()) {
    // Data types: `data` holds the fields; content is derived (what the client sent there is
    // ignored, as Cloudflare documents it read-only for these types).
    const json::value* data = r.raw("data");
    if (data != nullptr && !data->is_null()) {
      if (!data->is_object()) return invalid("data must be an object");
      std::string why;
      json::object canonical;
      auto c = dataContent(*t, data->as_object(), canonical, why);
      if (!c) return invalid(why);
      out.content = *c;
      out.data_json = json::serialize(canonical);
      if (!t->data_priority.empty()) out.priority = canonical.at(t->data_priority).as_int64();
    } else if (!base || type_changed) {
      return invalid("data is required for " + out.type + " records");
    }
  } else if (content) {
    std::string why;
    auto c = t->canonical(*content, why);
    if (!c) return invalid(why);
    out.content = *c;
    out.data_json = "{}";
  } else if (!base || type_changed) {
    return invalid("content is required for " + out.type + " records");
  }
  if (out.type == "CNAME" && text::asciiLower(out.content) == out.name) {
    return invalid("content of a CNAME record cannot be its own name");
  }
  if (ttl) {
    if (*ttl != 1 && *ttl < 30) return invalid("ttl must be 1 (automatic) or 30 to 86400 seconds");
    out.ttl = *ttl;
  } else if (!base) {
    out.ttl = 1;
  }
  if (proxied) out.proxied = *proxied;
  else if (!base) out.proxied = false;
  if (out.proxied && !t->proxiable) {
    return invalid("proxied: " + out.type + " records cannot be proxied (only A, AAAA, CNAME)");
  }
  if (t->needs_priority) {
    if (priority) out.priority = *priority;
    else if (type_changed) out.priority.reset();
    if (!out.priority) return invalid("priority is required for " + out.type + " records (0-65535)");
  } else if (t->data_priority.empty()) {
    out.priority.reset();  // meaningless for the type; Cloudflare ignores it too
  }
  if (r.has("comment")) out.comment = comment ? *comment : "";
  else if (!base) out.comment.clear();
  if (const json::value* tags = r.raw("tags"); tags && !tags->is_null()) {
    auto j = tagsJson(*tags);
    if (!j) return j.error();
    out.tags_json = *j;
  } else if (!base || (tags && tags->is_null())) {
    out.tags_json = "[]";
  }
  return out;
}

Status DnsService::checkConflicts(const store::DnsRecordRow& r) {
  auto same = records_.recordsNamed(r.zone_id, r.name);
  if (!same) return same.error();
  for (const store::DnsRecordRow& o : *same) {
    if (o.id == r.id) continue;
    if (r.type == "CNAME") return api::error(Err::DnsHostTaken);
    if (o.type == "CNAME") return api::error(Err::DnsCnameExists);
    if (identical(o, r)) return api::error(Err::DnsIdentical);
  }
  return Ok{};
}

Result<store::DnsRecordRow> DnsService::create(const store::ZoneRow& zone,
                                               const json::object& body) {
  auto rec = read(zone, body, nullptr);
  if (!rec) return rec;
  std::lock_guard<std::recursive_mutex> lock(write_mu_);
  rec->id = ids::newId(rng_);
  rec->created_on = rec->modified_on = clock_.nowMicros();
  if (Status st = checkConflicts(*rec); !st) return st.error();
  auto inserted = records_.insertRecord(*rec);
  if (!inserted) return inserted.error();
  if (!*inserted) return ApiError::internal("dns: a fresh record id was taken");
  return rec;
}

Result<store::DnsRecordRow> DnsService::get(const store::ZoneRow& zone, const std::string& id) {
  auto r = records_.getRecord(zone.id, id);
  if (!r) return r.error();
  if (!*r) return api::error(Err::DnsRecordNotFound);
  return **r;
}

Result<store::DnsRecordRow> DnsService::write(const store::ZoneRow& zone, const std::string& id,
                                              const json::object& body, bool partial) {
  std::lock_guard<std::recursive_mutex> lock(write_mu_);
  auto current = get(zone, id);
  if (!current) return current;
  store::DnsRecordRow base = *current;
  // PUT starts from nothing but keeps what identifies the record.
  auto rec = partial ? read(zone, body, &base) : read(zone, body, nullptr);
  if (!rec) return rec;
  rec->id = base.id;
  rec->created_on = base.created_on;
  rec->modified_on = clock_.nowMicros();
  if (Status st = checkConflicts(*rec); !st) return st.error();
  auto updated = records_.updateRecord(*rec);
  if (!updated) return updated.error();
  if (!*updated) return api::error(Err::DnsRecordNotFound);
  return rec;
}

Result<store::DnsRecordRow> DnsService::replace(const store::ZoneRow& zone, const std::string& id,
                                                const json::object& body) {
  return write(zone, id, body, false);
}

Result<store::DnsRecordRow> DnsService::edit(const store::ZoneRow& zone, const std::string& id,
                                             const json::object& body) {
  return write(zone, id, body, true);
}

Result<bool> DnsService::remove(const store::ZoneRow& zone, const std::string& id) {
  std::lock_guard<std::recursive_mutex> lock(write_mu_);
  auto gone = records_.deleteRecord(zone.id, id);
  if (!gone) return gone;
  if (!*gone) return api::error(Err::DnsRecordNotFound);
  return true;
}

Result<json::object> DnsService::batch(const store::ZoneRow& zone, const json::object& body) {
  api::FieldReader r(body);
  r.rejectUnknown({"deletes", "patches", "puts", "posts"});
  if (!r.ok()) return r.error();
  size_t total = 0;
  for (const char* list : {"deletes", "patches", "puts", "posts"}) {
    const json::value* v = body.if_contains(list);
    if (v == nullptr || v->is_null()) continue;
    if (!v->is_array()) return invalid(std::string(list) + " must be an array");
    for (const json::value& op : v->as_array()) {
      if (!op.is_object()) return invalid(std::string(list) + " must be an array of objects");
      if (std::string_view(list) != "posts") {
        const json::value* id = op.as_object().if_contains("id");
        if (id == nullptr || !id->is_string()) {
          return invalid(std::string(list) + ": every entry needs the record's id");
        }
      }
    }
    total += v->as_array().size();
  }
  if (total > kMaxBatch) {
    return invalid("a batch holds at most " + std::to_string(kMaxBatch) + " operations");
  }
  std::lock_guard<std::recursive_mutex> lock(write_mu_);
  json::object out{{"deletes", json::array()}, {"patches", json::array()}, {"puts", json::array()},
                   {"posts", json::array()}};
  std::optional<ApiError> refused;
  Status st = store_.transaction([&](store::Store&) -> Status {
    auto each = [&](const char* list, auto&& fn) -> Status {
      const json::value* v = body.if_contains(list);
      if (v == nullptr || v->is_null()) return Ok{};
      for (const json::value& op : v->as_array()) {
        Result<store::DnsRecordRow> done = fn(op.as_object());
        if (!done) {
          refused = done.error();
          return done.error();
        }
        out[list].as_array().push_back(toJson(zone, *done));
      }
      return Ok{};
    };
    auto idOf = [](const json::object& o) { return std::string(o.at("id").as_string()); };
    if (Status s = each("deletes", [&](const json::object& o) -> Result<store::DnsRecordRow> {
          auto rec = get(zone, idOf(o));
          if (!rec) return rec;
          auto gone = remove(zone, rec->id);
          if (!gone) return gone.error();
          return rec;
        }); !s) {
      return s;
    }
    if (Status s = each("patches", [&](const json::object& o) { return edit(zone, idOf(o), o); });
        !s) {
      return s;
    }
    if (Status s = each("puts", [&](const json::object& o) { return replace(zone, idOf(o), o); });
        !s) {
      return s;
    }
    return each("posts", [&](const json::object& o) { return create(zone, o); });
  });
  if (!st) return refused ? *refused : st.error();
  return out;
}

Result<store::DnsPage> DnsService::list(const store::ZoneRow& zone, const api::Query& q,
                                        const api::PageParams& page) {
  store::DnsQuery dq;
  dq.zone_id = zone.id;
  if (auto t = q.get("type")) {
    const std::string type = text::asciiUpper(*t);
    if (recordType(type) == nullptr) return invalid("type \"" + std::string(*t) + "\" is not a DNS record type");
    dq.type = type;
  }
  for (auto [param, slot] : {std::pair{"name", &dq.name}, {"content", &dq.content},
                             {"comment", &dq.comment}}) {
    auto f = textFilter(q, param);
    if (!f) return f.error();
    *slot = *f;
  }
  if (q.has("comment.present")) dq.comment_present = true;
  if (q.has("comment.absent")) {
    if (dq.comment_present) return invalid("give comment.present or comment.absent, not both");
    dq.comment_present = false;
  }
  if (auto p = q.get("proxied")) {
    if (*p != "true" && *p != "false") return invalid("proxied must be true or false");
    dq.proxied = *p == "true";
  }
  if (auto m = q.get("match")) {
    if (*m != "all" && *m != "any") return invalid("match must be all or any");
    dq.match_any = *m == "any";
  }
  auto tags = tagFilters(q);
  if (!tags) return tags.error();
  dq.tags = std::move(*tags);
  if (auto m = q.get("tag_match")) {
    if (*m != "all" && *m != "any") return invalid("tag_match must be all or any");
    dq.tag_match_any = *m == "any";
  }
  // Cloudflare leaves search's exact meaning open ("intended for human users"): here the text is
  // found, without case, in the name, content, comment or a tag, and it narrows whatever
  // `match` says (it "works independently of the match setting").
  if (auto s = q.get("search"); s && !s->empty()) {
    if (s->size() > 255) return invalid("search is over 255 characters");
    dq.search = std::string(*s);
  }
  dq.order = page.order.empty() ? "type" : page.order;
  dq.desc = page.desc;
  dq.limit = page.per_page;
  // A page far past the end (page × per_page beyond int64) is simply empty, never negative.
  if (__builtin_mul_overflow(page.page - 1, page.per_page, &dq.offset)) {
    dq.offset = std::numeric_limits<int64_t>::max();
  }
  return records_.listRecords(dq);
}

Result<std::string> DnsService::exportZone(const store::ZoneRow& zone) {
  store::DnsQuery q;
  q.zone_id = zone.id;
  q.order = "type";
  q.limit = static_cast<int64_t>(kMaxImportRecords) * 10;
  auto all = records_.listRecords(q);
  if (!all) return all.error();
  return dns::exportZone(zone, all->rows, clock_.nowMicros());
}

Result<DnsService::Imported> DnsService::importZone(const store::ZoneRow& zone,
                                                    std::string_view text, bool proxied) {
  auto parsed = parseZoneFile(text, zone.name);
  if (!parsed) return parsed.error();
  Imported out;
  out.parsed = static_cast<int64_t>(parsed->records.size());
  // One transaction, so a file of N records is one durable commit, not N; a record refused by
  // create()'s rules is skipped (counted out of recs_added), a storage failure undoes them all.
  std::lock_guard<std::recursive_mutex> lock(write_mu_);
  Status st = store_.transaction([&](store::Store&) -> Status {
    for (const ParsedRecord& p : parsed->records) {
      if (p.name != zone.name && !p.name.ends_with("." + zone.name)) continue;  // not this zone's
      const RecordType* t = recordType(p.type);
      json::object body{{"type", p.type}, {"name", p.name + "."}, {"ttl", p.ttl}};
      if (t != nullptr && t->proxiable) body["proxied"] = p.proxied || proxied;
      if (t != nullptr && !t->data.empty()) body["data"] = p.data;
      else body["content"] = p.content;
      if (p.priority) body["priority"] = *p.priority;
      auto made = create(zone, body);
      if (made) {
        ++out.added;
      } else if (made.error().http_status >= 500) {
        return made.error();
      }
    }
    return Ok{};
  });
  if (!st) return st.error();
  return out;
}

json::object DnsService::toJson(const store::ZoneRow& zone, const store::DnsRecordRow& r) const {
  boost::system::error_code ec;
  json::value tags = json::parse(r.tags_json, ec);
  if (ec || !tags.is_array()) tags = json::array();
  const RecordType* t = recordType(r.type);
  json::object o{
      {"id", r.id},
      {"zone_id", zone.id},
      {"zone_name", zone.name},
      {"name", r.name},
      {"type", r.type},
      {"content", r.content},
      {"proxiable", t != nullptr && t->proxiable},
      {"proxied", r.proxied},
      {"ttl", r.ttl},
      {"settings", json::object{}},
      {"meta", json::object{{"auto_added", false}, {"source", "primary"}}},
      {"comment", r.comment.empty() ? json::value(nullptr) : json::value(r.comment)},
      {"tags", tags},
      {"created_on", timeutil::formatMicros(r.created_on)},
      {"modified_on", timeutil::formatMicros(r.modified_on)},
  };
  if (r.priority) o["priority"] = *r.priority;
  if (t != nullptr && !t->data.empty()) {
    json::value data = json::parse(r.data_json, ec);
    o["data"] = ec || !data.is_object() ? json::value(json::object{}) : data;
  }
  return o;
}

}  // namespace nubis::dns
