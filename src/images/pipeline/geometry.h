// The geometry of a render, computed before any pixel is touched: which size to decode at
// (shrink-on-load), what to trim, and how the fit mode (IMAGES.md A.6) crops or pads. Pure
// arithmetic, so render() can answer format=json without decoding and tests can check every fit
// mode as a table.
//
// Order of operations (each in the axes of the previous one):
//   displayed source (EXIF orientation applied) -> trim -> flip -> rotate -> resize -> crop / pad
// "width" and "height" of the options refer to the axes after rotate, as Cloudflare documents.
//
// Pure functions: safe from any thread.
#pragma once

#include <cstdint>
#include <optional>

#include "images/options/options.h"
#include "images/pipeline/outcome.h"

namespace nubis::images::pipeline::detail {

// Cloudflare refuses to enlarge an image past this many pixels on a side (error 9413,
// "The image enlarged too much ... maximum dimension allowed is 5000").
inline constexpr int kMaxEnlargedSide = 5000;
// The resized image before a cover crop may not exceed a source's area (IMAGES.md A.11).
inline constexpr int64_t kMaxResizeArea = 100'000'000;

struct Box {
  int x = 0, y = 0, width = 0, height = 0;
  bool operator==(const Box&) const = default;
};

// The fit step, in the axes after rotate.
struct Fit {
  int resize_width = 0, resize_height = 0;  // the image after resizing
  std::optional<Box> crop;                  // a region of the resized image
  bool smart_crop = false;                  // gravity=auto: the crop is placed by attention;
                                            // crop->x/y hold the centred fallback
  std::optional<Box> pad;                   // canvas (width x height) and the image's place
  int width = 0, height = 0;                // the output
};

// Fits a src_width x src_height image (already trimmed and rotated) into the options' box.
// Fails with kTooLarge when the output is larger than the source on an axis and longer than
// kMaxEnlargedSide on a side, or when a cover resize would exceed kMaxResizeArea.
Outcome<Fit> planFit(int src_width, int src_height, const TransformOptions& o);

struct Plan {
  int source_width = 0, source_height = 0;  // displayed source
  Trim trim;                                // clamped: at least 1 px is left on each axis
  int rotate = 0;                           // 0, 90, 180, 270 (other values: 0)
  // What the loader is asked for (vips_thumbnail, size=force, in displayed axes): the whole
  // source scaled so that the trimmed region lands exactly on the size the fit step needs.
  int load_width = 0, load_height = 0;
  Box trim_box;  // the region of the loaded image to keep (all of it without trim)
  Fit fit;
  int width() const { return fit.width; }
  int height() const { return fit.height; }
};

Outcome<Plan> makePlan(int displayed_width, int displayed_height, const TransformOptions& o);

}  // namespace nubis::images::pipeline::detail
