// Helpers for steps that must leave the alpha band alone (tone, sharpen) or keep 8-bit sRGB.
#pragma once

#include <optional>
#include <vips/vips8>

namespace nubis::images::pipeline::detail {

struct SplitFrame {
  vips::VImage colour;                // the 3 sRGB bands
  std::optional<vips::VImage> alpha;  // band 4, if any
};

inline SplitFrame splitAlpha(const vips::VImage& frame) {
  if (!frame.has_alpha()) return {frame, std::nullopt};
  return {frame.extract_band(0, vips::VImage::option()->set("n", frame.bands() - 1)),
          frame.extract_band(frame.bands() - 1)};
}

// Back to 8-bit sRGB, with the alpha band (if any) appended again.
inline vips::VImage joinAlpha(const vips::VImage& colour,
                              const std::optional<vips::VImage>& alpha) {
  vips::VImage c = colour.format() == VIPS_FORMAT_UCHAR ? colour : colour.cast(VIPS_FORMAT_UCHAR);
  if (alpha)
    c = c.bandjoin(alpha->format() == VIPS_FORMAT_UCHAR ? *alpha : alpha->cast(VIPS_FORMAT_UCHAR));
  return c.copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

}  // namespace nubis::images::pipeline::detail
