#include "images/pipeline/probe.h"

#include <algorithm>
#include <exception>
#include <new>
#include <string>

#include "images/pipeline/decode_cost.h"
#include "images/pipeline/gif_scan.h"
#include "images/pipeline/jpeg_scan.h"
#include "images/pipeline/limits_check.h"
#include "images/pipeline/memory_budget.h"
#include "images/pipeline/png_check.h"
#include "images/pipeline/source.h"
#include "images/pipeline/svg_root.h"
#include "images/pipeline/vips_util.h"

namespace nubis::images::pipeline {
namespace {

using detail::MemoryBudget;

std::string_view kindName(Format f) {
  switch (f) {
    case Format::kJpeg:
      return "JPEG";
    case Format::kPng:
      return "PNG";
    case Format::kGif:
      return "GIF";
    case Format::kWebp:
      return "WebP";
    case Format::kSvg:
      return "SVG";
    case Format::kAvif:
      return "AVIF";
    case Format::kHeic:
      return "HEIC";
    case Format::kUnknown:
      break;
  }
  return "unknown";
}

Outcome<ProbeInfo> probeSvg(std::string_view bytes) {
  auto root = detail::svgRootTag(bytes);
  if (!root) return fail(Failure::kCorrupt, "SVG root element <svg> is not well-formed");
  detail::SvgSize size = detail::svgSize(*root);
  ProbeInfo info;
  info.format = Format::kSvg;
  info.width = size.width;
  info.height = size.height;
  info.has_alpha = true;
  return info;
}

// A lease on the decode budget for a check decode that holds `bytes` at once (decode_cost.h).
// probeBytes() has already refused images whose full-size decode can never fit.
Outcome<MemoryBudget::Lease> reserve(uint64_t bytes) {
  auto lease = detail::decodeBudget().acquire(bytes);
  if (!lease) return fail(Failure::kBusy, "other large images are being decoded; retry shortly");
  return std::move(*lease);
}

// Decodes every pixel once, sequentially, with fail_on=error, and throws the result away
// (vips_avg is the cheapest sink that pulls the whole image through): GIF, WebP and HEIF, whose
// decoders report damage as errors. See probe.h for why each is opened the way it is.
Outcome<bool> decodeOnce(std::string_view bytes, const detail::Source& src,
                         const detail::BorrowedBlob& blob) {
  // WebP stills decode at 1/8 (libwebp scales while decoding); animations frame by frame.
  const bool scaled = src.format == Format::kWebp && src.pages == 1 &&
                      std::min(src.width, src.height) >= 64;
  const int width = scaled ? (src.width + 7) / 8 : src.width;
  const int height = scaled ? (src.height + 7) / 8 : src.height;
  auto lease = reserve(detail::decodeHeldBytes(bytes, src, width, height));
  if (!lease) return std::move(lease).error();

  vips::VOption* options = vips::VImage::option()
                               ->set("access", VIPS_ACCESS_SEQUENTIAL)
                               ->set("fail_on", VIPS_FAIL_ON_ERROR);
  if (src.pages > 1) options->set("n", -1);
  if (scaled) options->set("scale", 0.125);
  try {
    (void)detail::loadAs(src.format, blob, options).avg();
  } catch (const vips::VError& e) {
    return fail(Failure::kCorrupt, std::string(kindName(src.format)) +
                                       " data is truncated or damaged: " + detail::errorText(e));
  }
  return true;
}

// Structure only (jpeg_scan.h: a few ms for 5 MB, nothing allocated). The entropy-coded data
// is not decoded: that is a full Huffman decode, 60 % of a 5 MB upload's CPU, to find damage
// that libvips and browsers render through anyway (see probe.h).
Outcome<bool> checkJpeg(std::string_view bytes) {
  const detail::JpegScanResult scan = detail::scanJpeg(bytes);
  if (scan.verdict != detail::JpegScan::kOk) return fail(Failure::kCorrupt, scan.why);
  return true;
}

Outcome<bool> checkPng(std::string_view bytes) {
  const detail::PngCheck check = detail::checkPngData(bytes);
  if (check.verdict != detail::PngData::kComplete) return fail(Failure::kCorrupt, check.why);
  return true;
}

Outcome<bool> checkGif(std::string_view bytes, const detail::Source& src,
                       const detail::BorrowedBlob& blob) {
  // libnsgif drops a cut-off frame and fills a short one without a word (gif_scan.h).
  switch (detail::scanGif(bytes)) {
    case detail::GifEnd::kTruncated:
    case detail::GifEnd::kMalformed:
      return fail(Failure::kCorrupt, "GIF data is truncated: it ends inside a block");
    case detail::GifEnd::kShortFrame:
      return fail(Failure::kCorrupt,
                  "GIF frame data is truncated: it decodes to fewer pixels than the frame has");
    case detail::GifEnd::kTrailer:
    case detail::GifEnd::kCleanEnd:
      break;
  }
  return decodeOnce(bytes, src, blob);
}

Outcome<ProbeInfo> probeBytes(std::string_view bytes, const Limits& limits) {
  if (bytes.size() > limits.max_bytes) {
    return fail(Failure::kTooLarge, "file is " + std::to_string(bytes.size()) + " bytes; at most " +
                                        std::to_string(limits.max_bytes) + " bytes are allowed");
  }
  const Format format = sniff(bytes);
  if (format == Format::kUnknown) {
    return fail(Failure::kUnsupportedFormat,
                "not a JPEG, PNG, GIF, WebP, SVG, AVIF or HEIC image (by its first bytes)");
  }
  if (format == Format::kSvg) return probeSvg(bytes);

  detail::BorrowedBlob blob(bytes);
  detail::Source src;
  try {
    src = detail::inspect(format, blob);
  } catch (const vips::VError& e) {
    std::string why = detail::errorText(e);
    // libheif says "Unsupported feature" / "Unsupported codec" when it has no decoder for the
    // coding inside the container (e.g. HEVC without libde265): the file may be fine, we just
    // cannot read it, which is Cloudflare's "unsupported type", not a corrupt upload.
    if ((format == Format::kHeic || format == Format::kAvif) &&
        why.find("Unsupported") != std::string::npos) {
      return fail(Failure::kUnsupportedFormat,
                  std::string(kindName(format)) + " coding is not supported here: " + why);
    }
    return fail(Failure::kCorrupt,
                std::string(kindName(format)) + " header cannot be read: " + why);
  }
  if (auto refused = detail::checkPixels(src.width, src.height, src.pages, limits)) {
    return std::move(*refused);
  }
  // What a full-size render will have to hold (the public variant is the image at its own
  // size): an image that can never get that much of the decode budget is refused now rather
  // than stored and then never delivered.
  const uint64_t full_decode = detail::decodeHeldBytes(bytes, src, src.width, src.height);
  if (!detail::decodeBudget().fits(full_decode)) {
    return fail(Failure::kTooManyPixels,
                std::string(kindName(format)) + " of " + std::to_string(src.width) + "x" +
                    std::to_string(src.height) + " px needs about " +
                    std::to_string(full_decode >> 20) + " MB at once to decode; at most " +
                    std::to_string(detail::decodeBudget().capacity() >> 20) + " MB are allowed");
  }
  Outcome<bool> data = [&]() -> Outcome<bool> {
    switch (format) {
      case Format::kJpeg:
        return checkJpeg(bytes);
      case Format::kPng:
        return checkPng(bytes);
      case Format::kGif:
        return checkGif(bytes, src, blob);
      default:
        return decodeOnce(bytes, src, blob);
    }
  }();
  if (!data) return std::move(data).error();

  ProbeInfo info;
  info.format = format;
  info.width = src.displayedWidth();
  info.height = src.displayedHeight();
  info.frames = src.pages;
  info.has_alpha = src.alpha;
  info.orientation = src.orientation;
  return info;
}

}  // namespace

Outcome<ProbeInfo> probe(std::string_view bytes, const Limits& limits) {
  try {
    return probeBytes(bytes, limits);
  } catch (const std::bad_alloc&) {
    return fail(Failure::kInternal, "out of memory while checking the image");
  } catch (const std::exception& e) {
    return fail(Failure::kInternal, std::string("image check failed: ") + e.what());
  }
}

}  // namespace nubis::images::pipeline
