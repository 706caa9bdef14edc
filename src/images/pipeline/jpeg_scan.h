// A walk over a JPEG's markers, decoding nothing: the frame layout (for decode_cost.h) and a
// cheap first check of the entropy-coded data, run by probe() before anything is decoded.
//
// The check: every Huffman code is at least one bit, so a scan cannot be shorter than its blocks
// need: 2 bits a block in a sequential scan (a DC code, then an AC code or EOB), 1 bit a block in
// a progressive DC scan (first or refinement). A file whose SOF claims 12000x8000 but whose scans
// hold data for 16x16 is refused here in microseconds; libjpeg would only warn ("premature end of
// data segment") after allocating and filling the whole frame (a progressive one holds all its
// coefficients: 3 bytes a pixel at 4:2:0). AC scans of a progressive file may legitimately be
// near empty (end-of-band runs), and arithmetic coding can go under a bit a block, so those have
// no lower bound here; the render's decode is bounded anyway (memory by decode_cost.h, time by
// the frame size, at most 100 MP).
//
// Also refused: more than kMaxScans scans (libjpeg runs every progressive scan over the whole
// frame, so thousands of near-empty AC scans are a CPU bomb), and a file that ends before EOI.
//
// Pure function, safe from any thread; no libvips needed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nubis::images::pipeline::detail {

// The same figure libjpeg-turbo's TurboJPEG API uses for its scan limit (-limitscans in tjbench):
// ordinary encoders write at most a few dozen.
inline constexpr int kMaxJpegScans = 500;

struct JpegLayout {
  int width = 0, height = 0;
  bool progressive = false;
  bool arithmetic = false;
  int scans = 0;  // SOS markers up to EOI
  struct Component {
    int id = 0, h = 1, v = 1;  // sampling factors 1..4
  };
  std::vector<Component> components;
};

enum class JpegScan {
  kOk,
  kShortScan,     // a scan has fewer bytes than its blocks need
  kTooManyScans,  // over kMaxJpegScans
  kTruncated,     // the data ends before EOI (inside a segment or a scan)
  kMalformed,     // no SOF before a scan, a bad segment length or field
};

struct JpegScanResult {
  JpegScan verdict = JpegScan::kMalformed;
  std::string why;    // for people; empty when kOk
  JpegLayout layout;  // valid when a SOF was read
};

JpegScanResult scanJpeg(std::string_view bytes);

// Bytes libjpeg allocates for the whole-image coefficient arrays of a progressive (or any
// multi-scan) decode: 64 two-byte coefficients a block, every block of every component, the
// block grid padded to whole MCUs. 0 for a single-scan sequential file, which streams.
uint64_t jpegCoefficientBytes(const JpegLayout& layout);

}  // namespace nubis::images::pipeline::detail
