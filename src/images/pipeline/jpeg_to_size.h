// Decoding a JPEG straight to the size a render loads it at, without libvips' loader.
//
// libvips 8.14 shrinks a JPEG on load only by 2, 4 or 8 and then runs its scalar reduce on the
// rest. libjpeg-turbo can scale by any M/8 while decoding (its IDCT outputs M x M pixels per
// block, chroma sized so that no upsampling is left to do), so a 4000 px photo going to
// 1024 px is decoded at 3/8 (1500 px) rather than 1/2 (2000 px), and resample.h takes it the
// rest of the way, streaming: only a few rows of the source are ever held, whatever its size.
//
// Colour: YCbCr, RGB and grey files; CMYK/YCCK and grey files with an ICC profile go through
// libvips (nullopt). The image returned carries the header's metadata (EXIF orientation, ICC
// profile, XMP ...) for the caller to apply, as libvips' loader would.
//
// Thread-safe: each call has its own libjpeg state.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vips/vips8>

namespace nubis::images::pipeline::detail {

// The M of the M/8 scale at which a width x height JPEG decodes to at least target_width x
// target_height (8 when only full size will do), with libjpeg's rounding (ceil).
int jpegScaleEighths(int width, int height, int target_width, int target_height);

// `bytes` decoded at exactly target_width x target_height (stored axes, no larger than the
// file's): an 8-bit, 3-band sRGB image in memory, with the metadata of `header` (the jpegload
// image of the same bytes, opened but not decoded). nullopt when the file's colour space is not
// one this path handles (then nothing was decoded). Throws vips::VError when libjpeg fails.
// `max_memory` bounds libjpeg's own allocations (a progressive file's coefficients).
std::optional<vips::VImage> decodeJpegToSize(std::string_view bytes, const vips::VImage& header,
                                             int target_width, int target_height,
                                             uint64_t max_memory);

}  // namespace nubis::images::pipeline::detail
