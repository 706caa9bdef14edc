// probe(): the upload gate. Decides whether bytes are an image Nubis accepts (IMAGES.md A.2,
// A.11) and reads what the Images API stores about it, without trusting the header alone.
//
// Thread-safe once initVips() has run; each call uses only its own libvips objects.
#pragma once

#include <cstdint>
#include <string_view>

#include "images/pipeline/format.h"
#include "images/pipeline/outcome.h"

namespace nubis::images::pipeline {

// Cloudflare's hosted-image limits (IMAGES.md A.11) as defaults; configurable per deployment.
struct Limits {
  uint64_t max_bytes = 10 * 1024 * 1024;    // whole upload, in bytes
  int max_side = 12000;                     // width and height, in pixels
  int64_t max_area = 100'000'000;           // width x height of one frame
  int64_t max_animation_area = 50'000'000;  // width x height x frames, animated images only
  int max_frames = 1000;                    // frames of an animation (each is processed
                                            // separately when rendering); 0 = no limit
};

struct ProbeInfo {
  Format format = Format::kUnknown;
  // As displayed: EXIF orientations 5..8 swap the stored width and height. SVG: the declared
  // size in CSS pixels, 0 when the document does not say (see svg_root.h).
  int width = 0;
  int height = 0;
  int frames = 1;          // > 1 only for animated GIF/WebP
  bool has_alpha = false;  // SVG: true (transparent unless it paints a background)
  int orientation = 1;     // EXIF 1..8 as stored (1 when absent); render() applies it
};

// Refuses, in this order: over max_bytes (kTooLarge); unknown magic bytes, TIFF, BMP, text
// (kUnsupportedFormat); a header libvips cannot read (kCorrupt; HEIC/AVIF that libheif has no
// decoder for: kUnsupportedFormat); a side over max_side or the area over max_area
// (kTooManyPixels); frames x area over max_animation_area or frames over max_frames
// (kAnimationTooLarge); pixel data that does not decode to the end (kCorrupt).
//
// Cost: the limits are checked from the header alone, before any pixel is decoded, so a
// decompression bomb (a PNG whose IHDR claims 100000 x 100000) is refused in microseconds. Only
// an image within every limit is then decoded once, sequentially, with fail_on=error and its
// result thrown away (an average is computed), because a truncated file has a perfectly good
// header: JPEG decodes with shrink=8 (libjpeg's DCT scaling still reads every entropy-coded byte,
// so truncation shows, at 1/64 of the pixel work; less for JPEGs under 64 px, see jpegShrink), WebP
// at scale 1/8, PNG/GIF/HEIF at full size (they have no cheaper way to reach the end of the data),
// animations with every frame. Memory stays at a few scanlines (sequential access), never the full
// image.
//
// SVG is not handed to librsvg: the root element's width/height/viewBox are read here (see
// svg_root.h) and pixel limits do not apply, since SVG is never rasterised.
Outcome<ProbeInfo> probe(std::string_view bytes, const Limits& limits = Limits{});

}  // namespace nubis::images::pipeline
