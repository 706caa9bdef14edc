#include "images/pipeline/decode_cost.h"

#include "images/pipeline/jpeg_scan.h"
#include "images/pipeline/png_check.h"
#include "images/pipeline/png_decode.h"

namespace nubis::images::pipeline::detail {

uint64_t decodeHeldBytes(std::string_view bytes, const Source& src, int width, int height) {
  const uint64_t pixels = static_cast<uint64_t>(width) * static_cast<uint64_t>(height);
  switch (src.format) {
    case Format::kJpeg:
      return jpegCoefficientBytes(scanJpeg(bytes).layout);
    case Format::kPng: {
      PngHeader h;
      if (!readPngHeader(bytes, h) || !h.interlaced) return 0;
      return interlacedPngBytes(h, src.alpha);
    }
    case Format::kGif:
      // libnsgif keeps one frame buffer, decoding frame after frame into it.
      return pixels * 5;
    case Format::kWebp:
      // An animation is composed on a canvas while the next frame decodes: the same order.
      return pixels * 8;
    case Format::kAvif:
    case Format::kHeic:
      return pixels * 9;
    case Format::kSvg:
    case Format::kUnknown:
      break;
  }
  return 0;
}

}  // namespace nubis::images::pipeline::detail
