#include "images/pipeline/test_support.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <bit>
#include <fstream>

#include "images/pipeline/vips_init.h"

namespace nubis::images::pipeline::testing {
namespace {

using vips::VImage;

std::string take(VipsBlob* blob) {
  std::string out(static_cast<const char*>(VIPS_AREA(blob)->data), VIPS_AREA(blob)->length);
  vips_area_unref(VIPS_AREA(blob));
  return out;
}

VImage srgb(const VImage& img) {
  return img.cast(VIPS_FORMAT_UCHAR)
      .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

void putBe32(std::string& s, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) s += static_cast<char>((v >> shift) & 0xFF);
}
void putLe16(std::string& s, uint32_t v) {
  s += static_cast<char>(v & 0xFF);
  s += static_cast<char>((v >> 8) & 0xFF);
}
void putLe32(std::string& s, uint32_t v) {
  putLe16(s, v & 0xFFFF);
  putLe16(s, v >> 16);
}

uint32_t crc32(std::string_view data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (char ch : data) {
    crc ^= static_cast<unsigned char>(ch);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void pngChunk(std::string& out, std::string_view type, std::string_view data) {
  putBe32(out, static_cast<uint32_t>(data.size()));
  std::string body(type);
  body += data;
  out += body;
  putBe32(out, crc32(body));
}

}  // namespace

void ensureVips() {
  Status s = initVips();
  ASSERT_TRUE(s.ok()) << s.error().detail;
}

VImage solidImage(int w, int h, Rgb c) {
  return srgb(VImage::black(w, h, VImage::option()->set("bands", 3)) +
              std::vector<double>{double(c[0]), double(c[1]), double(c[2])});
}

VImage halvesImage(int w, int h, Rgb left, Rgb right) {
  return solidImage(w / 2, h, left)
      .join(solidImage(w - w / 2, h, right), VIPS_DIRECTION_HORIZONTAL);
}

VImage gradientImage(int w, int h) {
  VImage xyz = VImage::xyz(w, h);
  VImage x = xyz[0] * (255.0 / w), y = xyz[1] * (255.0 / h);
  VImage ring = ((x - 128) * (x - 128) + (y - 128) * (y - 128)).pow(0.5);
  return srgb(x.bandjoin(y).bandjoin(ring));
}

std::string toJpeg(const VImage& img, int quality) {
  return take(img.jpegsave_buffer(VImage::option()->set("Q", quality)));
}
std::string toPng(const VImage& img) { return take(img.pngsave_buffer()); }
std::string toWebp(const VImage& img) { return take(img.webpsave_buffer()); }
std::string toGif(const VImage& img) { return take(img.gifsave_buffer()); }
std::string toAvif(const VImage& img) {
  return take(img.heifsave_buffer(
      VImage::option()->set("compression", VIPS_FOREIGN_HEIF_COMPRESSION_AV1)->set("effort", 0)));
}
std::string toHeic(const VImage& img) {
  return take(img.heifsave_buffer(
      VImage::option()->set("compression", VIPS_FOREIGN_HEIF_COMPRESSION_HEVC)));
}
std::string toTiff(const VImage& img) { return take(img.tiffsave_buffer()); }

std::string jpegWithOrientation(const VImage& img, int orientation) {
  VImage copy = img.copy();
  copy.set(VIPS_META_ORIENTATION, orientation);
  return toJpeg(copy);
}

std::string jpegWithExif(const VImage& img, const char* copyright, const char* artist) {
  VImage copy = img.copy();
  copy.set("exif-ifd0-Copyright", copyright);
  copy.set("exif-ifd0-Artist", artist);
  return toJpeg(copy);
}

std::string cmykJpeg(int w, int h, Rgb c) {
  VImage cmyk = solidImage(w, h, c).icc_export(VImage::option()->set("output_profile", "cmyk"));
  cmyk.remove(VIPS_META_ICC_NAME);
  return toJpeg(cmyk);
}

std::string png16Alpha(int w, int h) {
  VImage left = VImage::black(w / 2, h, VImage::option()->set("bands", 4)) +
                std::vector<double>{65535, 0, 0, 65535};
  VImage right = VImage::black(w - w / 2, h, VImage::option()->set("bands", 4)) +
                 std::vector<double>{0, 0, 65535, 0};
  VImage img = left.join(right, VIPS_DIRECTION_HORIZONTAL)
                   .cast(VIPS_FORMAT_USHORT)
                   .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_RGB16));
  return take(img.pngsave_buffer(VImage::option()->set("bitdepth", 16)));
}

std::string animated(std::string_view format, int frames, int w, int h) {
  const Rgb colours[] = {kRed, kGreen, kBlue};
  std::vector<VImage> pages;
  for (int i = 0; i < frames; ++i) pages.push_back(solidImage(w, h, colours[i % 3]));
  VImage roll = VImage::arrayjoin(pages, VImage::option()->set("across", 1)).copy();
  roll.set(VIPS_META_PAGE_HEIGHT, h);
  roll.set("delay", std::vector<int>(static_cast<size_t>(frames), 100));
  roll.set("loop", 0);
  return format == "gif" ? toGif(roll) : toWebp(roll);
}

std::string pngBomb(uint32_t w, uint32_t h) {
  std::string out = "\x89PNG\r\n\x1A\n";
  std::string ihdr;
  putBe32(ihdr, w);
  putBe32(ihdr, h);
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);  // 8-bit RGB, deflate, no filter, no interlace
  pngChunk(out, "IHDR", ihdr);
  pngChunk(out, "IDAT", std::string("\x78\x9C\x03\x00\x00\x00\x00\x01", 8));  // empty zlib
  pngChunk(out, "IEND", "");
  return out;
}

std::string gifBomb(int frames, int w, int h) {
  std::string out = "GIF89a";
  putLe16(out, static_cast<uint32_t>(w));
  putLe16(out, static_cast<uint32_t>(h));
  out += std::string("\x80\x00\x00", 3);  // 2-colour global table
  out += std::string("\x00\x00\x00\xFF\xFF\xFF", 6);
  for (int i = 0; i < frames; ++i) {
    out += std::string("\x21\xF9\x04\x04\x0A\x00\x00\x00", 8);  // graphic control: 100 ms
    out += '\x2C';
    putLe16(out, 0);
    putLe16(out, 0);
    putLe16(out, static_cast<uint32_t>(w));
    putLe16(out, static_cast<uint32_t>(h));
    out += '\x00';
    out += std::string("\x02\x01\x2C\x00", 4);  // LZW min size 2: clear code, end code
  }
  out += '\x3B';
  return out;
}

std::string bmpBytes(int w, int h) {
  const uint32_t row = static_cast<uint32_t>((w * 3 + 3) & ~3);
  const uint32_t pixels = row * static_cast<uint32_t>(h);
  std::string out = "BM";
  putLe32(out, 54 + pixels);
  putLe32(out, 0);
  putLe32(out, 54);
  putLe32(out, 40);
  putLe32(out, static_cast<uint32_t>(w));
  putLe32(out, static_cast<uint32_t>(h));
  putLe16(out, 1);
  putLe16(out, 24);
  for (int i = 0; i < 6; ++i) putLe32(out, 0);
  out += std::string(pixels, '\x7F');
  return out;
}

VImage decode(const std::string& bytes) {
  return VImage::new_from_buffer(bytes.data(), bytes.size(), "").copy_memory();
}

std::vector<double> pixelAt(const VImage& img, int x, int y) {
  VImage flat = img;
  if (flat.interpretation() != VIPS_INTERPRETATION_sRGB) {
    flat = flat.colourspace(VIPS_INTERPRETATION_sRGB);
  }
  return flat.getpoint(x, y);
}

bool near(const VImage& img, int x, int y, Rgb c, int tolerance) {
  std::vector<double> p = pixelAt(img, x, y);
  if (p.size() < 3) return false;
  for (int i = 0; i < 3; ++i) {
    if (std::abs(p[static_cast<size_t>(i)] - c[static_cast<size_t>(i)]) > tolerance) return false;
  }
  return true;
}

namespace {
long statusKb(std::string_view field) {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(field.size()));
  }
  return -1;
}
}  // namespace

bool PeakRss::start() {
  const int fd = open("/proc/self/clear_refs", O_WRONLY);
  if (fd < 0) return false;
  const bool reset = write(fd, "5", 1) == 1;
  close(fd);
  rss_kb_ = statusKb("VmRSS:");
  return reset && rss_kb_ > 0;
}

long PeakRss::growthMb() const { return (statusKb("VmHWM:") - rss_kb_) / 1024; }

uint64_t dHash(const VImage& img) {
  VImage in = img;
  if (in.has_alpha())
    in = in.flatten(VImage::option()->set("background", std::vector<double>{255}));
  VImage grey =
      in.colourspace(VIPS_INTERPRETATION_B_W)
          .thumbnail_image(9, VImage::option()->set("height", 8)->set("size", VIPS_SIZE_FORCE))
          .cast(VIPS_FORMAT_UCHAR)
          .copy_memory();
  uint64_t hash = 0;
  int bit = 0;
  for (int y = 0; y < 8; ++y) {
    for (int x = 0; x < 8; ++x, ++bit) {
      if (grey.getpoint(x, y)[0] > grey.getpoint(x + 1, y)[0]) hash |= uint64_t{1} << bit;
    }
  }
  return hash;
}

uint64_t dHash(const std::string& bytes) { return dHash(decode(bytes)); }

int hammingDistance(uint64_t a, uint64_t b) { return std::popcount(a ^ b); }

}  // namespace nubis::images::pipeline::testing
