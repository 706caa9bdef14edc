#include "images/pipeline/gif_scan.h"

#include <cstddef>

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
        unsigned local = byteAt(b, pos + 9);
        pos += 10;
        if (local & 0x80) pos += 3u << ((local & 7) + 1);
        pos += 1;  // LZW minimum code size
        if (pos > b.size() || !skipSubBlocks(b, pos)) return GifEnd::kTruncated;
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
