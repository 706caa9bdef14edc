#include "dns/bind.h"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <utility>

#include "api/errors.h"
#include "base/text.h"
#include "base/time_util.h"
#include "dns/record_types.h"

namespace nubis::dns {
namespace json = boost::json;
namespace {

struct Token {
  std::string text;
  bool quoted = false;
};

struct Line {
  int number = 0;          // of its first physical line
  bool blank_owner = false;  // began with whitespace: the previous owner's record
  std::vector<Token> tokens;
  std::string comment;     // every comment of the logical line, joined
};

ApiError bad(int line, const std::string& what) {
  return api::error(api::Err::DnsValidation,
                    "zone file line " + std::to_string(line) + ": " + what);
}

// The line of the first byte that is not UTF-8 (overlong forms and surrogates included), or 0.
// Records end up in JSON, which must be UTF-8 (found by fuzz/dns_zone_file.cc: a stray 0xE3 made
// a stored record unreadable).
int firstBadUtf8Line(std::string_view text) {
  int line = 1;
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') ++line;
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n = 0;
    uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return line;
    }
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= text.size()) return line;
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return line;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return line;
    i += n + 1;
  }
  return 0;
}

// Splits the text into logical lines: comments cut, parentheses joined, quotes kept together.
Result<std::vector<Line>> lex(std::string_view text) {
  std::vector<Line> lines;
  Line cur;
  int line_no = 1;
  int depth = 0;
  bool line_start = true;
  cur.number = 1;
  auto flush = [&]() {
    if (!cur.tokens.empty()) lines.push_back(std::move(cur));
    cur = Line{};
  };
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line_no;
      ++i;
      if (depth == 0) {
        flush();
        cur.number = line_no;
        line_start = true;
      }
      continue;
    }
    if (c == '\r') {
      ++i;
      continue;
    }
    // Every blank, not just space and tab: a form feed once stopped the bare-token loop below
    // without consuming anything (found by fuzz/dns_zone_file.cc).
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      if (line_start && depth == 0 && cur.tokens.empty()) cur.blank_owner = true;
      line_start = false;
      ++i;
      continue;
    }
    line_start = false;
    if (c == ';') {
      const size_t end = text.find('\n', i);
      const std::string_view comment =
          text.substr(i + 1, end == std::string_view::npos ? std::string_view::npos : end - i - 1);
      cur.comment.append(comment).push_back(' ');
      i = end == std::string_view::npos ? text.size() : end;
      continue;
    }
    if (c == '(') {
      ++depth;
      ++i;
      continue;
    }
    if (c == ')') {
      if (depth == 0) return bad(line_no, "')' without '('");
      --depth;
      ++i;
      continue;
    }
    if (cur.tokens.empty()) cur.number = line_no;
    Token t;
    if (c == '"') {
      t.quoted = true;
      ++i;
      bool closed = false;
      while (i < text.size()) {
        const char q = text[i];
        if (q == '\\' && i + 1 < text.size()) {
          t.text.push_back(text[i + 1]);
          i += 2;
          continue;
        }
        if (q == '"') {
          closed = true;
          ++i;
          break;
        }
        if (q == '\n') break;
        t.text.push_back(q);
        ++i;
      }
      if (!closed) return bad(line_no, "unterminated quoted string");
    } else {
      // A quote inside a bare token stays in it (SVCB parameters: alpn="h3,h2").
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])) &&
             text[i] != ';' && text[i] != '(' && text[i] != ')') {
        t.text.push_back(text[i]);
        ++i;
      }
    }
    cur.tokens.push_back(std::move(t));
  }
  if (depth != 0) return bad(line_no, "'(' without ')'");
  flush();
  return lines;
}

// A TTL: seconds, or BIND's units (1h30m, 2d, 1w).
std::optional<int64_t> parseTtl(std::string_view s) {
  if (s.empty() || !std::isdigit(static_cast<unsigned char>(s[0]))) return std::nullopt;
  int64_t total = 0, n = 0;
  bool digits = false;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      n = n * 10 + (c - '0');
      digits = true;
      if (n > 2'147'483'647) return std::nullopt;
      continue;
    }
    int64_t unit = 0;
    switch (std::tolower(static_cast<unsigned char>(c))) {
      case 's': unit = 1; break;
      case 'm': unit = 60; break;
      case 'h': unit = 3600; break;
      case 'd': unit = 86400; break;
      case 'w': unit = 604800; break;
      default: return std::nullopt;
    }
    if (!digits) return std::nullopt;
    total += n * unit;
    n = 0;
    digits = false;
  }
  total += n;
  if (total > 2'147'483'647) return std::nullopt;
  return total;
}

// An owner or target name made absolute (no trailing dot in the result).
std::string absolute(std::string_view name, std::string_view origin) {
  if (name == "@") return std::string(origin);
  if (!name.empty() && name.back() == '.') return std::string(name.substr(0, name.size() - 1));
  return std::string(name) + "." + std::string(origin);
}

bool isHostType(std::string_view type) {
  return type == "CNAME" || type == "NS" || type == "PTR";
}

// Trailing dot for a host in presentation form ("." stays ".").
std::string dotted(std::string_view host) {
  if (host == "." || host.empty()) return ".";
  return std::string(host) + ".";
}

// A LOC number: digits with an optional fraction (and sign where `negative`), and for distances
// an optional "m" unit (RFC 1876 §3). JSON integers when whole, so the API reads them as sent.
std::optional<json::value> locNumber(std::string_view s, bool meters, bool negative) {
  if (meters && !s.empty() && (s.back() == 'm' || s.back() == 'M')) s.remove_suffix(1);
  std::string_view digits = s;
  if (negative && !digits.empty() && digits[0] == '-') digits.remove_prefix(1);
  const size_t dot = digits.find('.');
  const std::string_view whole = digits.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? "" : digits.substr(dot + 1);
  auto all_digits = [](std::string_view d) {
    return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || whole.size() > 9 || !all_digits(whole) || frac.size() > 3 ||
      !all_digits(frac) || (dot != std::string_view::npos && frac.empty())) {
    return std::nullopt;
  }
  const double d = std::stod(std::string(s));
  if (d == std::trunc(d)) return json::value(static_cast<int64_t>(d));  // "0.00" is 0
  return json::value(d);
}

// RFC 1876 §3: d1 [m1 [s1]] {N|S} d2 [m2 [s2]] {E|W} alt["m"] [siz["m"] [hp["m"] [vp["m"]]]],
// into the API's data object; absent minutes and seconds are 0, an absent size, horizontal and
// vertical precision are the RFC's defaults (1 m, 10000 m, 10 m). The service checks the ranges.
Status readLoc(ParsedRecord& r, const std::vector<Token>& rd) {
  size_t at = 0;
  auto angle = [&](const std::string& axis, std::string_view dirs) -> Status {
    static constexpr const char* kParts[] = {"_degrees", "_minutes", "_seconds"};
    size_t n = 0;
    while (at < rd.size() && n < 3 &&
           !(rd[at].text.size() == 1 && dirs.find(rd[at].text[0]) != std::string_view::npos)) {
      auto v = locNumber(rd[at].text, false, false);
      if (!v) return bad(r.line, "LOC " + axis + " must be degrees [minutes [seconds]]");
      r.data[axis + kParts[n++]] = *v;
      ++at;
    }
    if (n == 0 || at >= rd.size() || rd[at].text.size() != 1 ||
        dirs.find(rd[at].text[0]) == std::string_view::npos) {
      return bad(r.line, "LOC " + axis + " must end with " + std::string(1, dirs[0]) + " or " +
                             std::string(1, dirs[1]));
    }
    for (; n < 3; ++n) r.data[axis + kParts[n]] = 0;
    r.data[axis + "_direction"] = rd[at++].text;
    return Ok{};
  };
  if (Status st = angle("lat", "NS"); !st) return st;
  if (Status st = angle("long", "EW"); !st) return st;
  static constexpr std::pair<const char*, int64_t> kMeters[] = {
      {"altitude", -1}, {"size", 1}, {"precision_horz", 10000}, {"precision_vert", 10}};
  for (const auto& [field, fallback] : kMeters) {
    if (at >= rd.size()) {
      if (fallback < 0) return bad(r.line, "LOC is missing its altitude");
      r.data[field] = fallback;
      continue;
    }
    auto v = locNumber(rd[at++].text, true, fallback < 0);
    if (!v) return bad(r.line, std::string("LOC ") + field + " must be meters (e.g. 10m)");
    r.data[field] = *v;
  }
  if (at != rd.size()) return bad(r.line, "LOC has more values than it takes");
  return Ok{};
}

Status readRdata(ParsedRecord& r, const RecordType& t, const std::vector<Token>& rd,
                 std::string_view origin) {
  auto need = [&](size_t n) -> Status {
    if (rd.size() < n) return bad(r.line, r.type + " needs " + std::to_string(n) + " values");
    return Ok{};
  };
  if (r.type == "LOC") return readLoc(r, rd);
  if (t.data.empty()) {
    if (r.type == "TXT") {
      if (rd.empty()) return bad(r.line, "TXT needs a value");
      for (const Token& tok : rd) r.content += tok.text;  // strings join, as resolvers do
      return Ok{};
    }
    if (r.type == "OPENPGPKEY") {  // base64 split over several tokens (often lines) is one key
      if (rd.empty()) return bad(r.line, "OPENPGPKEY needs a key");
      for (const Token& tok : rd) r.content += tok.text;
      return Ok{};
    }
    size_t at = 0;
    if (t.needs_priority) {  // MX
      if (Status st = need(2); !st) return st;
      auto p = parseTtl(rd[0].text);
      if (!p || rd[0].text.find_first_not_of("0123456789") != std::string::npos) {
        return bad(r.line, "MX preference must be a number");
      }
      r.priority = *p;
      at = 1;
    }
    if (Status st = need(at + 1); !st) return st;
    if (rd.size() != at + 1) return bad(r.line, r.type + " takes one value after the type");
    r.content = t.needs_priority || isHostType(r.type) ? absolute(rd[at].text, origin)
                                                       : rd[at].text;
    return Ok{};
  }
  size_t at = 0;
  if (t.needs_priority) {  // URI: priority, then its data
    if (Status st = need(1); !st) return st;
    auto p = parseTtl(rd[0].text);
    if (!p || rd[0].text.find_first_not_of("0123456789") != std::string::npos) {
      return bad(r.line, "URI priority must be a number");
    }
    r.priority = *p;
    at = 1;
  }
  for (size_t f = 0; f < t.data.size(); ++f) {
    const DataField& field = t.data[f];
    const bool last = f + 1 == t.data.size();
    if (at >= rd.size()) {
      if (last && field.kind == FieldKind::kText) {  // SVCB/HTTPS without parameters
        r.data[field.name] = "";
        break;
      }
      return bad(r.line, r.type + " is missing its " + std::string(field.name));
    }
    switch (field.kind) {
      case FieldKind::kUint: {
        const std::string& s = rd[at++].text;
        if (s.empty() || s.size() > 10 || s.find_first_not_of("0123456789") != std::string::npos) {
          return bad(r.line, r.type + " " + std::string(field.name) + " must be a number");
        }
        r.data[field.name] = std::stoll(s);
        break;
      }
      case FieldKind::kHost:
        r.data[field.name] = rd[at].text == "." ? std::string(".") : absolute(rd[at].text, origin);
        ++at;
        break;
      case FieldKind::kQuoted:
      case FieldKind::kTag:
      case FieldKind::kLetter:
        r.data[field.name] = rd[at++].text;
        break;
      case FieldKind::kDecimal: {  // LOC's fields, read by readLoc; a plain number otherwise
        auto v = locNumber(rd[at++].text, false, true);
        if (!v) return bad(r.line, r.type + " " + std::string(field.name) + " must be a number");
        r.data[field.name] = *v;
        break;
      }
      case FieldKind::kHex:
      case FieldKind::kBase64:
      case FieldKind::kText: {
        // The last field takes the rest of the line (keys and digests are often split).
        std::string joined;
        const bool spaced = field.kind == FieldKind::kText;
        while (at < rd.size() && (last || joined.empty())) {
          if (!joined.empty() && spaced) joined.push_back(' ');
          joined += rd[at].quoted && spaced ? quoted(rd[at].text) : rd[at].text;
          ++at;
        }
        r.data[field.name] = joined;
        break;
      }
    }
  }
  if (at != rd.size()) return bad(r.line, r.type + " has more values than it takes");
  return Ok{};
}

}  // namespace

Result<ParsedZone> parseZoneFile(std::string_view text, std::string_view zone) {
  if (text.size() > kMaxImportBytes) {
    return api::error(api::Err::DnsValidation, "zone file is over " +
                                                   std::to_string(kMaxImportBytes) + " bytes");
  }
  if (const int bad_line = firstBadUtf8Line(text); bad_line != 0) {
    return bad(bad_line, "the text is not UTF-8");
  }
  auto lines = lex(text);
  if (!lines) return lines.error();
  ParsedZone out;
  std::string origin(zone);
  std::optional<int64_t> default_ttl;
  std::string previous_owner;
  for (const Line& l : *lines) {
    const auto& tk = l.tokens;
    const std::string first = text::asciiUpper(tk[0].text);
    if (!tk[0].quoted && first == "$ORIGIN") {
      if (tk.size() != 2) return bad(l.number, "$ORIGIN takes one name");
      origin = absolute(tk[1].text, origin);
      continue;
    }
    if (!tk[0].quoted && first == "$TTL") {
      if (tk.size() != 2) return bad(l.number, "$TTL takes one value");
      default_ttl = parseTtl(tk[1].text);
      if (!default_ttl) return bad(l.number, "$TTL is not a time");
      continue;
    }
    if (!tk[0].quoted && !first.empty() && first[0] == '$') {
      return bad(l.number, first + " is not supported (only $ORIGIN and $TTL)");
    }
    ParsedRecord r;
    r.line = l.number;
    size_t at = 0;
    if (l.blank_owner) {
      if (previous_owner.empty()) return bad(l.number, "a record without an owner name");
      r.name = previous_owner;
    } else {
      r.name = absolute(tk[0].text, origin);
      at = 1;
    }
    if (r.name.empty()) return bad(l.number, "the root (\".\") cannot own a record of a zone");
    previous_owner = r.name;
    std::optional<int64_t> ttl;
    for (int k = 0; k < 2 && at < tk.size(); ++k) {  // [ttl] [class] in either order
      const std::string u = text::asciiUpper(tk[at].text);
      if (u == "IN") {
        ++at;
      } else if (u == "CH" || u == "HS" || u == "CS") {
        return bad(l.number, "class " + u + " is not supported (only IN)");
      } else if (auto t = parseTtl(tk[at].text); t && !ttl) {
        ttl = t;
        ++at;
      }
    }
    if (at >= tk.size()) return bad(l.number, "no record type");
    r.type = text::asciiUpper(tk[at++].text);
    r.ttl = ttl.value_or(default_ttl.value_or(1));
    r.proxied = l.comment.find("cf-proxied:true") != std::string::npos;
    if (r.type == "SOA") {
      ++out.skipped_soa;
      continue;
    }
    const RecordType* t = recordType(r.type);
    if (t == nullptr) {
      return bad(l.number, "record type " + r.type + " is not supported here");
    }
    const std::vector<Token> rdata(tk.begin() + static_cast<std::ptrdiff_t>(at), tk.end());
    if (Status st = readRdata(r, *t, rdata, origin); !st) return st.error();
    if (out.records.size() >= kMaxImportRecords) {
      return bad(l.number, "more than " + std::to_string(kMaxImportRecords) + " records");
    }
    out.records.push_back(std::move(r));
  }
  return out;
}

std::string exportZone(const store::ZoneRow& zone, const std::vector<store::DnsRecordRow>& records,
                       int64_t now_micros) {
  std::string out;
  out += ";;\n;; Domain:     " + zone.name + ".\n;; Exported:   " +
         timeutil::formatMicros(now_micros) + "\n;;\n";
  out +=
      ";; This file is intended for use for informational and archival\n"
      ";; purposes ONLY and MUST be edited before use on a production\n"
      ";; DNS server. Exported by Nubis; import it with POST .../dns_records/import.\n;;\n";
  out += ";; SOA Record\n" + zone.name + ".\t3600\tIN\tSOA\tada.ns.cloudflare.com. " +
         "dns.cloudflare.com. 2050000000 10000 2400 604800 3600\n";
  std::map<std::string, std::vector<const store::DnsRecordRow*>> by_type;
  for (const auto& r : records) by_type[r.type].push_back(&r);
  for (const auto& [type, rows] : by_type) {
    out += "\n;; " + type + " Records\n";
    const RecordType* t = recordType(type);
    for (const store::DnsRecordRow* r : rows) {
      std::string rdata;
      if (t != nullptr && !t->data.empty()) {
        boost::system::error_code ec;
        json::value v = json::parse(r->data_json, ec);
        const json::object empty;
        const json::object& data = !ec && v.is_object() ? v.as_object() : empty;
        if (t->needs_priority && r->priority) rdata = std::to_string(*r->priority);
        for (const DataField& f : t->data) {
          const json::value* fv = data.if_contains(f.name);
          std::string piece;
          if (fv == nullptr) {
            piece = "";
          } else if (f.kind == FieldKind::kDecimal && fv->is_number()) {
            char num[64];
            std::snprintf(num, sizeof num, "%.*f", f.decimals, fv->to_number<double>());
            piece = num;
          } else if (fv->is_int64()) {
            piece = std::to_string(fv->as_int64());
          } else if (fv->is_string()) {
            const std::string_view s = fv->as_string();
            piece = f.kind == FieldKind::kHost     ? dotted(s)
                    : f.kind == FieldKind::kQuoted ? quoted(s)
                                                   : std::string(s);
          }
          if (piece.empty()) continue;
          if (!rdata.empty()) rdata.push_back(' ');
          rdata += piece;
        }
      } else if (type == "TXT") {
        // Strings of at most 255 bytes, as the wire format holds them.
        for (size_t i = 0; i < r->content.size() || i == 0; i += 255) {
          if (!rdata.empty()) rdata.push_back(' ');
          rdata += quoted(r->content.substr(i, 255));
          if (r->content.empty()) break;
        }
      } else if (type == "MX") {
        rdata = std::to_string(r->priority.value_or(0)) + " " + dotted(r->content);
      } else if (isHostType(type)) {
        rdata = dotted(r->content);
      } else {
        rdata = r->content;
      }
      out += r->name + ".\t" + std::to_string(r->ttl) + "\tIN\t" + type + "\t" + rdata;
      if (t != nullptr && t->proxiable) {
        out += std::string(" ; cf_tags=cf-proxied:") + (r->proxied ? "true" : "false");
      }
      out += "\n";
    }
  }
  return out;
}

}  // namespace nubis::dns
