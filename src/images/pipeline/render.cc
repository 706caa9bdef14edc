#include "images/pipeline/render.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <exception>
#include <new>
#include <optional>
#include <string>
#include <utility>

#include "images/pipeline/decode_cost.h"
#include "images/pipeline/encode.h"
#include "images/pipeline/geometry.h"
#include "images/pipeline/jpeg_to_size.h"
#include "images/pipeline/limits_check.h"
#include "images/pipeline/memory_budget.h"
#include "images/pipeline/metadata.h"
#include "images/pipeline/negotiate.h"
#include "images/pipeline/png_decode.h"
#include "images/pipeline/source.h"
#include "images/pipeline/steps.h"
#include "images/pipeline/vips_util.h"

namespace nubis::images::pipeline {
namespace {

using detail::Plan;
using detail::Source;

// format=json: the miniflare mock's shape (IMAGES.md A.9). The original's size is as displayed
// (EXIF orientation applied), like every size the pipeline reports.
std::string jsonInfo(const Plan& plan, const Source& src, size_t file_size) {
  return "{\"width\":" + std::to_string(plan.width()) +
         ",\"height\":" + std::to_string(plan.height()) +
         ",\"original\":{\"file_size\":" + std::to_string(file_size) +
         ",\"width\":" + std::to_string(src.displayedWidth()) +
         ",\"height\":" + std::to_string(src.displayedHeight()) + ",\"format\":\"" +
         std::string(mimeType(src.format)) + "\"}}";
}

// The ratio by which the decoder may shrink: the smaller of the two axes' ratios, so that
// neither is decoded below its target. The load size is in displayed axes, the decoder's in
// stored ones: orientations 5..8 are turned a quarter.
double loadShrink(const Source& src, const Plan& plan) {
  const bool swap = src.orientation >= 5;
  const int target_w = swap ? plan.load_height : plan.load_width;
  const int target_h = swap ? plan.load_width : plan.load_height;
  return std::min(static_cast<double>(src.width) / target_w,
                  static_cast<double>(src.height) / target_h);
}

// The load size in stored axes: orientations 5..8 are turned a quarter.
std::pair<int, int> storedLoadSize(const Source& src, const Plan& plan) {
  if (src.orientation >= 5) return {plan.load_height, plan.load_width};
  return {plan.load_width, plan.load_height};
}

// A JPEG reduced while decoding (jpeg_to_size.h), then turned upright and converted to sRGB as
// vips_thumbnail_image would; nullopt where that path does not apply and libvips' loader does.
std::optional<vips::VImage> jpegToLoadSize(std::string_view original,
                                           const detail::BorrowedBlob& blob, const Source& src,
                                           const Plan& plan, bool animated) {
  if (src.format != Format::kJpeg || animated) return std::nullopt;
  const auto [width, height] = storedLoadSize(src, plan);
  if (width > src.width || height > src.height) return std::nullopt;  // enlarging
  const vips::VImage header = detail::loadAs(
      src.format, blob, vips::VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL));
  std::optional<vips::VImage> img = detail::decodeJpegToSize(
      original, header, width, height, detail::decodeBudget().capacity());
  if (!img) return std::nullopt;
  vips::VImage out = img->autorot();
  if (src.icc) {
    out = out.icc_transform("srgb", vips::VImage::option()->set("embedded", true));
  }
  return out;
}

// Decode at the plan's load size. The loader is the one for the sniffed format (never libvips'
// own detection, which can disagree with our magic-byte rules, e.g. an ISO-BMFF file whose AVIF
// brand is only a compatible brand), with shrink-on-load where the codec has one; then
// vips_thumbnail_image resizes to exactly the load size, applies the EXIF orientation and
// converts an embedded ICC profile to sRGB (CMYK without a profile goes through libvips'
// built-in CMYK profile in its colourspace step).
vips::VImage load(std::string_view original, const detail::BorrowedBlob& blob, const Source& src,
                  const Plan& plan, bool animated) {
  const double shrink = loadShrink(src, plan);
  vips::VImage in;
  if (src.format == Format::kPng && detail::isInterlacedPng(original)) {
    // libvips would hold the whole raster at the file's depth (png_decode.h). The pngload image
    // passed along is only its header, for the metadata: it is never decoded.
    in = detail::decodeInterlacedPng(
        original,
        detail::loadAs(src.format, blob,
                       vips::VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL)));
  } else if (auto direct = jpegToLoadSize(original, blob, src, plan, animated)) {
    return *direct;
  } else {
    vips::VOption* o = vips::VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL);
    if (src.format == Format::kJpeg) {
      // libjpeg's DCT scaling: the largest factor that keeps the decode at or above the target.
      // libvips 8.14's thumbnail keeps a further 2x margin; without it a 12 MP photo going to
      // 1024 px decodes at 3 MP instead of 12 MP (bench: 101 -> 62 ms per image), and the final
      // resize still filters properly since the decode is never below the target.
      const int jpeg_shrink = detail::jpegShrink(src.width, src.height,
                                                 shrink >= 8   ? 8
                                                 : shrink >= 4 ? 4
                                                 : shrink >= 2 ? 2
                                                               : 1);
      if (jpeg_shrink > 1) o->set("shrink", jpeg_shrink);
    } else if (src.format == Format::kWebp && shrink > 1) {
      o->set("scale", 1.0 / shrink);  // libwebp scales while decoding
    }
    // PNG and GIF have no shrink-on-load; HEIF decodes whole (its embedded thumbnail is rarely
    // large enough for a variant, and libheif's decode dominates anyway).
    if (animated) o->set("n", -1);
    in = detail::loadAs(src.format, blob, o);
  }

  vips::VOption* t =
      vips::VImage::option()->set("height", plan.load_height)->set("size", VIPS_SIZE_FORCE);
  // Only with an embedded profile: for plain sRGB sources the export is a costly no-op.
  if (src.icc) t->set("export_profile", "srgb");
  return in.thumbnail_image(plan.load_width, t);
}

// Every frame as 8-bit sRGB with 3 bands, or 4 with alpha: what the steps expect.
vips::VImage normalise(vips::VImage img) {
  if (img.interpretation() != VIPS_INTERPRETATION_sRGB || img.bands() < 3) {
    img = img.colourspace(VIPS_INTERPRETATION_sRGB);
  }
  if (img.bands() > 4) img = img.extract_band(0, vips::VImage::option()->set("n", 4));
  if (img.format() != VIPS_FORMAT_UCHAR) img = img.cast(VIPS_FORMAT_UCHAR);
  return img;
}

// Steps that read a frame out of order (rotate, vertical flip, attention, per-frame splitting)
// cannot run on a sequential decode; the loaded image is at output scale, so a memory copy is
// cheap there. Everything else streams.
bool needsRandomAccess(const TransformOptions& o, const Plan& plan, bool animated) {
  return animated || plan.rotate != 0 || o.flip_v || (plan.fit.crop && plan.fit.smart_crop);
}

// What this render holds at once, for the decode budget: the decode (decode_cost.h) and, when a
// step needs random access, the in-memory copy of the loaded image (8-bit, at most 4 bands,
// every frame of an animation).
uint64_t heldBytes(std::string_view original, const Source& src, const Plan& plan,
                   const TransformOptions& options, bool animated) {
  int width = src.width, height = src.height;
  const double shrink = loadShrink(src, plan);
  if (src.format == Format::kWebp && shrink > 1) {
    width = static_cast<int>(std::ceil(width / shrink));
    height = static_cast<int>(std::ceil(height / shrink));
  }
  uint64_t bytes = detail::decodeHeldBytes(original, src, width, height);
  if (needsRandomAccess(options, plan, animated)) {
    bytes += static_cast<uint64_t>(plan.load_width) * static_cast<uint64_t>(plan.load_height) * 4 *
             static_cast<uint64_t>(animated ? src.pages : 1);
  }
  return bytes;
}

Outcome<Rendered> renderRaster(std::string_view original, Format format,
                               const TransformOptions& options, Accept accept,
                               const Limits& limits) {
  detail::BorrowedBlob blob(original);
  Source src;
  try {
    src = detail::inspect(format, blob);
  } catch (const vips::VError& e) {
    return fail(Failure::kCorrupt, "image header cannot be read: " + detail::errorText(e));
  }
  const bool animated = src.pages > 1 && options.anim;
  if (auto refused = detail::checkPixels(src.width, src.height, animated ? src.pages : 1, limits)) {
    return std::move(*refused);
  }

  auto planned = detail::makePlan(src.displayedWidth(), src.displayedHeight(), options);
  if (!planned) return std::move(planned).error();
  const Plan& plan = *planned;

  if (options.format == OutputFormat::kJson) {
    return Rendered{jsonInfo(plan, src, original.size()), Format::kUnknown, plan.width(),
                    plan.height()};
  }
  const bool pad_alpha = plan.fit.pad && options.background && options.background->a < 255;
  const detail::OutputChoice out =
      detail::chooseOutput(format, options.format, accept, plan.width(), plan.height(), animated,
                           src.alpha || pad_alpha);
  if (out.animated) {
    // The output's frames count too: enlarging an animation multiplies its cost by its frames.
    const int64_t total = static_cast<int64_t>(plan.width()) * plan.height() * src.pages;
    if (total > limits.max_animation_area) {
      return fail(Failure::kAnimationTooLarge,
                  "output animation would have " + std::to_string(src.pages) + " frames of " +
                      std::to_string(plan.width()) + "x" + std::to_string(plan.height()) +
                      " px, over the animation area limit");
    }
  }

  const uint64_t held = heldBytes(original, src, plan, options, out.animated);
  detail::MemoryBudget& budget = detail::decodeBudget();
  if (!budget.fits(held)) {
    return fail(Failure::kTooManyPixels,
                "rendering this image needs about " + std::to_string(held >> 20) +
                    " MB at once; at most " + std::to_string(budget.capacity() >> 20) +
                    " MB are allowed");
  }
  // Declared before every image, so that it is given back only after their pixels are freed.
  std::optional<detail::MemoryBudget::Lease> lease = budget.acquire(held);
  if (!lease) return fail(Failure::kBusy, "other large images are being decoded; retry shortly");

  vips::VImage img = normalise(load(original, blob, src, plan, out.animated));
  if (needsRandomAccess(options, plan, out.animated)) img = img.copy_memory();
  const detail::StepContext ctx{options, plan, out.format, out.animated};
  img = detail::runSteps(img, detail::kSteps, ctx);

  detail::PreparedMetadata meta = detail::prepareMetadata(
      img, detail::effectivePolicy(options.metadata, out.format), out.format);
  detail::EncodeParams params;
  params.format = out.format;
  params.progressive = out.progressive;
  params.quality = options.quality.value_or(detail::kDefaultQuality);
  params.quality_given = options.quality.has_value();
  params.strip = meta.strip;
  return Rendered{detail::encode(meta.image, params), out.format, plan.width(), plan.height()};
}

}  // namespace

Outcome<Rendered> render(std::string_view original, const ProbeInfo& info,
                         const TransformOptions& options, Accept accept) {
  return render(original, info, options, accept, Limits{});
}

Outcome<Rendered> render(std::string_view original, const ProbeInfo& info,
                         const TransformOptions& options, Accept accept, const Limits& limits) {
  // The bytes decide: a stale or partly filled ProbeInfo must not send them to the wrong decoder.
  const Format format = sniff(original);
  if (format == Format::kSvg || (format == Format::kUnknown && info.format == Format::kSvg)) {
    return fail(Failure::kNotRenderable,
                "SVG is never rasterised: it is served sanitised, whatever the variant");
  }
  if (format == Format::kUnknown) {
    return fail(Failure::kUnsupportedFormat, "the stored bytes are not a supported raster image");
  }
  try {
    return renderRaster(original, format, options, accept, limits);
  } catch (const vips::VError& e) {
    return fail(Failure::kInternal, "libvips: " + detail::errorText(e));
  } catch (const std::bad_alloc&) {
    return fail(Failure::kInternal, "out of memory while rendering");
  } catch (const std::exception& e) {
    return fail(Failure::kInternal, e.what());
  }
}

}  // namespace nubis::images::pipeline
