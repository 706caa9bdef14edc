// Decoding an interlaced PNG for render(), with a quarter of libvips' memory.
//
// An Adam7 image cannot be decoded row by row, and libvips 8.14 decodes it whole into memory at
// the file's depth (a valid 100 MP 16-bit RGBA file: 800 MB) before converting to the 8 bits the
// pipeline renders with. Two things make that 200 MB here:
//  - libpng converts while decoding: 16-bit samples keep their high byte (as libvips' RGB16 ->
//    sRGB conversion does), palettes, low-bit grey and tRNS expand to 8-bit bands (as libvips'
//    loader does). At most 4 bytes a pixel.
//  - Passes 1 to 6 hold every even row and nothing else, pass 7 every odd row and nothing else.
//    So passes 1-6 are decoded up front into a buffer of the even rows, and pass 7 streams: the
//    image is generated in order, an even row copied from the buffer, an odd row decoded in
//    place. Half the raster is ever held.
// The result is a sequential image, like libvips' loader gives for a non-interlaced PNG.
// Non-interlaced PNGs stream through libvips and never come here.
//
// Thread-safe: each call has its own libpng state; the image it returns is read in order by
// one thread at a time (libvips' sequential access).
#pragma once

#include <cstdint>
#include <string_view>
#include <vips/vips8>

#include "images/pipeline/png_check.h"

namespace nubis::images::pipeline::detail {

// Bytes decodeInterlacedPng() holds: the even rows at 8 bits a sample.
uint64_t interlacedPngBytes(const PngHeader& h, bool alpha);

// The image as an 8-bit libvips image (B_W or sRGB, with alpha when the file has it), carrying
// the metadata libvips' loader read into `header` (ICC profile, EXIF, XMP, text, ...; `header`
// is the pngload image of the same bytes, opened but never decoded). Throws vips::VError when
// libpng fails up front; a failure in pass 7 fails the pipeline reading the image. `bytes` must
// outlive the returned image.
vips::VImage decodeInterlacedPng(std::string_view bytes, const vips::VImage& header);

}  // namespace nubis::images::pipeline::detail
