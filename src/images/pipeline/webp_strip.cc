#include "images/pipeline/webp_strip.h"

#include <cstdint>
#include <string_view>

namespace nubis::images::pipeline::detail {
namespace {

uint32_t le32(std::string_view b, size_t at) {
  auto u = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(b[at + i])); };
  return u(0) | u(1) << 8 | u(2) << 16 | u(3) << 24;
}

void putLe32(std::string& s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + static_cast<size_t>(i)] = static_cast<char>(v >> (8 * i));
}

// VP8X feature flags (WebP container spec): which optional chunks are present.
constexpr unsigned char kExifFlag = 0x08;
constexpr unsigned char kXmpFlag = 0x04;

}  // namespace

std::string stripWebpMetadata(std::string webp) {
  std::string_view in = webp;
  if (in.size() < 12 || in.substr(0, 4) != "RIFF" || in.substr(8, 4) != "WEBP") return webp;
  std::string out(in.substr(0, 12));
  size_t pos = 12;
  bool dropped = false;
  while (pos + 8 <= in.size()) {
    std::string_view fourcc = in.substr(pos, 4);
    uint64_t size = le32(in, pos + 4);
    uint64_t padded = size + (size & 1);
    if (pos + 8 + padded > in.size()) return webp;  // malformed: leave it alone
    if (fourcc == "EXIF" || fourcc == "XMP ") {
      dropped = true;
    } else {
      size_t at = out.size();
      out.append(in.substr(pos, 8 + padded));
      if (fourcc == "VP8X" && size >= 1) {
        out[at + 8] =
            static_cast<char>(static_cast<unsigned char>(out[at + 8]) & ~(kExifFlag | kXmpFlag));
      }
    }
    pos += 8 + padded;
  }
  if (!dropped || pos != in.size()) return webp;
  putLe32(out, 4, static_cast<uint32_t>(out.size() - 8));
  return out;
}

}  // namespace nubis::images::pipeline::detail
