// probe(): every accepted format, every refusal, and that hostile headers are refused from the
// header alone (fast, without allocating the claimed image).
#include "images/pipeline/probe.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>

#include "images/pipeline/jpeg_scan.h"
#include "images/pipeline/memory_budget.h"
#include "images/pipeline/render.h"
#include "images/pipeline/test_bytes.h"
#include "images/pipeline/test_support.h"

namespace nubis::images::pipeline {
namespace {

using namespace testing;

class ProbeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ensureVips(); }
};

void expectRefused(const std::string& bytes, Failure kind, const Limits& limits = Limits{}) {
  auto info = probe(bytes, limits);
  ASSERT_FALSE(info.ok()) << "accepted " << bytes.size() << " bytes";
  EXPECT_EQ(info.error().kind, kind)
      << failureName(info.error().kind) << ": " << info.error().message;
  EXPECT_FALSE(info.error().message.empty());
}

std::string take(VipsBlob* blob) {
  std::string out(static_cast<const char*>(VIPS_AREA(blob)->data), VIPS_AREA(blob)->length);
  vips_area_unref(VIPS_AREA(blob));
  return out;
}

long peakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

TEST_F(ProbeTest, AcceptsEveryRasterFormat) {
  vips::VImage img = gradientImage(120, 80);
  struct Case {
    const char* name;
    std::string bytes;
    Format format;
  };
  const Case cases[] = {
      {"jpeg", toJpeg(img), Format::kJpeg}, {"png", toPng(img), Format::kPng},
      {"gif", toGif(img), Format::kGif},    {"webp", toWebp(img), Format::kWebp},
      {"avif", toAvif(img), Format::kAvif}, {"heic", toHeic(img), Format::kHeic},
  };
  for (const Case& c : cases) {
    auto info = probe(c.bytes);
    ASSERT_TRUE(info.ok()) << c.name << ": " << info.error().message;
    EXPECT_EQ(info->format, c.format) << c.name;
    EXPECT_EQ(info->width, 120) << c.name;
    EXPECT_EQ(info->height, 80) << c.name;
    EXPECT_EQ(info->frames, 1) << c.name;
    EXPECT_EQ(info->orientation, 1) << c.name;
    EXPECT_FALSE(info->has_alpha) << c.name;
  }
}

TEST_F(ProbeTest, ReportsDisplayedSizeAndOrientation) {
  auto info = probe(jpegWithOrientation(halvesImage(200, 100, kRed, kBlue), 6));
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->orientation, 6);
  EXPECT_EQ(info->width, 100);  // stored 200x100, displayed turned a quarter
  EXPECT_EQ(info->height, 200);
}

TEST_F(ProbeTest, CountsAnimationFrames) {
  for (const char* format : {"gif", "webp"}) {
    auto info = probe(animated(format, 5, 40, 30));
    ASSERT_TRUE(info.ok()) << format << ": " << info.error().message;
    EXPECT_EQ(info->frames, 5) << format;
    EXPECT_EQ(info->width, 40) << format;
    EXPECT_EQ(info->height, 30) << format;  // one frame
  }
}

TEST_F(ProbeTest, SixteenBitPngWithAlpha) {
  auto info = probe(png16Alpha(64, 32));
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->format, Format::kPng);
  EXPECT_TRUE(info->has_alpha);
  EXPECT_EQ(info->width, 64);
}

TEST_F(ProbeTest, CmykJpeg) {
  auto info = probe(cmykJpeg(50, 40, kRed));
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->format, Format::kJpeg);
  EXPECT_EQ(info->width, 50);
}

TEST_F(ProbeTest, SvgSizeFromTheRootElement) {
  auto info = probe(
      "<?xml version=\"1.0\"?>\n<!-- logo -->\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
      "viewBox=\"0 0 64 48\"><script>alert(1)</script></svg>");
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->format, Format::kSvg);
  EXPECT_EQ(info->width, 64);
  EXPECT_EQ(info->height, 48);
  EXPECT_TRUE(info->has_alpha);
  // Pixel limits do not apply: SVG is never rasterised.
  auto huge = probe("<svg width='50000' height='50000'/>");
  ASSERT_TRUE(huge.ok());
  EXPECT_EQ(huge->width, 50000);
  expectRefused("<svg width='10' height='10'", Failure::kCorrupt);
}

TEST_F(ProbeTest, RefusesOtherTypes) {
  vips::VImage img = solidImage(16, 16, kRed);
  expectRefused(toTiff(img), Failure::kUnsupportedFormat);
  expectRefused(bmpBytes(16, 16), Failure::kUnsupportedFormat);
  expectRefused("just some text, not an image\n", Failure::kUnsupportedFormat);
  expectRefused("", Failure::kUnsupportedFormat);
  expectRefused("<html><body>hi</body></html>", Failure::kUnsupportedFormat);
}

TEST_F(ProbeTest, OtherLoadersAreBlockedInsideLibvips) {
  // Even libvips' own detection cannot reach TIFF once initVips() has run.
  std::string tiff = toTiff(solidImage(8, 8, kRed));
  EXPECT_THROW(vips::VImage::new_from_buffer(tiff.data(), tiff.size(), "").avg(), vips::VError);
  vips_error_clear();
}

TEST_F(ProbeTest, RefusesOverByteLimit) {
  std::string png = toPng(gradientImage(64, 64));
  Limits limits;
  limits.max_bytes = png.size() - 1;
  expectRefused(png, Failure::kTooLarge, limits);
  limits.max_bytes = png.size();
  EXPECT_TRUE(probe(png, limits).ok());
}

TEST_F(ProbeTest, RefusesOverSideAndAreaLimits) {
  std::string png = toPng(solidImage(300, 200, kBlue));
  Limits limits;
  limits.max_side = 299;
  expectRefused(png, Failure::kTooManyPixels, limits);
  limits = Limits{};
  limits.max_area = 300 * 200 - 1;
  expectRefused(png, Failure::kTooManyPixels, limits);
  limits.max_area = 300 * 200;
  EXPECT_TRUE(probe(png, limits).ok());
}

TEST_F(ProbeTest, DecompressionBombIsRefusedFromTheHeader) {
  std::string bomb = pngBomb(100000, 100000);
  ASSERT_LT(bomb.size(), 100u);
  const long rss_before = peakRssMb();
  const auto start = std::chrono::steady_clock::now();
  auto info = probe(bomb);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().kind, Failure::kTooManyPixels) << info.error().message;
  EXPECT_NE(info.error().message.find("100000x100000"), std::string::npos) << info.error().message;
  EXPECT_LT(elapsed, std::chrono::seconds(2));
  // 10^10 RGB pixels would be 30 GB; the peak must not move by more than noise.
  EXPECT_LT(peakRssMb() - rss_before, 50);
}

TEST_F(ProbeTest, WithinLimitsBombHeaderIsCaughtByTheDataCheck) {
  // 4000x4000 is within every limit, but the IDAT holds nothing: the data check must fail.
  auto info = probe(pngBomb(4000, 4000));
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().kind, Failure::kCorrupt) << info.error().message;
}

TEST_F(ProbeTest, AnimationBombIsRefusedFromTheHeader) {
  // 60 frames of 1000x1000 in under 2 KB: 60 MP summed, over the 50 MP default.
  std::string bomb = gifBomb(60, 1000, 1000);
  ASSERT_LT(bomb.size(), 2000u);
  const auto start = std::chrono::steady_clock::now();
  auto info = probe(bomb);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().kind, Failure::kAnimationTooLarge) << info.error().message;
  EXPECT_NE(info.error().message.find("60 frames"), std::string::npos) << info.error().message;
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

TEST_F(ProbeTest, AnimationLimitsOnRealAnimations) {
  std::string gif = animated("gif", 12, 50, 40);
  Limits limits;
  limits.max_animation_area = 12 * 50 * 40 - 1;
  expectRefused(gif, Failure::kAnimationTooLarge, limits);
  limits.max_animation_area = 12 * 50 * 40;
  EXPECT_TRUE(probe(gif, limits).ok());
  limits.max_frames = 11;
  expectRefused(gif, Failure::kAnimationTooLarge, limits);
  // A still image is never judged by the animation limit.
  Limits tiny;
  tiny.max_animation_area = 10;
  EXPECT_TRUE(probe(toPng(solidImage(50, 40, kRed)), tiny).ok());
}

TEST_F(ProbeTest, RefusesTruncatedData) {
  vips::VImage img = gradientImage(200, 150);
  struct Case {
    const char* name;
    std::string bytes;
  };
  const Case cases[] = {
      {"jpeg", toJpeg(img)}, {"png", toPng(img)},   {"gif", toGif(img)},
      {"webp", toWebp(img)}, {"avif", toAvif(img)}, {"animated gif", animated("gif", 6, 60, 40)},
  };
  for (const Case& c : cases) {
    ASSERT_TRUE(probe(c.bytes).ok()) << c.name;
    // Cut late enough that the header survives: only decoding can tell.
    std::string cut = c.bytes.substr(0, c.bytes.size() * 3 / 4);
    auto info = probe(cut);
    ASSERT_FALSE(info.ok()) << c.name << " truncated was accepted";
    EXPECT_EQ(info.error().kind, Failure::kCorrupt)
        << c.name << ": " << failureName(info.error().kind) << " " << info.error().message;
  }
}

TEST_F(ProbeTest, GifWithoutTrailerIsAccepted) {
  // Only the final 0x3B is missing: every frame is whole, as many encoders and browsers allow.
  std::string gif = animated("gif", 3, 20, 10);
  ASSERT_EQ(gif.back(), ';');
  auto info = probe(gif.substr(0, gif.size() - 1));
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->frames, 3);
}

TEST_F(ProbeTest, TinyJpegDoesNotAbortLibvips) {
  // Regression (fuzz/image_probe.cc): shrink-on-load of a 3 px wide JPEG made libvips 8.14 abort
  // the process on an assertion. Every width below 64 px goes through a smaller shrink.
  for (int w : {1, 3, 7, 15, 31, 63}) {
    std::string jpeg = toJpeg(gradientImage(w, 16));
    auto info = probe(jpeg);
    ASSERT_TRUE(info.ok()) << w << ": " << info.error().message;
    EXPECT_EQ(info->width, w);
    TransformOptions one;
    one.width = 1;
    auto out = render(jpeg, *info, one, Accept{});
    ASSERT_TRUE(out.ok()) << w << ": " << out.error().message;
    EXPECT_EQ(out->width, 1);
  }
}

TEST_F(ProbeTest, RefusesGarbageAfterMagic) {
  expectRefused("\xFF\xD8\xFF\xE0 this is not really a jpeg at all", Failure::kCorrupt);
  expectRefused(std::string("\x89PNG\r\n\x1A\n") + std::string(64, 'x'), Failure::kCorrupt);
  expectRefused("GIF89a\x01", Failure::kCorrupt);
}


// R4 (tests/reliability/r4_hostile_images.mjs): data that stops early under a huge header, and
// data that goes on past a tiny one. Each is refused as corrupt in milliseconds, without the
// claimed image ever being allocated.
TEST_F(ProbeTest, HostileDataIsRefusedQuicklyAndCheaply) {
  struct Case {
    const char* name;
    std::string bytes;
  };
  const Case cases[] = {
      {"PNG 1x1 whose IDAT inflates to 4 GB",
       pngWithData(1, 1, 8, 0, false, zlibZeros(uint64_t{4} << 30))},
      {"baseline JPEG claiming 12000x8000 over a 16x16 scan",
       jpegClaiming(toJpeg(gradientImage(16, 16)), 12000, 8000)},
      {"progressive JPEG claiming 12000x8000 over 16x16 scans",
       jpegClaiming(take(gradientImage(16, 16).jpegsave_buffer(
                        vips::VImage::option()->set("interlace", true))),
                    12000, 8000)},
      {"GIF 12000x8000 frame with one pixel of LZW data",
       gifOnePixelFrame(12000, 8000, 12000, 8000)},
  };
  for (const Case& c : cases) {
    PeakRss peak;
    const bool measured = peak.start();
    const auto start = std::chrono::steady_clock::now();
    auto info = probe(c.bytes);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(info.ok()) << c.name << " was accepted";
    EXPECT_EQ(info.error().kind, Failure::kCorrupt)
        << c.name << ": " << failureName(info.error().kind) << " " << info.error().message;
    EXPECT_LT(elapsed, std::chrono::milliseconds(500)) << c.name;
    if (measured) {
      EXPECT_LT(peak.growthMb(), 20) << c.name;
    }
  }
}

TEST_F(ProbeTest, InterlacedPngIsCheckedWithoutBeingDecoded) {
  // Valid, within every limit, and Adam7: a decoder would hold the whole 16-bit raster (128 MB
  // at 4000x4000); the data check inflates it through a 64 KB buffer.
  const uint32_t n = 4000;
  const std::string png =
      pngWithData(n, n, 16, 6, true, zlibZeros(pngImageDataBytes(n, n, 16, 6, true)));
  PeakRss peak;
  const bool measured = peak.start();
  auto info = probe(png);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->width, static_cast<int>(n));
  EXPECT_TRUE(info->has_alpha);
  if (measured) {
    EXPECT_LT(peak.growthMb(), 20);
  }
}

TEST_F(ProbeTest, JpegWarningsAreToldApart) {
  const std::string jpeg = toJpeg(gradientImage(120, 80));
  const size_t sof = jpeg.find("\xFF\xC0");
  ASSERT_NE(sof, std::string::npos);
  // Junk bytes between markers: libjpeg warns and decodes; so do browsers. Accepted.
  auto junk = probe(jpeg.substr(0, sof) + "\x00\x13junk!" + jpeg.substr(sof));
  ASSERT_TRUE(junk.ok()) << junk.error().message;
  EXPECT_EQ(junk->width, 120);
  // The scan's second half missing, EOI kept: the structure passes (jpeg_scan_test.cc), and
  // the upload is accepted without a decode (probe.h); render fills in what is missing.
  vips::VImage grain = vips::VImage::gaussnoise(256, 256, vips::VImage::option()->set("sigma", 60))
                           .cast(VIPS_FORMAT_UCHAR);
  const std::string noisy = toJpeg(grain.bandjoin(grain).bandjoin(grain).copy(
      vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB)));
  const size_t data = jpegFirstScanData(noisy);
  const size_t eoi = jpegEoi(noisy);
  auto cut = probe(noisy.substr(0, data + (eoi - data) / 2) + noisy.substr(eoi));
  ASSERT_TRUE(cut.ok()) << cut.error().message;
  EXPECT_EQ(cut->width, 256);
  // Cut before EOI instead: refused by structure.
  auto truncated = probe(noisy.substr(0, data + (eoi - data) / 2));
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.error().kind, Failure::kCorrupt) << truncated.error().message;
}

TEST_F(ProbeTest, DecodeLargerThanTheWholeBudgetIsRefused) {
  // A valid 9500x9500 progressive 4:4:4 JPEG (90 MP, within the limits): libjpeg would hold 541
  // MB of coefficients, more than the 512 MB decode budget can ever give.
  const std::string jpeg = jpegDcOnly(9500, 9500, 3);
  auto info = probe(jpeg);
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().kind, Failure::kTooManyPixels) << info.error().message;
  EXPECT_NE(info.error().message.find("MB"), std::string::npos) << info.error().message;
}

TEST_F(ProbeTest, BusyWhileTheBudgetIsHeldExceptForStreamingDecodes) {
  detail::MemoryBudget& budget = detail::decodeBudget();
  auto all = budget.acquire(budget.capacity());
  ASSERT_TRUE(all) << "the budget should be free between tests";
  // GIF holds its frame: it waits (1 s) and gives up.
  auto gif = probe(toGif(gradientImage(64, 48)));
  ASSERT_FALSE(gif.ok());
  EXPECT_EQ(gif.error().kind, Failure::kBusy) << gif.error().message;
  // Baseline JPEG and PNG stream (and PNG is not decoded at all): nothing to wait for.
  EXPECT_TRUE(probe(toJpeg(gradientImage(64, 48))).ok());
  EXPECT_TRUE(probe(toPng(gradientImage(64, 48))).ok());
  all.reset();
  EXPECT_TRUE(probe(toGif(gradientImage(64, 48))).ok());
}

}  // namespace
}  // namespace nubis::images::pipeline
