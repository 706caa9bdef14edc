// render(): one variant of an accepted original, as bytes (IMAGES.md A.6, A.9).
//
// Runs on the calling thread (the Images layer calls it from its worker pool) and is
// thread-safe once initVips() has run: every call builds its own libvips pipeline, and libvips
// runs it with vips_concurrency_set() threads (1 by default: parallelism comes from requests).
#pragma once

#include <string>
#include <string_view>

#include "images/options/options.h"
#include "images/pipeline/accept.h"
#include "images/pipeline/format.h"
#include "images/pipeline/outcome.h"
#include "images/pipeline/probe.h"

namespace nubis::images::pipeline {

struct Rendered {
  std::string bytes;
  // The encoded format. format=json: Format::kUnknown, and `bytes` is the JSON document
  // (the caller answers it as application/json).
  Format format = Format::kUnknown;
  // The output size; for an animation, the size of one frame.
  int width = 0;
  int height = 0;
};

// What happens, in order (geometry.h has the arithmetic):
//  1. The header is read again (the stored bytes are the truth; of `info` only `format` is used,
//     and only when the bytes' magic agrees) and the animation limits are rechecked for
//     anim=true on GIF/WebP.
//  2. Take the decode's share of the decode budget (memory_budget.h, decode_cost.h): nothing
//     for decodes that stream, the estimate of what is held at once for the others, plus the
//     in-memory copy that rotate, vertical flip, smart crop and animations need. Decode with
//     shrink-on-load (JPEG at 1/2..1/8 scale in libjpeg, WebP scaled in libwebp; an interlaced
//     PNG through png_decode.h, half its raster at 8 bits instead of libvips' whole one),
//     then vips_thumbnail_image with size=force to exactly the size the fit needs, which also
//     applies the EXIF orientation and converts an embedded ICC profile to sRGB (CMYK without a
//     profile goes through libvips' built-in CMYK profile). The decoder is the one for the
//     sniffed format, as in probe(), never libvips' own detection.
//  3. Per frame: trim, flip, rotate (clockwise), fit (cover/crop extract at the gravity,
//     gravity=auto by attention; pad embeds on `background`, white by default), blur (Gaussian,
//     sigma = blur / 2), sharpen, brightness/contrast, gamma, saturation, then alpha flattened
//     on `background` for JPEG output (or whenever an opaque background is given).
//  4. Metadata: policy `options.metadata`, default copyright for JPEG and none otherwise;
//     copyright keeps only EXIF Copyright; WebP, PNG and GIF output never carry EXIF.
//  5. Encode (negotiate.h picks the format): JPEG progressive unless tiny or huge, quality 85
//     by default; WebP lossless at quality 100; PNG palette (PNG8) when a quality is given;
//     AVIF at effort 2 with quality mapped (85 -> 60, see encode.h).
//
// Failures: kNotRenderable for SVG; kTooLarge when the output would be enlarged past 5000 px;
// kAnimationTooLarge when an animation's frames exceed the limits; kTooManyPixels when the
// render would hold more than the whole decode budget; kBusy when its share of the budget is
// not free within a second (other large renders hold it: retry); kUnsupportedFormat for bytes
// that are no raster format; kInternal when libvips fails.
Outcome<Rendered> render(std::string_view original, const ProbeInfo& info,
                         const TransformOptions& options, Accept accept);
// The same with explicit limits (the animation recheck uses max_animation_area / max_frames,
// and max_side / max_area guard bytes that never went through probe()).
Outcome<Rendered> render(std::string_view original, const ProbeInfo& info,
                         const TransformOptions& options, Accept accept, const Limits& limits);

}  // namespace nubis::images::pipeline
