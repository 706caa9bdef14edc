#include "images/pipeline/test_bytes.h"

#include <zlib.h>

#include <array>
#include <stdexcept>
#include <vector>

namespace nubis::images::pipeline::testing {
namespace {

void putBe16(std::string& s, uint32_t v) {
  s += static_cast<char>((v >> 8) & 0xFF);
  s += static_cast<char>(v & 0xFF);
}
void putBe32(std::string& s, uint32_t v) {
  putBe16(s, v >> 16);
  putBe16(s, v & 0xFFFF);
}
void putLe16(std::string& s, uint32_t v) {
  s += static_cast<char>(v & 0xFF);
  s += static_cast<char>((v >> 8) & 0xFF);
}

const Bytef* bytef(std::string_view s) { return reinterpret_cast<const Bytef*>(s.data()); }

// Deflates `in` with `flush`, appending to `out`.
void deflateInto(z_stream& z, std::string_view in, int flush, std::string& out) {
  z.next_in = const_cast<Bytef*>(bytef(in));
  z.avail_in = static_cast<uInt>(in.size());
  std::array<char, 1 << 16> buf;
  do {
    z.next_out = reinterpret_cast<Bytef*>(buf.data());
    z.avail_out = static_cast<uInt>(buf.size());
    deflate(&z, flush);
    out.append(buf.data(), buf.size() - z.avail_out);
  } while (z.avail_out == 0);
}

}  // namespace

std::string pngChunkOf(std::string_view type, std::string_view data) {
  std::string out;
  putBe32(out, static_cast<uint32_t>(data.size()));
  std::string body(type);
  body += data;
  out += body;
  putBe32(out, static_cast<uint32_t>(crc32(0, bytef(body), static_cast<uInt>(body.size()))));
  return out;
}

std::string pngStart(uint32_t w, uint32_t h, int bit_depth, int color_type, bool interlaced) {
  std::string ihdr;
  putBe32(ihdr, w);
  putBe32(ihdr, h);
  ihdr += static_cast<char>(bit_depth);
  ihdr += static_cast<char>(color_type);
  ihdr += '\0';  // deflate
  ihdr += '\0';  // adaptive filtering
  ihdr += static_cast<char>(interlaced ? 1 : 0);
  return std::string("\x89PNG\r\n\x1A\n", 8) + pngChunkOf("IHDR", ihdr);
}

uint64_t pngImageDataBytes(uint32_t w, uint32_t h, int bit_depth, int color_type, bool interlaced) {
  const int channels[] = {1, 0, 3, 1, 2, 0, 4};
  const uint64_t bits = static_cast<uint64_t>(channels[color_type] * bit_depth);
  struct Pass {
    uint32_t x0, dx, y0, dy;
  };
  const std::vector<Pass> passes =
      interlaced ? std::vector<Pass>{{0, 8, 0, 8}, {4, 8, 0, 8}, {0, 4, 4, 8}, {2, 4, 0, 4},
                                     {0, 2, 2, 4}, {1, 2, 0, 2}, {0, 1, 1, 2}}
                 : std::vector<Pass>{{0, 1, 0, 1}};
  uint64_t total = 0;
  for (const Pass& p : passes) {
    const uint64_t cols = w > p.x0 ? (w - p.x0 + p.dx - 1) / p.dx : 0;
    const uint64_t rows = h > p.y0 ? (h - p.y0 + p.dy - 1) / p.dy : 0;
    if (cols > 0 && rows > 0) total += rows * (1 + (cols * bits + 7) / 8);
  }
  return total;
}

std::string zlibOf(std::string_view raw) {
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, bytef(raw),
                static_cast<uLong>(raw.size()), 9) != Z_OK) {
    throw std::runtime_error("compress2 failed");
  }
  out.resize(size);
  return out;
}

std::string zlibZeros(uint64_t n) {
  // After a full flush deflate keeps no history, so the same input always deflates to the same
  // bytes: one 1 MiB block, repeated, then the rest, an empty final block and the checksum
  // (Adler-32 of n zeros: a = 1, b = n mod 65521).
  constexpr uint64_t kBlock = 1 << 20;
  const std::string zeros(kBlock, '\0');
  z_stream z{};
  deflateInit(&z, 9);
  std::string out;
  uint64_t left = n;
  deflateInto(z, std::string_view(zeros).substr(0, std::min(left, kBlock)), Z_FULL_FLUSH, out);
  left -= std::min(left, kBlock);
  if (left >= kBlock) {
    std::string block;
    deflateInto(z, zeros, Z_FULL_FLUSH, block);
    for (; left >= kBlock; left -= kBlock) out += block;
  }
  if (left > 0) deflateInto(z, std::string_view(zeros).substr(0, left), Z_FULL_FLUSH, out);
  deflateEnd(&z);
  out += std::string("\x03\x00", 2);  // final fixed-Huffman block holding only end-of-block
  putBe32(out, static_cast<uint32_t>((n % 65521) << 16 | 1));
  return out;
}

std::string pngWithData(uint32_t w, uint32_t h, int bit_depth, int color_type, bool interlaced,
                        std::string_view zlib_stream) {
  return pngStart(w, h, bit_depth, color_type, interlaced) + pngChunkOf("IDAT", zlib_stream) +
         pngChunkOf("IEND", "");
}

std::string jpegClaiming(std::string jpeg, int w, int h) {
  for (size_t i = 2; i + 9 < jpeg.size(); ++i) {
    const auto m = static_cast<unsigned char>(jpeg[i + 1]);
    if (static_cast<unsigned char>(jpeg[i]) == 0xFF && (m == 0xC0 || m == 0xC1 || m == 0xC2)) {
      std::string dims;
      putBe16(dims, static_cast<uint32_t>(h));
      putBe16(dims, static_cast<uint32_t>(w));
      jpeg.replace(i + 5, 4, dims);
      return jpeg;
    }
  }
  throw std::runtime_error("no SOF marker in the JPEG");
}

size_t jpegFirstScanData(std::string_view jpeg) {
  const size_t sos = jpeg.find("\xFF\xDA");
  if (sos == std::string_view::npos) throw std::runtime_error("no SOS marker in the JPEG");
  const size_t length =
      static_cast<unsigned char>(jpeg[sos + 2]) << 8 | static_cast<unsigned char>(jpeg[sos + 3]);
  return sos + 2 + length;
}

size_t jpegEoi(std::string_view jpeg) {
  const size_t eoi = jpeg.rfind("\xFF\xD9");
  if (eoi == std::string_view::npos) throw std::runtime_error("no EOI marker in the JPEG");
  return eoi;
}

std::string jpegDcOnly(int w, int h, int components, int scans) {
  auto segment = [](unsigned marker, const std::string& data) {
    std::string s{'\xFF', static_cast<char>(marker)};
    putBe16(s, static_cast<uint32_t>(data.size() + 2));
    return s + data;
  };
  std::string dqt(1, '\0');
  dqt += std::string(64, '\x01');
  std::string sof{'\x08'};
  putBe16(sof, static_cast<uint32_t>(h));
  putBe16(sof, static_cast<uint32_t>(w));
  sof += static_cast<char>(components);
  for (int c = 1; c <= components; ++c) sof += std::string{static_cast<char>(c), '\x11', '\0'};
  // DC table 0: one code of length 1, for symbol 0 (difference 0).
  std::string dht{'\x00', '\x01'};
  dht += std::string(15, '\0');
  dht += '\0';
  std::string sos{static_cast<char>(components)};
  for (int c = 1; c <= components; ++c) sos += std::string{static_cast<char>(c), '\0'};
  sos += std::string{'\0', '\0', '\0'};  // Ss = Se = 0 (DC), Ah = Al = 0
  const uint64_t blocks = static_cast<uint64_t>((w + 7) / 8) * static_cast<uint64_t>((h + 7) / 8) *
                          static_cast<uint64_t>(components);
  std::string out =
      std::string("\xFF\xD8", 2) + segment(0xDB, dqt) + segment(0xC2, sof) + segment(0xC4, dht);
  for (int i = 0; i < scans; ++i) out += segment(0xDA, sos) + std::string((blocks + 7) / 8, '\0');
  return out + std::string("\xFF\xD9", 2);
}

std::string gifOnePixelFrame(int screen_w, int screen_h, int frame_w, int frame_h) {
  std::string out = "GIF89a";
  putLe16(out, static_cast<uint32_t>(screen_w));
  putLe16(out, static_cast<uint32_t>(screen_h));
  out += std::string("\x80\x00\x00", 3);
  out += std::string("\x00\x00\x00\xFF\xFF\xFF", 6);
  out += std::string("\x21\xF9\x04\x00\x0A\x00\x00\x00", 8);
  out += std::string("\x2C\x00\x00\x00\x00", 5);
  putLe16(out, static_cast<uint32_t>(frame_w));
  putLe16(out, static_cast<uint32_t>(frame_h));
  out += std::string("\x00\x02\x02\x44\x01\x00", 6);  // no local table; LZW: clear, 0, end
  out += ';';
  return out;
}

}  // namespace nubis::images::pipeline::testing
