#include "images/pipeline/gif_scan.h"

#include <array>
#include <cstddef>
#include <cstdint>

namespace nubis::images::pipeline::detail {
namespace {

unsigned byteAt(std::string_view b, size_t i) { return static_cast<unsigned char>(b[i]); }

// Skips a chain of data sub-blocks (length byte, data, ..., 0). False if the data ends first.
bool skipSubBlocks(std::string_view b, size_t& pos) {
  while (true) {
    if (pos >= b.size()) return false;
    size_t len = byteAt(b, pos++);
    if (len == 0) return true;
    pos += len;
    if (pos > b.size()) return false;
  }
}

// GIF's variable-width LZW (GIF89a appendix F), as libnsgif decodes it, reduced to counting:
// every table entry is a prefix code plus one pixel, so its length is its prefix's plus one, and
// the pixels a code stands for are its entry's length.
class LzwCounter {
 public:
  static constexpr int kMaxBits = 12;

  explicit LzwCounter(unsigned min_code_size)
      : min_size_(min_code_size), clear_(1u << min_code_size), end_(clear_ + 1) {
    reset();
  }

  // Feeds data bytes; false once the stream is over (end code, or an invalid code: libnsgif
  // stops the frame there too).
  bool feed(const unsigned char* p, size_t n, uint64_t& pixels) {
    for (size_t i = 0; i < n; ++i) {
      bits_ |= static_cast<uint32_t>(p[i]) << nbits_;
      nbits_ += 8;
      while (nbits_ >= width_) {
        const uint32_t code = bits_ & ((1u << width_) - 1);
        bits_ >>= width_;
        nbits_ -= width_;
        if (!step(code, pixels)) return false;
      }
    }
    return true;
  }

 private:
  void reset() {
    next_ = end_ + 1;
    width_ = min_size_ + 1;
    prev_ = kNone;
  }

  bool step(uint32_t code, uint64_t& pixels) {
    if (code == clear_) {
      reset();
      return true;
    }
    if (code == end_) return false;
    if (prev_ == kNone) {
      // The first code after a clear is a literal.
      if (code >= clear_) return false;
      pixels += 1;
      prev_ = code;
      return true;
    }
    uint32_t len;
    if (code < clear_) {
      len = 1;
    } else if (code < next_) {
      len = length_[code];
    } else if (code == next_) {
      len = lengthOf(prev_) + 1;  // the KwKwK case: prev's string plus its own first pixel
    } else {
      return false;
    }
    if (next_ < kTable) {
      length_[next_] = lengthOf(prev_) + 1;
      ++next_;
      if (next_ == (1u << width_) && width_ < kMaxBits) ++width_;
    }
    pixels += len;
    prev_ = code;
    return true;
  }

  uint32_t lengthOf(uint32_t code) const { return code < clear_ ? 1 : length_[code]; }

  static constexpr uint32_t kTable = 1u << kMaxBits;
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  const unsigned min_size_;
  const uint32_t clear_, end_;
  std::array<uint32_t, kTable> length_{};
  uint32_t next_ = 0, prev_ = kNone;
  unsigned width_ = 0;
  uint32_t bits_ = 0;
  unsigned nbits_ = 0;
};

enum class Frame { kWhole, kShort, kCut };

// The image data of one frame at `pos` (LZW minimum code size, then sub-blocks): kCut when the
// file ends inside it, kShort when it expands to fewer than `needed` pixels. `pos` ends after
// the block terminator.
Frame scanFrameData(std::string_view b, size_t& pos, uint64_t needed) {
  if (pos >= b.size()) return Frame::kCut;
  const unsigned min_code_size = byteAt(b, pos++);
  // libnsgif takes 1..11 (the spec says 2..8; 1 is seen from some encoders for 2-colour images).
  const bool valid_size = min_code_size >= 1 && min_code_size < LzwCounter::kMaxBits;
  LzwCounter lzw(valid_size ? min_code_size : 2);
  bool decoding = valid_size;
  uint64_t pixels = 0;
  while (true) {
    if (pos >= b.size()) return Frame::kCut;
    const size_t len = byteAt(b, pos++);
    if (len == 0) break;
    if (pos + len > b.size()) return Frame::kCut;
    if (decoding && pixels < needed) {
      decoding = lzw.feed(reinterpret_cast<const unsigned char*>(b.data() + pos), len, pixels);
    }
    pos += len;
  }
  return valid_size && pixels >= needed ? Frame::kWhole : Frame::kShort;
}

}  // namespace

GifEnd scanGif(std::string_view b) {
  constexpr size_t kHeader = 6 + 7;  // signature + logical screen descriptor
  if (b.size() < kHeader) return GifEnd::kTruncated;
  size_t pos = kHeader;
  unsigned flags = byteAt(b, 10);
  if (flags & 0x80) pos += 3u << ((flags & 7) + 1);  // global colour table
  int images = 0;
  while (true) {
    if (pos >= b.size()) return images > 0 ? GifEnd::kCleanEnd : GifEnd::kTruncated;
    switch (byteAt(b, pos)) {
      case 0x3B:
        return GifEnd::kTrailer;
      case 0x21:  // extension: introducer, label, sub-blocks
        pos += 2;
        if (!skipSubBlocks(b, pos)) return GifEnd::kTruncated;
        break;
      case 0x2C: {  // image: descriptor, optional local table, LZW code size, sub-blocks
        if (pos + 10 > b.size()) return GifEnd::kTruncated;
        const uint64_t width = byteAt(b, pos + 5) | byteAt(b, pos + 6) << 8;
        const uint64_t height = byteAt(b, pos + 7) | byteAt(b, pos + 8) << 8;
        unsigned local = byteAt(b, pos + 9);
        pos += 10;
        if (local & 0x80) pos += 3u << ((local & 7) + 1);
        if (pos > b.size()) return GifEnd::kTruncated;
        switch (scanFrameData(b, pos, width * height)) {
          case Frame::kCut:
            return GifEnd::kTruncated;
          case Frame::kShort:
            return GifEnd::kShortFrame;
          case Frame::kWhole:
            break;
        }
        ++images;
        break;
      }
      default:
        // Decoders stop at an unknown block; only before any image is that a broken file.
        return images > 0 ? GifEnd::kCleanEnd : GifEnd::kMalformed;
    }
  }
}

}  // namespace nubis::images::pipeline::detail
