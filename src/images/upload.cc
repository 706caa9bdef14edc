// Upload paths: file or URL (POST …/images/v1), direct creator upload (draft, then the one-time
// POST to its uploadURL). An upload is acknowledged only after its bytes are durable (BlobStore
// fsyncs file and directory) and its row is committed.
#include <boost/json/serialize.hpp>

#include "api/errors.h"
#include "base/ids.h"
#include "images/custom_id.h"
#include "images/images_service.h"
#include "images/internal.h"
#include "images/options/svg_sanitize.h"

namespace nubis::images {
namespace json = boost::json;
using api::Err;

namespace {
constexpr int64_t kMinute = 60LL * 1000000;

ApiError bad(std::string message) { return api::error(Err::ImageBadRequest, message); }

// The last path segment of a URL, as the filename of an image fetched from it.
std::string filenameFromUrl(std::string_view url) {
  size_t q = url.find_first_of("?#");
  std::string_view path = url.substr(0, q);
  size_t slash = path.rfind('/');
  std::string name(slash == std::string_view::npos ? path : path.substr(slash + 1));
  if (name.size() > 255) name.resize(255);
  return name;
}
}  // namespace

std::string_view formatName(pipeline::Format f) {
  switch (f) {
    case pipeline::Format::kJpeg: return "jpeg";
    case pipeline::Format::kPng: return "png";
    case pipeline::Format::kGif: return "gif";
    case pipeline::Format::kWebp: return "webp";
    case pipeline::Format::kSvg: return "svg";
    case pipeline::Format::kAvif: return "avif";
    case pipeline::Format::kHeic: return "heic";
    default: return "";
  }
}

pipeline::Format formatFromName(std::string_view name) {
  for (auto f : {pipeline::Format::kJpeg, pipeline::Format::kPng, pipeline::Format::kGif,
                 pipeline::Format::kWebp, pipeline::Format::kSvg, pipeline::Format::kAvif,
                 pipeline::Format::kHeic})
    if (formatName(f) == name) return f;
  return pipeline::Format::kUnknown;
}

ApiError uploadError(const pipeline::Error& e) {
  using F = pipeline::Failure;
  switch (e.kind) {
    case F::kUnsupportedFormat: return api::error(Err::ImageContentType);
    case F::kCorrupt: return api::error(Err::ImageDecode, e.message);
    case F::kTooLarge: return api::error(Err::ImageFileTooLarge);
    case F::kTooManyPixels: return api::error(Err::ImageTooManyPixels, e.message);
    case F::kAnimationTooLarge: return api::error(Err::AnimationTooLarge, e.message);
    case F::kBusy: return api::error(Err::ImagesBusy);
    default: return ApiError::internal("image pipeline: " + e.message);
  }
}

std::mutex& ImagesService::stripe(const std::string& content_hash) {
  size_t h = std::hash<std::string>{}(content_hash);
  return stripes_[h % (sizeof stripes_ / sizeof stripes_[0])];
}

Result<store::ImageRow> ImagesService::ingest(const std::string& account_id, store::ImageRow row,
                                              UploadInput& in, bool complete_draft) {
  std::string bytes;
  if (in.url) {
    auto fetched = fetchUrl(*in.url, settings_.fetch);
    if (auto* err = std::get_if<FetchError>(&fetched)) {
      if (err->kind == FetchError::Kind::kTooLarge) return api::error(Err::ImageFileTooLarge);
      return api::error(Err::UrlFetchFailed, "Failed to fetch the image from url: " + err->message);
    }
    bytes = std::move(std::get<Fetched>(fetched).body);
    row.filename = filenameFromUrl(*in.url);
  } else {
    bytes = std::move(*in.file);
    row.filename = in.filename;
  }
  if (bytes.size() > settings_.limits.max_bytes) return api::error(Err::ImageFileTooLarge);
  if (!complete_draft) {
    // stats.count.allowed is a limit, as the storage bought on Cloudflare is.
    auto count = images_.countImages(account_id);
    if (!count) return count.error();
    if (*count >= settings_.allowance)
      return api::error(Err::ImageAllowance, std::to_string(settings_.allowance) + " images");
  }
  auto info = pipeline::probe(bytes, settings_.limits);
  if (!info) return uploadError(info.error());
  if (info->format == pipeline::Format::kSvg) {
    // Every variant of an SVG is its sanitised form: one that cannot be sanitised could be
    // stored but never served, so it is refused now.
    std::string why;
    if (!sanitizeSvg(bytes, &why)) return api::error(Err::ImageDecode, "SVG: " + why);
  }
  row.format = std::string(formatName(info->format));
  row.width = info->width;
  row.height = info->height;
  row.frames = info->frames;
  row.size = static_cast<int64_t>(bytes.size());
  row.uploaded = clock_.nowMicros();

  // The bytes are durable before the row that points at them is committed; a crash in between
  // leaves an unreferenced file, never a row without its bytes.
  auto hash = blobs_.put(bytes);
  if (!hash) return hash.error();
  row.content_hash = *hash;
  std::lock_guard lock(stripe(*hash));
  if (complete_draft) {
    auto done = images_.completeDraft(row);
    if (!done) return done.error();
    if (!*done) return api::error(Err::DirectUploadUsed);
    row.draft = false;
  } else {
    auto inserted = images_.insertImage(row);
    if (!inserted) return inserted.error();
    if (!*inserted) {
      auto refs = images_.countBlobRefs(*hash);
      if (refs && *refs == 0) (void)blobs_.remove(*hash);
      return api::error(Err::ImageExists);
    }
  }
  return row;
}

Result<store::ImageRow> ImagesService::newRow(const std::string& account_id,
                                              const UploadInput& in) {
  store::ImageRow row;
  row.account_id = account_id;
  if (in.id) {
    if (std::string why = customIdProblem(*in.id); !why.empty())
      return api::error(Err::CustomIdInvalid, why);
    if (in.require_signed) return api::error(Err::CustomIdPrivate);
    row.id = *in.id;
  } else {
    std::lock_guard lock(rng_mu_);
    row.id = ids::newUuid(rng_);
  }
  row.meta_json = json::serialize(in.metadata);
  row.creator = in.creator;
  row.require_signed = in.require_signed;
  return row;
}

Result<store::ImageRow> ImagesService::upload(const std::string& account_id, UploadInput in) {
  if (auto st = ensureDefaults(account_id); !st) return st.error();
  auto row = newRow(account_id, in);
  if (!row) return row.error();
  return ingest(account_id, std::move(*row), in, false);
}

Result<json::object> ImagesService::createDirectUpload(const std::string& account_id,
                                                       UploadInput in) {
  if (auto st = ensureDefaults(account_id); !st) return st.error();
  const int64_t now = clock_.nowMicros();
  int64_t expiry = in.expiry_micros.value_or(now + 30 * kMinute);
  if (expiry < now + 2 * kMinute || expiry > now + 360 * kMinute)
    return bad("expiry must be between 2 minutes and 6 hours from now");
  auto made = newRow(account_id, in);
  if (!made) return made.error();
  store::ImageRow row = std::move(*made);
  row.draft = true;
  row.draft_expires = expiry;
  row.uploaded = now;
  auto inserted = images_.insertImage(row);
  if (!inserted) return inserted.error();
  if (!*inserted) return api::error(Err::ImageExists);
  auto hash = accountHash(account_id);
  if (!hash) return hash.error();
  return json::object{{"id", row.id},
                      {"uploadURL", delivery_base_ + "/upload/" + *hash + "/" + row.id}};
}

Result<store::ImageRow> ImagesService::completeDirectUpload(const std::string& account_hash,
                                                            const std::string& id,
                                                            UploadInput in) {
  auto account = accountByHash(account_hash);
  if (!account) return account.error();
  if (!*account) return api::error(Err::ImageNotFound);
  auto draft = images_.getImage((*account)->id, id);
  if (!draft) return draft.error();
  if (!*draft) return api::error(Err::ImageNotFound);
  if (!(*draft)->draft) return api::error(Err::DirectUploadUsed);
  if ((*draft)->draft_expires < clock_.nowMicros()) return api::error(Err::DirectUploadExpired);
  return ingest((*account)->id, **draft, in, true);
}

}  // namespace nubis::images
