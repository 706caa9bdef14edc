// Test helpers for the pipeline: images generated with libvips (no fixtures on disk), hand-made
// hostile headers, pixel reads, and a perceptual hash (dHash) to compare renders across formats.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>
#include <vips/vips8>

namespace nubis::images::pipeline::testing {

using Rgb = std::array<int, 3>;
inline constexpr Rgb kRed{255, 0, 0};
inline constexpr Rgb kBlue{0, 0, 255};
inline constexpr Rgb kGreen{0, 255, 0};
inline constexpr Rgb kWhite{255, 255, 255};

// Runs initVips() once for the process and fails the test if it cannot.
void ensureVips();

// In-memory images (8-bit sRGB).
vips::VImage solidImage(int w, int h, Rgb c);
// Left half `left`, right half `right`.
vips::VImage halvesImage(int w, int h, Rgb left, Rgb right);
// Smooth diagonal gradient with some structure (for hashing and resampling checks).
vips::VImage gradientImage(int w, int h);

// Encoders (libvips savers, default settings unless stated).
std::string toJpeg(const vips::VImage& img, int quality = 90);
std::string toPng(const vips::VImage& img);
std::string toWebp(const vips::VImage& img);
std::string toGif(const vips::VImage& img);
std::string toAvif(const vips::VImage& img);
std::string toHeic(const vips::VImage& img);
std::string toTiff(const vips::VImage& img);

// A JPEG whose stored pixels are `img` and whose EXIF says `orientation`.
std::string jpegWithOrientation(const vips::VImage& img, int orientation);
// A JPEG with EXIF Copyright and Artist tags.
std::string jpegWithExif(const vips::VImage& img, const char* copyright, const char* artist);
// A 4-band CMYK JPEG without an ICC profile, showing `c` (converted with libvips' CMYK profile).
std::string cmykJpeg(int w, int h, Rgb c);
// A 16-bit RGBA PNG: left half opaque red, right half fully transparent.
std::string png16Alpha(int w, int h);
// An animated image of `frames` frames (colours cycle red, green, blue), GIF or WebP.
std::string animated(std::string_view format, int frames, int w, int h);

// Hand-made hostile inputs.
std::string pngBomb(uint32_t w, uint32_t h);    // valid signature + IHDR (+ tiny IDAT, IEND)
std::string gifBomb(int frames, int w, int h);  // `frames` descriptors of w x h, 3 bytes each
std::string bmpBytes(int w, int h);             // a valid 24-bit BMP

// Decoding for assertions (through the loaders initVips leaves open).
vips::VImage decode(const std::string& bytes);
std::vector<double> pixelAt(const vips::VImage& img, int x, int y);
// Whether pixel (x,y) of `img` is within `tolerance` of `c` on each of R, G, B.
bool near(const vips::VImage& img, int x, int y, Rgb c, int tolerance = 40);

// Peak memory of what runs between start() and growthMb(): VmHWM is reset to the current RSS
// (Linux: /proc/self/clear_refs), so earlier tests' peaks do not hide this one. start() is
// false where the reset is not permitted (callers skip).
class PeakRss {
 public:
  bool start();
  long growthMb() const;  // VmHWM now minus VmRSS at start()

 private:
  long rss_kb_ = 0;
};

// dHash: greyscale 9x8 thumbnail; bit i is set when pixel (x,y) is brighter than (x+1,y).
uint64_t dHash(const vips::VImage& img);
uint64_t dHash(const std::string& bytes);
int hammingDistance(uint64_t a, uint64_t b);

}  // namespace nubis::images::pipeline::testing
