#include "images/pipeline/png_check.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nubis::images::pipeline::detail {
namespace {

constexpr std::string_view kSignature("\x89PNG\r\n\x1A\n", 8);
// Inflated bytes are looked at and dropped; 64 KB keeps zlib's calls few without mattering.
constexpr size_t kScratch = 64 * 1024;

uint32_t be32(std::string_view b, size_t i) {
  return static_cast<uint32_t>(static_cast<unsigned char>(b[i])) << 24 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[i + 1])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[i + 2])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(b[i + 3]));
}

int channels(int color_type) {
  switch (color_type) {
    case 2:
      return 3;
    case 4:
      return 2;
    case 6:
      return 4;
    default:
      return 1;  // grey, palette
  }
}

bool validDepth(int color_type, int depth) {
  switch (color_type) {
    case 0:
      return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 3:
      return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 2:
    case 4:
    case 6:
      return depth == 8 || depth == 16;
    default:
      return false;
  }
}

// One run of rows of equal length: the whole image, or one Adam7 pass.
struct RowRun {
  uint64_t rows;
  uint64_t stride;  // filter byte + packed pixels
};

std::vector<RowRun> rowRuns(const PngHeader& h) {
  // Adam7 (x0, dx, y0, dy) per pass; a non-interlaced image is one pass of every pixel.
  static constexpr std::array<std::array<uint32_t, 4>, 7> kAdam7{{{0, 8, 0, 8},
                                                                  {4, 8, 0, 8},
                                                                  {0, 4, 4, 8},
                                                                  {2, 4, 0, 4},
                                                                  {0, 2, 2, 4},
                                                                  {1, 2, 0, 2},
                                                                  {0, 1, 1, 2}}};
  static constexpr std::array<std::array<uint32_t, 4>, 1> kWhole{{{0, 1, 0, 1}}};
  const uint64_t bits = static_cast<uint64_t>(channels(h.color_type)) * h.bit_depth;
  std::vector<RowRun> runs;
  auto add = [&](const auto& passes) {
    for (const auto& [x0, dx, y0, dy] : passes) {
      // Passes with no pixel have no rows at all, not even filter bytes (PNG spec 8.2).
      if (h.width <= x0 || h.height <= y0) continue;
      const uint64_t cols = (h.width - x0 + dx - 1) / dx;
      const uint64_t rows = (h.height - y0 + dy - 1) / dy;
      runs.push_back({rows, 1 + (cols * bits + 7) / 8});
    }
  };
  if (h.interlaced) {
    add(kAdam7);
  } else {
    add(kWhole);
  }
  return runs;
}

// Follows the inflated bytes row by row so that every filter-type byte can be checked without
// keeping the data.
class RowCursor {
 public:
  explicit RowCursor(std::vector<RowRun> runs) : runs_(std::move(runs)) {}

  // False at the first filter type over 4 (libpng refuses those rows).
  bool take(const unsigned char* p, size_t n) {
    size_t i = 0;
    while (i < n) {
      if (left_in_row_ == 0) {
        while (run_ < runs_.size() && rows_done_ == runs_[run_].rows) {
          ++run_;
          rows_done_ = 0;
        }
        if (run_ == runs_.size()) return true;  // past the image: the caller counts that
        if (p[i] > 4) return false;
        left_in_row_ = runs_[run_].stride - 1;
        ++rows_done_;
        ++i;
        continue;
      }
      const uint64_t skip = std::min<uint64_t>(left_in_row_, n - i);
      left_in_row_ -= skip;
      i += static_cast<size_t>(skip);
    }
    return true;
  }

 private:
  std::vector<RowRun> runs_;
  size_t run_ = 0;
  uint64_t rows_done_ = 0;
  uint64_t left_in_row_ = 0;
};

struct ZStream {
  z_stream z{};
  bool ready = false;
  ZStream() { ready = inflateInit(&z) == Z_OK; }
  ~ZStream() {
    if (ready) inflateEnd(&z);
  }
  ZStream(const ZStream&) = delete;
  ZStream& operator=(const ZStream&) = delete;
};

// Inflates the IDAT data chunk by chunk, counting. The state between chunks is the zlib stream,
// the byte count and the row cursor.
class IdatInflater {
 public:
  explicit IdatInflater(const PngHeader& h)
      : expected_(pngRawSize(h)), rows_(rowRuns(h)), scratch_(new unsigned char[kScratch]) {}

  bool ready() const { return zs_.ready; }

  // Feeds one IDAT chunk's data: the verdict once there is one, nullopt while the image data
  // needs the next chunk.
  std::optional<PngCheck> feed(std::string_view data) {
    z_stream& z = zs_.z;
    // zlib's API is not const-correct; it never writes through next_in.
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    while (true) {
      // Room for the rest of the image plus one byte: that one byte is how a stream that goes
      // on is seen, and nothing past it is ever inflated.
      const uint64_t room = std::min<uint64_t>(kScratch, expected_ - produced_ + 1);
      z.next_out = scratch_.get();
      z.avail_out = static_cast<uInt>(room);
      const int rc = inflate(&z, Z_NO_FLUSH);
      const uint64_t got = room - z.avail_out;
      if (!rows_.take(scratch_.get(), static_cast<size_t>(got))) {
        return PngCheck{PngData::kDamaged,
                        "a row of the PNG image data has an invalid filter type"};
      }
      produced_ += got;
      if (produced_ > expected_) {
        return PngCheck{PngData::kOverrun, "PNG image data goes on past the " +
                                               std::to_string(expected_) +
                                               " bytes its header implies"};
      }
      if (rc == Z_STREAM_END) {
        if (produced_ < expected_) return truncated();
        return PngCheck{PngData::kComplete, ""};
      }
      if (rc == Z_BUF_ERROR || (rc == Z_OK && z.avail_in == 0 && z.avail_out > 0)) {
        return std::nullopt;  // this chunk is used up
      }
      if (rc != Z_OK) {
        std::string detail = z.msg != nullptr ? z.msg : "zlib error " + std::to_string(rc);
        return PngCheck{PngData::kDamaged, "PNG image data is not valid zlib data: " + detail};
      }
    }
  }

  PngCheck truncated() const {
    return {PngData::kTruncated, "PNG image data ends after " + std::to_string(produced_) +
                                     " of the " + std::to_string(expected_) +
                                     " bytes its header implies"};
  }

 private:
  const uint64_t expected_;
  RowCursor rows_;
  std::unique_ptr<unsigned char[]> scratch_;
  ZStream zs_;
  uint64_t produced_ = 0;
};

bool critical(std::string_view type) { return type[0] >= 'A' && type[0] <= 'Z'; }

bool crcMatches(std::string_view bytes, size_t chunk_at, uint32_t length) {
  // The CRC covers the type and the data.
  const auto* p = reinterpret_cast<const Bytef*>(bytes.data() + chunk_at + 4);
  uLong crc = crc32(0L, Z_NULL, 0);
  uint64_t left = uint64_t{length} + 4;
  while (left > 0) {
    const uInt n = static_cast<uInt>(std::min<uint64_t>(left, 1u << 30));
    crc = crc32(crc, p, n);
    p += n;
    left -= n;
  }
  return crc == be32(bytes, chunk_at + 8 + length);
}

}  // namespace

bool readPngHeader(std::string_view b, PngHeader& out) {
  if (b.size() < 33 || b.substr(0, 8) != kSignature) return false;
  if (be32(b, 8) != 13 || b.substr(12, 4) != "IHDR") return false;
  PngHeader h;
  h.width = be32(b, 16);
  h.height = be32(b, 20);
  h.bit_depth = static_cast<unsigned char>(b[24]);
  h.color_type = static_cast<unsigned char>(b[25]);
  const int compression = static_cast<unsigned char>(b[26]);
  const int filter = static_cast<unsigned char>(b[27]);
  const int interlace = static_cast<unsigned char>(b[28]);
  if (h.width == 0 || h.height == 0 || h.width > 0x7FFFFFFFu || h.height > 0x7FFFFFFFu ||
      !validDepth(h.color_type, h.bit_depth) || compression != 0 || filter != 0 || interlace > 1) {
    return false;
  }
  h.interlaced = interlace == 1;
  out = h;
  return true;
}

bool isInterlacedPng(std::string_view bytes) {
  PngHeader h;
  return readPngHeader(bytes, h) && h.interlaced;
}

uint64_t pngRawSize(const PngHeader& h) {
  uint64_t total = 0;
  for (const RowRun& r : rowRuns(h)) total += r.rows * r.stride;
  return total;
}

PngCheck checkPngData(std::string_view b) {
  PngHeader h;
  if (!readPngHeader(b, h)) return {PngData::kDamaged, "PNG signature or IHDR is not valid"};
  IdatInflater idat(h);
  if (!idat.ready()) return {PngData::kDamaged, "zlib could not start"};
  bool in_idat_run = false;
  size_t pos = 8;
  while (true) {
    if (pos + 8 > b.size()) break;
    const uint32_t length = be32(b, pos);
    const std::string_view type = b.substr(pos + 4, 4);
    if (length > 0x7FFFFFFFu) {
      return {PngData::kDamaged, "PNG chunk length " + std::to_string(length) + " is over 2^31-1"};
    }
    if (pos + 12 + uint64_t{length} > b.size()) break;  // the chunk runs past the end
    if (critical(type) && !crcMatches(b, pos, length)) {
      return {PngData::kDamaged, "PNG " + std::string(type) + " chunk fails its CRC check"};
    }
    if (type == "IDAT") {
      in_idat_run = true;
      if (auto verdict = idat.feed(b.substr(pos + 8, length))) return std::move(*verdict);
    } else if (in_idat_run || type == "IEND") {
      // IDAT chunks are consecutive (PNG spec 5.6): a gap, or the end, with the stream still
      // open means the image data stops early.
      return idat.truncated();
    }
    pos += 12 + length;
  }
  if (!in_idat_run) return {PngData::kTruncated, "PNG file ends before any image data"};
  return idat.truncated();
}

}  // namespace nubis::images::pipeline::detail
