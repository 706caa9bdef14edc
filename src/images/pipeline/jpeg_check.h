// One libjpeg decode of a JPEG, thrown away, that tells a damaged or cut entropy-coded stream
// from a merely odd file: the last step of probe() for JPEG.
//
// libvips cannot say which: libjpeg reports missing data as a warning ("premature end of data
// segment" when a scan hits the next marker early, "premature end of JPEG file" at EOF), which
// fail_on=error ignores, while fail_on=warning also refuses files with benign warnings that
// ordinary cameras produce (junk bytes before a marker, an unknown JFIF revision, a bad ICC
// marker). Here the warnings are told apart by code. Refused (kCorrupt in probe): JWRN_HIT_MARKER,
// JWRN_JPEG_EOF, JWRN_MUST_RESYNC, JWRN_HUFF_BAD_CODE, JWRN_ARITH_BAD_CODE, any libjpeg error, and
// more than 100 warnings of any kind (libvips' own limit). Accepted: every other warning.
//
// Cost: the decode uses libjpeg's DCT scaling to 1/8 (every entropy-coded byte is still read,
// at 1/64 of the pixel work), one output row of memory, and for multi-scan files libjpeg's
// whole-image coefficient arrays (jpegCoefficientBytes), which `max_memory` caps.
//
// Thread-safe: each call has its own libjpeg state.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nubis::images::pipeline::detail {

struct JpegDecodeCheck {
  bool ok = false;
  std::string why;  // libjpeg's message, for people; empty when ok
};

JpegDecodeCheck decodeJpegOnce(std::string_view bytes, uint64_t max_memory);

}  // namespace nubis::images::pipeline::detail
