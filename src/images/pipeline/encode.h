// The encoders, one setting table for all outputs. Throws vips::VError.
//
// Quality: `quality` 1..100 (85 unless given). JPEG and WebP use it as is (WebP at 100 is
// lossless, as Cloudflare documents). AVIF at the same number looks much better and costs much
// more, so it is mapped down: avifQuality(85) = 60, linear below, and 86..100 climbs to 100.
// PNG is lossless; a quality given explicitly switches to a quantised palette (PNG8), as
// Cloudflare does. AVIF uses effort 2 (libvips 0..9): AVIF is an order of magnitude slower than
// the rest, and the browsers that ask for it decode any effort alike.
#pragma once

#include <string>
#include <vips/vips8>

#include "images/pipeline/format.h"

namespace nubis::images::pipeline::detail {

inline constexpr int kDefaultQuality = 85;
inline constexpr int kAvifEffort = 2;
inline constexpr int kWebpEffort = 4;

struct EncodeParams {
  Format format = Format::kJpeg;
  bool progressive = false;  // JPEG
  int quality = kDefaultQuality;
  bool quality_given = false;  // PNG: palette output
  bool strip = true;           // drop all metadata
};

int avifQuality(int quality);

std::string encode(const vips::VImage& image, const EncodeParams& p);

}  // namespace nubis::images::pipeline::detail
