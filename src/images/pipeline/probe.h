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
// (kAnimationTooLarge); a full-size decode needing more than the whole decode budget
// (kTooManyPixels: memory_budget.h, decode_cost.h; in practice HEIC/AVIF over about 57 MP,
// WebP over 64 MP, progressive 4:4:4 JPEG over 89 MP); pixel data that stops before the image
// does, goes on past it, or is damaged (kCorrupt; JPEG: by structure only, see below); and kBusy
// when a check decode below cannot get its share of the decode budget within a second.
//
// Cost: the limits are checked from the header alone, before any pixel is decoded, so a
// decompression bomb (a PNG whose IHDR claims 100000 x 100000) is refused in microseconds. Only
// an image within every limit has its data checked, because a truncated file has a perfectly
// good header, and the check never allocates the image a hostile header claims:
//  - PNG: not decoded at all. The chunks are walked and the image data inflated through a
//    64 KB buffer and counted against the exact size the header implies (png_check.h): a 1x1
//    image whose data inflates to 4 GB is refused at its third byte.
//  - JPEG: not decoded. The markers are walked and each scan measured against the frame
//    (jpeg_scan.h: a scan cannot be shorter than a bit or two a block; the file must reach EOI),
//    so a file cut short, or a header claiming far more than its scans hold, is refused. Damage
//    inside otherwise complete scan data (bytes flipped or cut out in the middle) is not looked
//    for: only a full Huffman decode sees it, which would be most of an upload's cost (5 MB:
//    ~35 ms of CPU, against ~15 ms for everything else). Such a file renders as libvips'
//    loader and browsers show it, grey or garbled where data is missing.
//  - GIF: each frame's LZW codes are counted against width x height (gif_scan.h), then the
//    file is decoded once by libvips with fail_on=error, every frame.
//  - WebP (at scale 1/8, animations every frame at full size) and HEIF (full size): decoded
//    once by libvips with fail_on=error.
// Every decode streams or holds its estimate of the decode budget while it runs; the result is
// thrown away (vips_avg pulls the pixels through).
//
// SVG is not handed to librsvg: the root element's width/height/viewBox are read here (see
// svg_root.h) and pixel limits do not apply, since SVG is never rasterised.
Outcome<ProbeInfo> probe(std::string_view bytes, const Limits& limits = Limits{});

}  // namespace nubis::images::pipeline
