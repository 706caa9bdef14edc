#include "images/pipeline/negotiate.h"

#include <algorithm>
#include <cstdint>

namespace nubis::images::pipeline::detail {
namespace {

Format originalRule(Format original, bool has_alpha) {
  switch (original) {
    case Format::kJpeg:
    case Format::kPng:
    case Format::kGif:
    case Format::kWebp:
      return original;
    default:
      return has_alpha ? Format::kPng : Format::kJpeg;
  }
}

Format withoutAvif(Format original, Accept accept, bool has_alpha) {
  return accept.webp ? Format::kWebp : originalRule(original, has_alpha);
}

}  // namespace

bool progressiveJpeg(int width, int height) {
  int64_t area = static_cast<int64_t>(width) * height;
  return area >= 50 * 50 && area <= 3000 * 3000;
}

OutputChoice chooseOutput(Format original, OutputFormat requested, Accept accept, int width,
                          int height, bool animated, bool has_alpha) {
  const int longest = std::max(width, height);
  OutputChoice c;
  switch (requested) {
    case OutputFormat::kAvif:
      c.format = !animated && longest <= kAvifExplicitMaxSide
                     ? Format::kAvif
                     : withoutAvif(original, accept, has_alpha);
      break;
    case OutputFormat::kWebp:
      c.format = Format::kWebp;
      break;
    case OutputFormat::kJpeg:
    case OutputFormat::kBaselineJpeg:
      c.format = Format::kJpeg;
      break;
    case OutputFormat::kPng:
      c.format = Format::kPng;
      break;
    case OutputFormat::kAuto:
    case OutputFormat::kJson:
      c.format = accept.avif && !animated && longest <= kAvifAutoMaxSide
                     ? Format::kAvif
                     : withoutAvif(original, accept, has_alpha);
      break;
  }
  c.animated = animated && (c.format == Format::kGif || c.format == Format::kWebp);
  c.progressive = c.format == Format::kJpeg && requested != OutputFormat::kBaselineJpeg &&
                  progressiveJpeg(width, height);
  return c;
}

}  // namespace nubis::images::pipeline::detail
