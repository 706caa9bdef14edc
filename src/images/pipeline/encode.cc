#include "images/pipeline/encode.h"

#include <algorithm>
#include <cmath>

#include "images/pipeline/vips_util.h"
#include "images/pipeline/webp_strip.h"

namespace nubis::images::pipeline::detail {

int avifQuality(int quality) {
  quality = std::clamp(quality, 1, 100);
  double q = quality <= kDefaultQuality
                 ? quality * 60.0 / kDefaultQuality
                 : 60.0 + (quality - kDefaultQuality) * 40.0 / (100 - kDefaultQuality);
  return std::clamp(static_cast<int>(std::lround(q)), 1, 100);
}

std::string encode(const vips::VImage& image, const EncodeParams& p) {
  const int q = std::clamp(p.quality, 1, 100);
  using vips::VImage;
  switch (p.format) {
    case Format::kJpeg:
      return takeBlob(image.jpegsave_buffer(VImage::option()
                                                ->set("Q", q)
                                                ->set("interlace", p.progressive)
                                                ->set("optimize_coding", true)
                                                ->set("strip", p.strip)));
    case Format::kPng: {
      vips::VOption* o = VImage::option()->set("compression", 6)->set("strip", p.strip);
      if (p.quality_given) o->set("palette", true)->set("Q", q);
      return takeBlob(image.pngsave_buffer(o));
    }
    case Format::kWebp: {
      std::string webp = takeBlob(image.webpsave_buffer(VImage::option()
                                                            ->set("Q", q)
                                                            ->set("lossless", q == 100)
                                                            ->set("effort", kWebpEffort)
                                                            ->set("strip", p.strip)));
      return p.strip ? stripWebpMetadata(std::move(webp)) : webp;
    }
    case Format::kGif:
      return takeBlob(image.gifsave_buffer(VImage::option()->set("strip", true)));
    case Format::kAvif:
      return takeBlob(
          image.heifsave_buffer(VImage::option()
                                    ->set("compression", VIPS_FOREIGN_HEIF_COMPRESSION_AV1)
                                    ->set("Q", avifQuality(q))
                                    ->set("effort", kAvifEffort)
                                    ->set("strip", p.strip)));
    case Format::kSvg:
    case Format::kHeic:
    case Format::kUnknown:
      break;
  }
  throw vips::VError("no encoder for this output format");
}

}  // namespace nubis::images::pipeline::detail
