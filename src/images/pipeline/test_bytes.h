// Test helpers: image bytes built by hand, for the cases no encoder writes (data that stops
// early, goes on past the image, or claims more than it holds). Everything is generated in
// memory, in milliseconds, however large the claim.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nubis::images::pipeline::testing {

// --- PNG
// A chunk: length, type, data, CRC.
std::string pngChunkOf(std::string_view type, std::string_view data);
// Signature + IHDR chunk.
std::string pngStart(uint32_t w, uint32_t h, int bit_depth, int color_type, bool interlaced);
// Inflated image-data bytes the header implies (filter bytes included), computed here
// independently of png_check.cc: rows x (1 + packed row bytes), per Adam7 pass when interlaced.
uint64_t pngImageDataBytes(uint32_t w, uint32_t h, int bit_depth, int color_type, bool interlaced);
// zlib stream of `raw`.
std::string zlibOf(std::string_view raw);
// zlib stream inflating to `n` zero bytes, built from one repeated flushed block: a 4 GB
// stream takes 4 MB and a few ms.
std::string zlibZeros(uint64_t n);
// Signature, IHDR, one IDAT holding `zlib_stream`, IEND.
std::string pngWithData(uint32_t w, uint32_t h, int bit_depth, int color_type, bool interlaced,
                        std::string_view zlib_stream);

// --- JPEG
// `jpeg` with its SOF width and height replaced (the scans still hold the original size).
std::string jpegClaiming(std::string jpeg, int w, int h);
// Offset of the first byte of entropy-coded data after the first SOS, and of the EOI marker.
size_t jpegFirstScanData(std::string_view jpeg);
size_t jpegEoi(std::string_view jpeg);
// A progressive JPEG of `scans` DC-only scans over `components` components (1x1 sampling),
// whose DC table has a single 1-bit code (difference 0): `w` x `h` of flat grey, valid, in
// blocks/8 bytes of data a scan. (Repeating a DC first scan is what libjpeg calls a bogus
// progression: a warning, which the decode check accepts.)
std::string jpegDcOnly(int w, int h, int components, int scans = 1);

// --- GIF
// GIF89a with a 2-colour table: a `screen_w` x `screen_h` screen and one `frame_w` x `frame_h`
// frame whose LZW data is one pixel (clear, 0, end), as the R4 reliability suite builds it.
std::string gifOnePixelFrame(int screen_w, int screen_h, int frame_w, int frame_h);

}  // namespace nubis::images::pipeline::testing
