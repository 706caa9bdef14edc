// What a decode holds in memory at once, estimated from the header, for the decode budget
// (memory_budget.h). Shared by probe() (its check decode) and render() (its decode plus any
// whole-image copy), so an image probe() accepts is one render() can afford.
//
// Per format, what cannot stream (the factors were measured with libvips 8.14 on Debian 12:
// peak RSS of a sequential decode of a 12 MP file, minus that of a baseline JPEG of the same
// size, rounded up):
//   JPEG, one sequential scan     0 (libjpeg streams by MCU row)
//   JPEG, progressive/multi-scan  libjpeg's coefficient arrays (jpegCoefficientBytes): 3 B/px at
//                                 4:2:0, 6 B/px at 4:4:4
//   PNG, not interlaced           0 (libpng streams by row)
//   PNG, interlaced               the 8-bit raster of png_decode.h, 1 to 4 B/px
//   GIF                           5 B/px of the frame: libnsgif's RGBA frame buffer and more
//   WebP                          8 B/px at the decoded (scaled) size: libwebp's output and
//                                 libvips' copy
//   AVIF/HEIC                     9 B/px: libheif's planes, its interleaved output, libvips' copy
//
// Pure functions, safe from any thread.
#pragma once

#include <cstdint>
#include <string_view>

#include "images/pipeline/source.h"

namespace nubis::images::pipeline::detail {

// Bytes the decode of `bytes` (whose header `src` describes) holds at once, when the decoder
// produces frames of `width` x `height` (WebP scales while decoding; everything else produces
// src's size). An animation decodes one frame at a time, so its frame count does not matter.
uint64_t decodeHeldBytes(std::string_view bytes, const Source& src, int width, int height);

}  // namespace nubis::images::pipeline::detail
