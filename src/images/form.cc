// ImagesService::readForm: the multipart forms of upload, direct_upload and the one-time upload
// URL, read into UploadInput. Field rules: IMAGES.md A.1-A.3, SDK-NOTES.md (the SDK flattens
// `metadata` into `metadata[key]` parts; curl sends it as one JSON text part: both are read).
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/errors.h"
#include "api/fields.h"
#include "base/time_util.h"
#include "images/images_service.h"

namespace nubis::images {
namespace json = boost::json;
using api::Err;

namespace {

constexpr size_t kMaxMetadataBytes = 1024;
constexpr size_t kMaxCreatorBytes = 1024;

ApiError bad(std::string message) { return api::error(Err::ImageBadRequest, message); }

Result<bool> readBool(std::string_view name, std::string_view v) {
  std::string lower(v);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "true" || lower == "1") return true;
  if (lower == "false" || lower == "0" || lower.empty()) return false;
  return bad(std::string(name) + " must be true or false");
}

// "metadata[a][b]" -> {"a","b"}; nullopt when the name is not of that form.
std::optional<std::vector<std::string>> bracketPath(std::string_view name) {
  constexpr std::string_view kPrefix = "metadata[";
  if (!name.starts_with(kPrefix)) return std::nullopt;
  std::vector<std::string> path;
  size_t pos = kPrefix.size() - 1;
  while (pos < name.size()) {
    if (name[pos] != '[') return std::nullopt;
    size_t close = name.find(']', pos);
    if (close == std::string_view::npos || close == pos + 1) return std::nullopt;
    path.emplace_back(name.substr(pos + 1, close - pos - 1));
    pos = close + 1;
  }
  if (path.empty() || path.size() > 5) return std::nullopt;
  return path;
}

}  // namespace

Status checkMetadata(const json::object& meta) {
  if (json::serialize(meta).size() > kMaxMetadataBytes)
    return bad("metadata must be at most 1024 bytes of JSON");
  return Ok{};
}

Result<UploadInput> ImagesService::readForm(std::string_view content_type, std::string_view body,
                                            FormKind kind) const {
  UploadInput in;
  // The docs show direct_upload with a JSON body too; the SDK sends multipart.
  std::string ct(content_type.substr(0, content_type.find(';')));
  for (auto& c : ct) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!ct.empty() && ct.back() == ' ') ct.pop_back();
  std::vector<api::FormPart> parts;
  if (kind == FormKind::kDirectUpload && (ct.empty() || ct == "application/json")) {
    auto obj = api::parseJsonObject(body, true);
    if (!obj) return obj.error();
    for (const auto& [k, v] : *obj) {
      if (k == "metadata" && v.is_object()) {
        in.metadata = v.as_object();
        continue;
      }
      api::FormPart p;
      p.name = std::string(k);
      p.data = v.is_string() ? std::string(v.as_string()) : json::serialize(v);
      parts.push_back(std::move(p));
    }
  } else {
    auto boundary = api::formBoundary(content_type);
    if (!boundary) return boundary.error();
    // The SDK sends a form without fields as the close delimiter alone (SDK-NOTES.md).
    std::string_view trimmed = body;
    while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == '\r'))
      trimmed.remove_suffix(1);
    if (trimmed != "--" + *boundary + "--") {
      api::MultipartLimits limits;
      limits.max_file_bytes = settings_.limits.max_bytes;
      api::MultipartParser parser(*boundary, limits);
      parser.expectBodyBytes(body.size());
      Status st = parser.feed(body);
      if (st) st = parser.finish();
      // An oversized file is the documented 413 "Request entity is too large".
      if (!st) return parser.fileTooLarge() ? api::error(Err::ImageFileTooLarge) : st.error();
      parts = std::move(parser.parts());
    }
  }

  std::vector<std::string> seen;
  json::object bracket_meta;
  bool have_json_meta = false;
  for (auto& p : parts) {
    if (auto path = bracketPath(p.name)) {
      if (kind == FormKind::kClientUpload) return bad("unexpected field " + p.name);
      json::object* at = &bracket_meta;
      for (size_t i = 0; i + 1 < path->size(); ++i) {
        json::value& next = (*at)[(*path)[i]];
        if (!next.is_object()) next = json::object();
        at = &next.as_object();
      }
      (*at)[path->back()] = p.data;
      continue;
    }
    for (const auto& s : seen)
      if (s == p.name) return bad("duplicate field " + p.name);
    seen.push_back(p.name);
    const bool client = kind == FormKind::kClientUpload;
    const bool direct = kind == FormKind::kDirectUpload;
    if (p.name == "file" && !direct) {
      in.filename = p.filename.value_or("");
      if (in.filename.size() > 255) in.filename.resize(255);
      in.file = std::move(p.data);
    } else if (p.name == "url" && kind == FormKind::kUpload) {
      in.url = std::move(p.data);
    } else if (p.name == "id" && !client) {
      in.id = std::move(p.data);
    } else if (p.name == "metadata" && !client) {
      boost::system::error_code ec;
      json::value parsed = json::parse(p.data, ec);
      if (ec || !parsed.is_object()) return bad("metadata must be a JSON object");
      in.metadata = parsed.as_object();
      have_json_meta = true;
    } else if (p.name == "requireSignedURLs" && !client) {
      auto b = readBool("requireSignedURLs", p.data);
      if (!b) return b.error();
      in.require_signed = *b;
    } else if (p.name == "creator" && !client) {
      if (p.data.size() > kMaxCreatorBytes) return bad("creator must be at most 1024 bytes");
      in.creator = std::move(p.data);
    } else if (p.name == "expiry" && direct) {
      auto t = timeutil::parse(p.data);
      if (!t) return bad("expiry must be an RFC 3339 date-time, e.g. 2026-01-02T15:04:05Z");
      in.expiry_micros = *t;
    } else {
      return bad("unexpected field " + p.name);
    }
  }
  if (!bracket_meta.empty()) {
    if (have_json_meta) return bad("metadata given both as JSON and as metadata[...] fields");
    in.metadata = std::move(bracket_meta);
  }
  if (auto st = checkMetadata(in.metadata); !st) return st.error();
  if (kind == FormKind::kUpload) {
    if (in.file && in.url) return bad("file and url are mutually exclusive; send one");
    if (!in.file && !in.url) return bad("an image is required: send a file field or a url field");
  }
  if (kind == FormKind::kClientUpload && !in.file)
    return bad("the upload must be multipart/form-data with the image in a field named file");
  return in;
}

}  // namespace nubis::images
