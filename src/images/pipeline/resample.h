// A streaming Lanczos-3 downscaler for 8-bit RGBX rows, fed one source row at a time.
//
// Why our own and not libvips' reduce: Debian 12's libvips 8.14 runs its horizontal reduce in
// scalar C++ (a third of a 12 MP JPEG render's CPU in the bench profile), and it needs the
// whole pipeline of regions around it. This one is two fixed-point passes written with SSE2
// (every x86-64 has it), the way Pillow-SIMD does it: horizontal on each source row as the
// decoder hands it over (so the source is never held whole: a few rows of the output width
// are), vertical once the rows an output row needs have arrived.
//
// Weights are Lanczos-3 stretched by the scale factor (support 3 x scale), normalised to sum
// exactly 1 in 14-bit fixed point, so flat areas stay exact. Between the passes rows are kept
// as 8 bits (rounded and clamped), as Pillow does: the error is below one level.
//
// Only reduction (or identity) on each axis: the caller decodes at or above the target size.
// Not thread-safe; one per render.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace nubis::images::pipeline::detail {

// The taps of one output sample: source indices [first, first + weights.size()).
struct Taps {
  int first = 0;
  int count = 0;       // real taps; the weights are padded with zeros to an even count
  int offset = 0;      // into Coefficients::weights
};

struct Coefficients {
  std::vector<Taps> taps;          // one per output sample
  std::vector<int16_t> weights;    // 14-bit fixed point, each output's taps padded to even
  int max_count = 0;               // the most padded taps of any output sample
};

inline constexpr int kWeightBits = 14;

// The Lanczos-3 taps taking `in` samples to `out` (out <= in). Identity when out == in.
Coefficients lanczos3(int in, int out);

class Resampler {
 public:
  // Source rows are src_width RGBX pixels; the output is dst_width x dst_height RGB (3 bytes a
  // pixel, no padding). Requires 0 < dst <= src on both axes.
  Resampler(int src_width, int src_height, int dst_width, int dst_height);

  // Where the next source row goes: src_width * 4 bytes, plus slack the SIMD loads may read.
  uint8_t* rowBuffer() { return row_.data(); }
  // Takes the row written to rowBuffer() as source row number rowsIn().
  void pushRow();
  int rowsIn() const { return rows_in_; }
  bool done() const { return rows_out_ == dst_height_; }

  // The output (dst_width * dst_height * 3 bytes), complete once done(); moved out.
  std::unique_ptr<uint8_t[]> takeOutput() { return std::move(out_); }
  size_t outputBytes() const { return static_cast<size_t>(dst_width_) * dst_height_ * 3; }

  // For tests: the same passes in plain C, to check the SIMD ones against.
  static void horizontalScalar(const uint8_t* src, uint8_t* dst, const Coefficients& c);
  static void horizontal(const uint8_t* src, uint8_t* dst, const Coefficients& c);
  static void verticalScalar(const uint8_t* const* rows, const int16_t* w, int count, int bytes,
                             uint8_t* dst);
  static void vertical(const uint8_t* const* rows, const int16_t* w, int count, int bytes,
                       uint8_t* dst);

 private:
  void emitReadyRows();

  int src_width_, src_height_, dst_width_, dst_height_;
  Coefficients h_, v_;
  int ring_rows_;
  size_t ring_stride_;               // bytes of one horizontally reduced row, padded
  std::vector<uint8_t> ring_;        // ring_rows_ reduced rows; source row y at y % ring_rows_
  std::vector<uint8_t> row_;         // the source row being filled
  std::vector<uint8_t> line_;        // one vertical result, RGBX, padded
  std::vector<uint8_t> zero_row_;    // stands in for a padding tap's row
  std::unique_ptr<uint8_t[]> out_;  // not zero-filled: every byte is written
  int rows_in_ = 0, rows_out_ = 0;
};

}  // namespace nubis::images::pipeline::detail
