#include "api/multipart.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "api/errors.h"

namespace nubis::api {
namespace {

// feed() copies at most this much of its input at a time, so a caller handing over a whole
// 10 MB body never makes us hold a second copy of it.
constexpr size_t kSlice = 64 * 1024;
constexpr size_t kMaxBoundary = 70;

ApiError invalidForm(std::string_view what) { return error(Err::MultipartInvalid, what); }

bool isAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// RFC 2046 bchars (space allowed, but not last).
bool isBchar(char c) {
  return isAlnum(c) || std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

// RFC 9110 tchar: header names and parameter names.
bool isTchar(char c) {
  return isAlnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isControl(char c) {
  auto u = static_cast<unsigned char>(c);
  return (u < 0x20 && c != '\t') || u == 0x7f;
}

char lowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lowerAscii);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return lowerAscii(x) == lowerAscii(y);
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

struct Param {
  std::string name;  // lower case
  std::string value;
};

// `; a=b; c="d"` after a media type or disposition type. Empty segments (";;", a trailing ";")
// are skipped; a parameter given twice is an error. Returns the error text, or "" on success.
std::string parseParams(std::string_view s, std::vector<Param>& out) {
  size_t i = 0;
  auto skipWs = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  };
  while (true) {
    skipWs();
    if (i == s.size()) return "";
    if (s[i] != ';') return "expected ';' between parameters";
    ++i;
    skipWs();
    if (i == s.size() || s[i] == ';') continue;
    size_t start = i;
    while (i < s.size() && isTchar(s[i])) ++i;
    if (i == start || i == s.size() || s[i] != '=') return "malformed parameter";
    Param p{lower(s.substr(start, i - start)), {}};
    ++i;
    if (i < s.size() && s[i] == '"') {
      // Quoted string: only \" and \\ escape; a backslash before anything else is literal
      // (browsers send Windows paths unescaped).
      ++i;
      bool closed = false;
      while (i < s.size()) {
        char c = s[i++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\' && i < s.size() && (s[i] == '"' || s[i] == '\\')) c = s[i++];
        p.value.push_back(c);
      }
      if (!closed) return "unterminated quoted string";
    } else {
      size_t vstart = i;
      while (i < s.size() && s[i] != ';' && s[i] != ' ' && s[i] != '\t' && s[i] != '"') ++i;
      if (i == vstart || (i < s.size() && s[i] == '"')) {
        return "malformed value of parameter \"" + p.name + "\"";
      }
      p.value = std::string(s.substr(vstart, i - vstart));
    }
    for (const Param& q : out) {
      if (q.name == p.name) return "parameter \"" + p.name + "\" given twice";
    }
    out.push_back(std::move(p));
  }
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lowerAscii(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// RFC 5987 ext-value: charset'language'percent-encoded. UTF-8 is kept, ISO-8859-1 becomes UTF-8.
std::optional<std::string> decodeExtValue(std::string_view v) {
  size_t q1 = v.find('\'');
  if (q1 == std::string_view::npos) return std::nullopt;
  size_t q2 = v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return std::nullopt;
  std::string_view charset = v.substr(0, q1);
  bool latin1 = iequals(charset, "iso-8859-1");
  if (!latin1 && !iequals(charset, "utf-8")) return std::nullopt;
  std::string out;
  for (size_t i = q2 + 1; i < v.size(); ++i) {
    auto byte = static_cast<unsigned char>(v[i]);
    if (v[i] == '%') {
      if (i + 2 >= v.size()) return std::nullopt;
      int hi = hexValue(v[i + 1]);
      int lo = hexValue(v[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      byte = static_cast<unsigned char>(hi * 16 + lo);
      i += 2;
    }
    if (latin1 && byte >= 0x80) {
      out.push_back(static_cast<char>(0xc0 | (byte >> 6)));
      out.push_back(static_cast<char>(0x80 | (byte & 0x3f)));
    } else {
      out.push_back(static_cast<char>(byte));
    }
  }
  return out;
}

// Content-Disposition of one part into `part`; returns the error text or "".
std::string parseDisposition(std::string_view value, FormPart& part) {
  size_t semi = value.find(';');
  if (!iequals(trim(value.substr(0, semi)), "form-data")) {
    return "Content-Disposition must be form-data";
  }
  std::vector<Param> params;
  if (semi != std::string_view::npos) {
    std::string err = parseParams(value.substr(semi), params);
    if (!err.empty()) return "Content-Disposition: " + err;
  }
  std::optional<std::string> name, filename;
  for (const Param& p : params) {
    if (p.name == "name" && !name) name = p.value;
    if (p.name == "filename" && !filename) filename = p.value;
  }
  // The extended forms win over the plain ones, whatever the order.
  for (const Param& p : params) {
    if (p.name != "name*" && p.name != "filename*") continue;
    std::optional<std::string> decoded = decodeExtValue(p.value);
    if (!decoded) return "Content-Disposition: malformed " + p.name + " (RFC 5987)";
    (p.name == "name*" ? name : filename) = std::move(*decoded);
  }
  if (!name || name->empty()) return "part without a name";
  part.name = std::move(*name);
  part.filename = std::move(filename);
  return "";
}

}  // namespace

Result<std::string> formBoundary(std::string_view content_type) {
  size_t semi = content_type.find(';');
  if (!iequals(trim(content_type.substr(0, semi)), "multipart/form-data")) {
    return invalidForm("Content-Type must be multipart/form-data");
  }
  std::vector<Param> params;
  if (semi != std::string_view::npos) {
    std::string err = parseParams(content_type.substr(semi), params);
    if (!err.empty()) return invalidForm("Content-Type: " + err);
  }
  auto it = std::find_if(params.begin(), params.end(),
                         [](const Param& p) { return p.name == "boundary"; });
  if (it == params.end()) return invalidForm("Content-Type has no boundary");
  const std::string& b = it->value;
  if (b.empty() || b.size() > kMaxBoundary) {
    return invalidForm("the boundary must be 1 to 70 characters");
  }
  if (!std::all_of(b.begin(), b.end(), isBchar) || b.back() == ' ') {
    return invalidForm("the boundary has characters RFC 2046 does not allow");
  }
  return b;
}

MultipartParser::MultipartParser(std::string boundary, MultipartLimits limits)
    : delimiter_("\r\n--" + boundary), limits_(limits) {
  // The first delimiter may open the body without a CRLF before it: pretend one was there.
  pending_ = "\r\n";
}

Status MultipartParser::fail(std::string what) {
  error_ = invalidForm(what);
  state_ = State::kFailed;
  // Partial parts depend on how the body was split; dropping them keeps the outcome a function
  // of the bytes alone, and frees a half-read file at once.
  std::string().swap(pending_);
  std::vector<FormPart>().swap(parts_);
  return *error_;
}

Status MultipartParser::feed(std::string_view bytes) {
  if (error_) return *error_;
  while (!bytes.empty() && state_ != State::kEpilogue) {
    size_t n = std::min(bytes.size(), kSlice);
    pending_.append(bytes.substr(0, n));
    bytes.remove_prefix(n);
    if (Status s = drain(); !s) return s;
  }
  return Ok{};
}

Status MultipartParser::finish() {
  if (error_) return *error_;
  switch (state_) {
    case State::kEpilogue:
      if (parts_.empty()) return fail("no parts");
      return Ok{};
    case State::kPreamble:
      return fail("no parts: the boundary never appears in the body");
    default:
      return fail("unterminated body: the close delimiter --" + delimiter_.substr(4) +
                  "-- never came");
  }
}

// Moves the first n pending bytes into the current part, within its limit.
Status MultipartParser::emitData(size_t n) {
  FormPart& part = parts_.back();
  bool is_file = part.filename.has_value();
  size_t limit = is_file ? limits_.max_file_bytes : limits_.max_field_bytes;
  if (part.data.size() + n > limit) {
    file_too_large_ = is_file;
    return fail(std::string(is_file ? "file" : "field") + " \"" + part.name + "\" is larger than " +
                std::to_string(limit) + " bytes");
  }
  part.data.append(pending_, 0, n);
  pending_.erase(0, n);
  return Ok{};
}

Status MultipartParser::drain() {
  bool progress = true;
  while (progress) {
    progress = false;
    Status s = Ok{};
    switch (state_) {
      case State::kPreamble:
      case State::kBody: {
        // Horspool skips about a delimiter's length per step; find() stops at every CR, and
        // binary parts have one every ~256 bytes (a 5 MB upload: 10 % of its CPU).
        const auto hit = std::search(
            pending_.cbegin(), pending_.cend(),
            std::boyer_moore_horspool_searcher(delimiter_.cbegin(), delimiter_.cend()));
        size_t at = hit == pending_.cend() ? std::string::npos
                                           : static_cast<size_t>(hit - pending_.cbegin());
        // Without a delimiter, hold back what could be the start of one.
        size_t n = at != std::string::npos
                       ? at
                       : pending_.size() - std::min(pending_.size(), delimiter_.size() - 1);
        if (state_ == State::kBody) {
          s = emitData(n);
        } else {
          pending_.erase(0, n);
        }
        if (s && at != std::string::npos) {
          pending_.erase(0, delimiter_.size());
          state_ = State::kAfterDelimiter;
          padding_ = 0;
          progress = true;
        }
        break;
      }
      case State::kAfterDelimiter:
        s = afterDelimiter(progress);
        break;
      case State::kHeaders:
        s = headerLine(progress);
        break;
      case State::kEpilogue:
        pending_.clear();
        break;
      case State::kFailed:
        return *error_;
    }
    if (!s) return s;
  }
  return Ok{};
}

// After "\r\n--boundary": "--" closes the body; otherwise optional spaces/tabs (RFC 2046
// transport padding), then CRLF and the next part's headers.
Status MultipartParser::afterDelimiter(bool& progress) {
  if (pending_.empty()) return Ok{};
  if (pending_[0] == '-' && padding_ == 0) {
    if (pending_.size() < 2) return Ok{};
    if (pending_[1] != '-') return fail("the boundary is followed by unexpected bytes");
    state_ = State::kEpilogue;
    pending_.clear();
    progress = true;
    return Ok{};
  }
  size_t i = 0;
  while (i < pending_.size() && (pending_[i] == ' ' || pending_[i] == '\t')) ++i;
  padding_ += i;
  pending_.erase(0, i);
  if (pending_.empty()) return Ok{};
  if (pending_[0] == '\n') return fail("line ends must be CRLF");
  if (pending_[0] != '\r') return fail("the boundary is followed by unexpected bytes");
  if (pending_.size() < 2) return Ok{};
  if (pending_[1] != '\n') return fail("line ends must be CRLF");
  pending_.erase(0, 2);
  if (parts_.size() >= limits_.max_parts) {
    return fail("more than " + std::to_string(limits_.max_parts) + " parts");
  }
  parts_.emplace_back();
  header_bytes_ = 0;
  saw_disposition_ = false;
  saw_type_ = false;
  state_ = State::kHeaders;
  progress = true;
  return Ok{};
}

// One header line of the current part. The size check runs on the bytes up to the first LF
// before anything else, so every split of the body meets the same error first.
Status MultipartParser::headerLine(bool& progress) {
  size_t lf = pending_.find('\n');
  size_t consumed = lf == std::string::npos ? pending_.size() : lf + 1;
  if (header_bytes_ + consumed > limits_.max_part_header_bytes) {
    return fail("the headers of part " + std::to_string(parts_.size()) + " exceed " +
                std::to_string(limits_.max_part_header_bytes) + " bytes");
  }
  if (lf == std::string::npos) return Ok{};
  if (lf == 0 || pending_[lf - 1] != '\r') return fail("line ends must be CRLF");
  header_bytes_ += consumed;
  std::string line = pending_.substr(0, lf - 1);
  pending_.erase(0, consumed);
  progress = true;
  if (line.empty()) return endOfHeaders();

  FormPart& part = parts_.back();
  if (line[0] == ' ' || line[0] == '\t') return fail("folded header lines are not supported");
  if (std::any_of(line.begin(), line.end(), isControl)) {
    return fail("control character in a part header");
  }
  size_t colon = line.find(':');
  if (colon == std::string::npos) return fail("part header line without ':'");
  std::string_view name = std::string_view(line).substr(0, colon);
  if (name.empty() || !std::all_of(name.begin(), name.end(), isTchar)) {
    return fail("malformed part header name");
  }
  std::string_view value = trim(std::string_view(line).substr(colon + 1));
  if (iequals(name, "content-disposition")) {
    if (saw_disposition_) return fail("Content-Disposition given twice in one part");
    saw_disposition_ = true;
    std::string err = parseDisposition(value, part);
    if (!err.empty()) return fail(err);
  } else if (iequals(name, "content-type")) {
    if (saw_type_) return fail("Content-Type given twice in one part");
    saw_type_ = true;
    part.content_type = std::string(value);
  }
  return Ok{};
}

Status MultipartParser::endOfHeaders() {
  if (!saw_disposition_) {
    return fail("part " + std::to_string(parts_.size()) + " has no Content-Disposition");
  }
  FormPart& part = parts_.back();
  if (part.filename && body_bytes_ > 0) {
    // Once: a thousand file parts must not each reserve the whole body.
    part.data.reserve(std::min(body_bytes_, limits_.max_file_bytes));
    body_bytes_ = 0;
  }
  state_ = State::kBody;
  return Ok{};
}

Result<std::vector<FormPart>> parseForm(std::string_view content_type, std::string_view body,
                                        const MultipartLimits& limits) {
  Result<std::string> boundary = formBoundary(content_type);
  if (!boundary) return std::move(boundary).error();
  MultipartParser parser(std::move(*boundary), limits);
  parser.expectBodyBytes(body.size());
  if (Status s = parser.feed(body); !s) return std::move(s).error();
  if (Status s = parser.finish(); !s) return std::move(s).error();
  return std::move(parser.parts());
}

}  // namespace nubis::api
