// A PNG's image data checked against its header, without decoding pixels: the upload gate for
// PNG (probe.h). libpng cannot do this cheaply: reading an image to its end means allocating and
// unfiltering every row, all at once for an interlaced image (0.8 GB for a valid 100 MP 16-bit
// RGBA file), and after the last row it keeps inflating whatever compressed data follows (a 1x1
// image whose IDAT inflates to 4 GB costs seconds).
//
// Instead: walk the chunks, check the CRC of the critical ones (IHDR, PLTE, IDAT, IEND), compute
// the exact number of bytes the header implies (per row a filter byte and the packed pixels; the
// seven Adam7 passes when interlaced), and inflate the IDAT data into a small scratch buffer,
// counting bytes and checking each row's filter type. The data must end exactly there: a stream
// that ends early is truncated, one that goes on is refused as soon as the first surplus byte
// appears, so a bomb costs no more than a legitimate image of the same header.
//
// Pure function, safe from any thread; no libvips needed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nubis::images::pipeline::detail {

struct PngHeader {
  uint32_t width = 0;
  uint32_t height = 0;
  int bit_depth = 0;
  int color_type = 0;  // 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA
  bool interlaced = false;
};

// The IHDR fields when the bytes start with the signature and a well-formed IHDR (valid
// depth/type combination, CRC not checked); false otherwise.
bool readPngHeader(std::string_view bytes, PngHeader& out);

// Whether the bytes start with a well-formed IHDR declaring Adam7 interlacing.
bool isInterlacedPng(std::string_view bytes);

// Bytes of inflated image data the header implies (filter bytes included).
uint64_t pngRawSize(const PngHeader& h);

enum class PngData {
  kComplete,   // exactly the implied bytes, the zlib stream ends there, every filter type valid
  kTruncated,  // the file or the zlib stream ends before the image data does
  kOverrun,    // the zlib stream goes on past the image data
  kDamaged,    // bad signature/IHDR, a CRC mismatch, invalid zlib data or filter type, no IDAT
};

struct PngCheck {
  PngData verdict = PngData::kDamaged;
  std::string why;  // for people; empty when complete
};

PngCheck checkPngData(std::string_view bytes);

}  // namespace nubis::images::pipeline::detail
