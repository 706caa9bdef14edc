// Decoding a JPEG straight to the size a render loads it at, without libvips' loader.
//
// libvips 8.14's thumbnail shrinks a JPEG on load with a 2x margin and then runs its scalar
// reduce on the rest. Here libjpeg-turbo's DCT scaling (1/8, 1/4, 1/2: its SIMD IDCTs) decodes
// at the smallest scale at or above the target, and resample.h takes it the rest of the way,
// streaming: only a few rows of the source are ever held, whatever its size.
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

// The M (1, 2, 4 or 8) of the M/8 scale at which a width x height JPEG decodes to at least
// target_width x target_height (8 when only full size will do), with libjpeg's rounding (ceil).
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
