#include "images/pipeline/resample.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <stdexcept>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace nubis::images::pipeline::detail {
namespace {

constexpr int kOne = 1 << kWeightBits;
constexpr int kRound = 1 << (kWeightBits - 1);
constexpr size_t kSlack = 16;  // the SIMD passes may read this far past a row's pixels

double sinc(double x) {
  if (x == 0.0) return 1.0;
  x *= std::numbers::pi;
  return std::sin(x) / x;
}

double lanczos3At(double x) {
  x = std::fabs(x);
  return x < 3.0 ? sinc(x) * sinc(x / 3.0) : 0.0;
}

uint8_t clampToByte(int32_t acc) {
  const int32_t v = acc >> kWeightBits;
  return static_cast<uint8_t>(std::clamp(v, 0, 255));
}

size_t roundUp16(size_t n) { return (n + 15) / 16 * 16; }

}  // namespace

Coefficients lanczos3(int in, int out) {
  if (in <= 0 || out <= 0 || out > in) throw std::invalid_argument("resample: not a reduction");
  Coefficients c;
  c.taps.resize(static_cast<size_t>(out));
  if (in == out) {
    for (int i = 0; i < out; ++i) {
      c.taps[static_cast<size_t>(i)] = Taps{i, 1, 2 * i};
      c.weights.push_back(kOne);
      c.weights.push_back(0);
    }
    c.max_count = 2;
    return c;
  }
  const double scale = static_cast<double>(in) / out;
  const double support = 3.0 * scale;
  std::vector<double> w;
  for (int i = 0; i < out; ++i) {
    const double center = (i + 0.5) * scale;
    const int first = std::max(0, static_cast<int>(std::floor(center - support + 0.5)));
    const int last = std::min(in, static_cast<int>(std::floor(center + support + 0.5)));
    w.clear();
    double total = 0;
    for (int x = first; x < last; ++x) {
      w.push_back(lanczos3At((x + 0.5 - center) / scale));
      total += w.back();
    }
    // Fixed point that sums to exactly kOne: the rounding error goes to the largest weight.
    const size_t offset = c.weights.size();
    int sum = 0;
    for (double v : w) {
      c.weights.push_back(static_cast<int16_t>(std::lround(v / total * kOne)));
      sum += c.weights.back();
    }
    auto largest = std::max_element(c.weights.begin() + static_cast<ptrdiff_t>(offset),
                                    c.weights.end());
    *largest = static_cast<int16_t>(*largest + (kOne - sum));
    const int count = last - first;
    if (count % 2 != 0) c.weights.push_back(0);
    c.taps[static_cast<size_t>(i)] = Taps{first, count, static_cast<int>(offset)};
    c.max_count = std::max(c.max_count, count + count % 2);
  }
  return c;
}

Resampler::Resampler(int src_width, int src_height, int dst_width, int dst_height)
    : src_width_(src_width),
      src_height_(src_height),
      dst_width_(dst_width),
      dst_height_(dst_height),
      h_(lanczos3(src_width, dst_width)),
      v_(lanczos3(src_height, dst_height)),
      ring_rows_(v_.max_count + 1),
      ring_stride_(roundUp16(static_cast<size_t>(dst_width) * 4)),
      ring_(ring_stride_ * static_cast<size_t>(ring_rows_)),
      row_(static_cast<size_t>(src_width) * 4 + kSlack),
      line_(ring_stride_),
      zero_row_(ring_stride_),
      out_(new uint8_t[outputBytes()]) {}

void Resampler::pushRow() {
  if (rows_in_ >= src_height_) throw std::logic_error("resample: more rows than the source has");
  horizontal(row_.data(),
             ring_.data() + static_cast<size_t>(rows_in_ % ring_rows_) * ring_stride_, h_);
  ++rows_in_;
  emitReadyRows();
}

void Resampler::emitReadyRows() {
  const uint8_t* rows[64];
  std::vector<const uint8_t*> many;
  while (rows_out_ < dst_height_) {
    const Taps& t = v_.taps[static_cast<size_t>(rows_out_)];
    if (t.first + t.count > rows_in_) return;
    const int padded = t.count + t.count % 2;
    const uint8_t** list = rows;
    if (padded > 64) {
      many.resize(static_cast<size_t>(padded));
      list = many.data();
    }
    for (int k = 0; k < t.count; ++k) {
      list[k] = ring_.data() + static_cast<size_t>((t.first + k) % ring_rows_) * ring_stride_;
    }
    if (padded != t.count) list[t.count] = zero_row_.data();
    vertical(list, v_.weights.data() + t.offset, padded, static_cast<int>(ring_stride_),
             line_.data());
    uint8_t* o = out_.get() + static_cast<size_t>(rows_out_) * static_cast<size_t>(dst_width_) * 3;
    for (int x = 0; x < dst_width_; ++x) std::memcpy(o + x * 3, line_.data() + x * 4, 3);
    ++rows_out_;
  }
}

void Resampler::horizontalScalar(const uint8_t* src, uint8_t* dst, const Coefficients& c) {
  for (size_t i = 0; i < c.taps.size(); ++i) {
    const Taps& t = c.taps[i];
    const int16_t* w = c.weights.data() + t.offset;
    for (int ch = 0; ch < 4; ++ch) {
      int32_t acc = kRound;
      for (int k = 0; k < t.count; ++k) acc += w[k] * src[(t.first + k) * 4 + ch];
      dst[i * 4 + static_cast<size_t>(ch)] = clampToByte(acc);
    }
  }
}

void Resampler::verticalScalar(const uint8_t* const* rows, const int16_t* w, int count, int bytes,
                               uint8_t* dst) {
  for (int x = 0; x < bytes; ++x) {
    int32_t acc = kRound;
    for (int k = 0; k < count; ++k) acc += w[k] * rows[k][x];
    dst[x] = clampToByte(acc);
  }
}

#if defined(__SSE2__)

// Two taps at a time with pmaddwd: the pixels' samples interleaved as 16-bit pairs
// (r0 r1 g0 g1 b0 b1 x0 x1) times the weight pair (w0 w1) broadcast.
void Resampler::horizontal(const uint8_t* src, uint8_t* dst, const Coefficients& c) {
  const __m128i zero = _mm_setzero_si128();
  const __m128i round = _mm_set1_epi32(kRound);
  for (size_t i = 0; i < c.taps.size(); ++i) {
    const Taps& t = c.taps[i];
    const uint8_t* p = src + static_cast<size_t>(t.first) * 4;
    const int16_t* w = c.weights.data() + t.offset;
    __m128i acc = round;
    int k = 0;
    for (; k + 3 < t.count; k += 4) {  // four pixels per 16-byte load
      const __m128i px = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + k * 4));
      __m128i lo = _mm_unpacklo_epi8(px, zero);
      __m128i hi = _mm_unpackhi_epi8(px, zero);
      lo = _mm_unpacklo_epi16(lo, _mm_srli_si128(lo, 8));
      hi = _mm_unpacklo_epi16(hi, _mm_srli_si128(hi, 8));
      int32_t pairs[2];
      std::memcpy(pairs, w + k, sizeof pairs);
      acc = _mm_add_epi32(acc, _mm_madd_epi16(lo, _mm_set1_epi32(pairs[0])));
      acc = _mm_add_epi32(acc, _mm_madd_epi16(hi, _mm_set1_epi32(pairs[1])));
    }
    for (; k < t.count; k += 2) {
      __m128i px = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p + k * 4));
      px = _mm_unpacklo_epi8(px, zero);
      px = _mm_unpacklo_epi16(px, _mm_srli_si128(px, 8));
      int32_t pair;
      std::memcpy(&pair, w + k, sizeof pair);
      acc = _mm_add_epi32(acc, _mm_madd_epi16(px, _mm_set1_epi32(pair)));
    }
    acc = _mm_srai_epi32(acc, kWeightBits);
    acc = _mm_packs_epi32(acc, acc);
    acc = _mm_packus_epi16(acc, acc);
    const int32_t v = _mm_cvtsi128_si32(acc);
    std::memcpy(dst + i * 4, &v, sizeof v);
  }
}

// 16 bytes of the row at a time, two rows (taps) at a time, the same pairing as above.
void Resampler::vertical(const uint8_t* const* rows, const int16_t* w, int count, int bytes,
                         uint8_t* dst) {
  const __m128i zero = _mm_setzero_si128();
  const __m128i round = _mm_set1_epi32(kRound);
  for (int x = 0; x < bytes; x += 16) {
    __m128i a0 = round, a1 = round, a2 = round, a3 = round;
    for (int k = 0; k < count; k += 2) {
      const __m128i r0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(rows[k] + x));
      const __m128i r1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(rows[k + 1] + x));
      int32_t pair;
      std::memcpy(&pair, w + k, sizeof pair);
      const __m128i wp = _mm_set1_epi32(pair);
      const __m128i lo = _mm_unpacklo_epi8(r0, r1);
      const __m128i hi = _mm_unpackhi_epi8(r0, r1);
      a0 = _mm_add_epi32(a0, _mm_madd_epi16(_mm_unpacklo_epi8(lo, zero), wp));
      a1 = _mm_add_epi32(a1, _mm_madd_epi16(_mm_unpackhi_epi8(lo, zero), wp));
      a2 = _mm_add_epi32(a2, _mm_madd_epi16(_mm_unpacklo_epi8(hi, zero), wp));
      a3 = _mm_add_epi32(a3, _mm_madd_epi16(_mm_unpackhi_epi8(hi, zero), wp));
    }
    const __m128i lo16 = _mm_packs_epi32(_mm_srai_epi32(a0, kWeightBits),
                                         _mm_srai_epi32(a1, kWeightBits));
    const __m128i hi16 = _mm_packs_epi32(_mm_srai_epi32(a2, kWeightBits),
                                         _mm_srai_epi32(a3, kWeightBits));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + x), _mm_packus_epi16(lo16, hi16));
  }
}

#else

void Resampler::horizontal(const uint8_t* src, uint8_t* dst, const Coefficients& c) {
  horizontalScalar(src, dst, c);
}

void Resampler::vertical(const uint8_t* const* rows, const int16_t* w, int count, int bytes,
                         uint8_t* dst) {
  verticalScalar(rows, w, count, bytes, dst);
}

#endif

}  // namespace nubis::images::pipeline::detail
