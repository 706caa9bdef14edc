#include "images/pipeline/probe.h"

#include <algorithm>
#include <exception>
#include <new>
#include <string>

#include "images/pipeline/gif_scan.h"
#include "images/pipeline/limits_check.h"
#include "images/pipeline/source.h"
#include "images/pipeline/svg_root.h"
#include "images/pipeline/vips_util.h"

namespace nubis::images::pipeline {
namespace {

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

// Decodes every pixel once, sequentially, with fail_on=error, and throws the result away
// (vips_avg is the cheapest sink that pulls the whole image through). See probe.h for why each
// format is opened the way it is.
void decodeOnce(const detail::Source& src, const detail::BorrowedBlob& blob) {
  vips::VOption* options = vips::VImage::option()
                               ->set("access", VIPS_ACCESS_SEQUENTIAL)
                               ->set("fail_on", VIPS_FAIL_ON_ERROR);
  switch (src.format) {
    case Format::kJpeg: {
      int shrink = detail::jpegShrink(src.width, src.height, 8);
      if (shrink > 1) options->set("shrink", shrink);
      break;
    }
    case Format::kWebp:
      if (src.pages > 1) {
        options->set("n", -1);
      } else if (std::min(src.width, src.height) >= 64) {
        options->set("scale", 0.125);
      }
      break;
    case Format::kGif:
      if (src.pages > 1) options->set("n", -1);
      break;
    default:
      break;
  }
  (void)detail::loadAs(src.format, blob, options).avg();
}

// libnsgif drops a cut-off frame without a word (gif_scan.h), so GIF gets a structural check.
bool gifIsCut(std::string_view bytes) {
  detail::GifEnd end = detail::scanGif(bytes);
  return end == detail::GifEnd::kTruncated || end == detail::GifEnd::kMalformed;
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
  if (format == Format::kGif && gifIsCut(bytes)) {
    return fail(Failure::kCorrupt, "GIF data is truncated: it ends inside a block");
  }
  try {
    decodeOnce(src, blob);
  } catch (const vips::VError& e) {
    return fail(Failure::kCorrupt, std::string(kindName(format)) +
                                       " data is truncated or damaged: " + detail::errorText(e));
  }
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
