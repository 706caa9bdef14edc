// The streaming downscaler (resample.h) and the JPEG decode to size (jpeg_to_size.h): weights,
// SIMD against the plain C passes bit for bit, flat areas exact, and renders of real JPEGs
// against libvips' own resize by perceptual hash and by mean difference.
#include "images/pipeline/resample.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <cstdlib>
#include <numeric>
#include <random>

#include "images/pipeline/jpeg_to_size.h"
#include "images/pipeline/test_support.h"
#include "images/pipeline/vips_util.h"

namespace nubis::images::pipeline::detail {
namespace {

using testing::ensureVips;

TEST(Lanczos3Weights, EveryOutputSumsToOneAndStaysInsideTheSource) {
  for (auto [in, out] : {std::pair{4000, 1024}, {1500, 1024}, {17, 5}, {1024, 1024}, {9, 1},
                         {3, 2}, {100000, 7}}) {
    const Coefficients c = lanczos3(in, out);
    ASSERT_EQ(c.taps.size(), static_cast<size_t>(out));
    for (const Taps& t : c.taps) {
      ASSERT_GE(t.first, 0);
      ASSERT_GE(t.count, 1);
      ASSERT_LE(t.first + t.count, in) << in << "->" << out;
      ASSERT_LE(t.count + t.count % 2, c.max_count);
      int sum = 0;
      for (int k = 0; k < t.count + t.count % 2; ++k) sum += c.weights[t.offset + k];
      EXPECT_EQ(sum, 1 << kWeightBits) << in << "->" << out;
      if (t.count % 2 != 0) {
        EXPECT_EQ(c.weights[t.offset + t.count], 0);
      }
    }
  }
}

TEST(Lanczos3Weights, IdentityIsOneTapPerSample) {
  const Coefficients c = lanczos3(10, 10);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(c.taps[i].first, i);
    EXPECT_EQ(c.taps[i].count, 1);
    EXPECT_EQ(c.weights[c.taps[i].offset], 1 << kWeightBits);
  }
}

TEST(Lanczos3Weights, RefusesEnlargingAndEmptyAxes) {
  EXPECT_THROW(lanczos3(10, 11), std::invalid_argument);
  EXPECT_THROW(lanczos3(0, 0), std::invalid_argument);
  EXPECT_THROW(lanczos3(10, 0), std::invalid_argument);
}

TEST(ResamplePasses, SimdMatchesPlainCBitForBit) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255);
  for (auto [in, out] : {std::pair{4000, 1024}, {1500, 1024}, {33, 7}, {64, 64}, {5, 2}}) {
    const Coefficients c = lanczos3(in, out);
    std::vector<uint8_t> src(static_cast<size_t>(in) * 4 + 16);
    for (size_t i = 0; i < static_cast<size_t>(in) * 4; ++i) src[i] = static_cast<uint8_t>(byte(rng));
    std::vector<uint8_t> a(static_cast<size_t>(out) * 4), b(a.size());
    Resampler::horizontal(src.data(), a.data(), c);
    Resampler::horizontalScalar(src.data(), b.data(), c);
    ASSERT_EQ(a, b) << "horizontal " << in << "->" << out;
  }
  // Vertical: rows of 64 bytes; weights with negative lobes, an odd count padded with zero.
  const Coefficients c = lanczos3(31, 4);
  for (const Taps& t : c.taps) {
    const int padded = t.count + t.count % 2;
    std::vector<std::vector<uint8_t>> rows(static_cast<size_t>(padded), std::vector<uint8_t>(64));
    std::vector<const uint8_t*> ptrs;
    for (auto& r : rows) {
      for (auto& v : r) v = static_cast<uint8_t>(byte(rng));
      ptrs.push_back(r.data());
    }
    std::vector<uint8_t> a(64), b(64);
    Resampler::vertical(ptrs.data(), c.weights.data() + t.offset, padded, 64, a.data());
    Resampler::verticalScalar(ptrs.data(), c.weights.data() + t.offset, padded, 64, b.data());
    ASSERT_EQ(a, b);
  }
}

std::vector<uint8_t> resampleRows(int sw, int sh, int dw, int dh,
                                  const std::function<uint8_t(int, int, int)>& px) {
  Resampler r(sw, sh, dw, dh);
  for (int y = 0; y < sh; ++y) {
    uint8_t* row = r.rowBuffer();
    for (int x = 0; x < sw; ++x) {
      for (int ch = 0; ch < 4; ++ch) row[x * 4 + ch] = px(x, y, ch);
    }
    r.pushRow();
  }
  EXPECT_TRUE(r.done());
  const size_t n = r.outputBytes();
  const std::unique_ptr<uint8_t[]> out = r.takeOutput();
  return std::vector<uint8_t>(out.get(), out.get() + n);
}

TEST(Resampler, FlatColourStaysExact) {
  const auto out = resampleRows(977, 613, 300, 200, [](int, int, int ch) {
    return static_cast<uint8_t>(ch == 0 ? 200 : ch == 1 ? 17 : ch == 2 ? 255 : 0);
  });
  ASSERT_EQ(out.size(), 300u * 200 * 3);
  for (size_t i = 0; i < out.size(); i += 3) {
    ASSERT_EQ(out[i], 200);
    ASSERT_EQ(out[i + 1], 17);
    ASSERT_EQ(out[i + 2], 255);
  }
}

TEST(Resampler, IdentityCopiesThePixels) {
  const auto out = resampleRows(37, 11, 37, 11, [](int x, int y, int ch) {
    return static_cast<uint8_t>((x * 7 + y * 13 + ch * 50) & 0xFF);
  });
  for (int y = 0; y < 11; ++y) {
    for (int x = 0; x < 37; ++x) {
      for (int ch = 0; ch < 3; ++ch) {
        ASSERT_EQ(out[(y * 37 + x) * 3 + ch], (x * 7 + y * 13 + ch * 50) & 0xFF);
      }
    }
  }
}

TEST(Resampler, ReducesASmoothRampToTheSameRamp) {
  // A horizontal ramp 0..255 over 1024 px reduced to 256: pixel i is the mean of source pixels
  // 4i..4i+3, i.e. about i * 4 * 255 / 1023 + 1.5 * 255 / 1023.
  const auto out = resampleRows(1024, 8, 256, 2, [](int x, int, int) {
    return static_cast<uint8_t>(std::lround(x * 255.0 / 1023));
  });
  for (int x = 4; x < 252; ++x) {  // away from the edges, where the kernel is cut
    const double expected = (4 * x + 1.5) * 255.0 / 1023;
    ASSERT_NEAR(out[x * 3], expected, 1.0) << x;
  }
}

TEST(Resampler, RefusesRowsPastTheEnd) {
  Resampler r(4, 2, 2, 1);
  r.pushRow();
  r.pushRow();
  EXPECT_TRUE(r.done());
  EXPECT_THROW(r.pushRow(), std::logic_error);
}

TEST(JpegScaleEighths, SmallestScaleAtOrAboveTheTarget) {
  EXPECT_EQ(jpegScaleEighths(4000, 3000, 1024, 768), 4);   // 2000x1500 (3/8 is never used)
  EXPECT_EQ(jpegScaleEighths(4096, 4096, 1024, 1024), 2);  // exactly 1024
  EXPECT_EQ(jpegScaleEighths(4096, 4096, 1025, 1024), 4);
  EXPECT_EQ(jpegScaleEighths(3840, 2160, 1024, 576), 4);   // 1920x1080
  EXPECT_EQ(jpegScaleEighths(4000, 3000, 4000, 3000), 8);
  EXPECT_EQ(jpegScaleEighths(4000, 3000, 2001, 1000), 8);
  EXPECT_EQ(jpegScaleEighths(4000, 3000, 100, 100), 1);
  EXPECT_EQ(jpegScaleEighths(9, 9, 2, 2), 1);  // ceil(9/8) = 2 >= 2
  EXPECT_EQ(jpegScaleEighths(9, 9, 3, 2), 2);  // ceil(18/8) = 3
}

double meanAbsDiff(const vips::VImage& a, const vips::VImage& b) {
  return (a.cast(VIPS_FORMAT_FLOAT) - b.cast(VIPS_FORMAT_FLOAT)).abs().avg();
}

TEST(DecodeJpegToSize, MatchesLibvipsResizeOfTheSamePhoto) {
  ensureVips();
  const std::string jpeg = testing::toJpeg(testing::gradientImage(1600, 1200), 92);
  BorrowedBlob blob(jpeg);
  const vips::VImage header = loadAs(Format::kJpeg, blob, vips::VImage::option());
  for (auto [w, h] : {std::pair{400, 300}, {1024, 768}, {1600, 1200}, {333, 1000}}) {
    auto img = decodeJpegToSize(jpeg, header, w, h, 1ull << 30);
    ASSERT_TRUE(img.has_value());
    EXPECT_EQ(img->width(), w);
    EXPECT_EQ(img->height(), h);
    EXPECT_EQ(img->bands(), 3);
    EXPECT_EQ(img->interpretation(), VIPS_INTERPRETATION_sRGB);
    const vips::VImage reference = testing::decode(jpeg).thumbnail_image(
        w, vips::VImage::option()->set("height", h)->set("size", VIPS_SIZE_FORCE));
    // Measured: 0.0 to 0.31 levels. A smooth gradient has many near-equal neighbours, so its
    // dHash bits flip easily: a few of 64 may differ.
    EXPECT_LT(meanAbsDiff(*img, reference), 1.0) << w << "x" << h;
    EXPECT_LE(testing::hammingDistance(testing::dHash(*img), testing::dHash(reference)), 4);
  }
}

TEST(DecodeJpegToSize, GreyBecomesRgbAndCmykIsLeftToLibvips) {
  ensureVips();
  const std::string grey =
      testing::toJpeg(testing::gradientImage(320, 240).colourspace(VIPS_INTERPRETATION_B_W));
  BorrowedBlob g(grey);
  auto img = decodeJpegToSize(grey, loadAs(Format::kJpeg, g, vips::VImage::option()), 160, 120,
                              1ull << 30);
  ASSERT_TRUE(img.has_value());
  EXPECT_EQ(img->bands(), 3);
  const auto px = testing::pixelAt(*img, 80, 60);
  EXPECT_EQ(px[0], px[1]);
  EXPECT_EQ(px[1], px[2]);

  const std::string cmyk = testing::cmykJpeg(64, 64, testing::kRed);
  BorrowedBlob c(cmyk);
  EXPECT_FALSE(decodeJpegToSize(cmyk, loadAs(Format::kJpeg, c, vips::VImage::option()), 32, 32,
                                1ull << 30)
                   .has_value());
}

TEST(DecodeJpegToSize, KeepsTheHeaderMetadataAndRefusesEnlarging) {
  ensureVips();
  const std::string jpeg = testing::jpegWithOrientation(testing::halvesImage(80, 40, testing::kRed,
                                                                             testing::kBlue), 6);
  BorrowedBlob blob(jpeg);
  const vips::VImage header = loadAs(Format::kJpeg, blob, vips::VImage::option());
  auto img = decodeJpegToSize(jpeg, header, 40, 20, 1ull << 30);
  ASSERT_TRUE(img.has_value());
  EXPECT_EQ(img->get_int(VIPS_META_ORIENTATION), 6);
  EXPECT_FALSE(decodeJpegToSize(jpeg, header, 81, 40, 1ull << 30).has_value());
}

TEST(DecodeJpegToSize, TruncatedDataFailsOrDecodesButNeverCrashes) {
  ensureVips();
  const std::string jpeg = testing::toJpeg(testing::gradientImage(640, 480));
  for (size_t cut : {jpeg.size() / 2, size_t{700}, size_t{300}}) {
    const std::string part = jpeg.substr(0, cut);
    BorrowedBlob blob(part);
    vips::VImage header;
    try {
      header = loadAs(Format::kJpeg, blob, vips::VImage::option());
    } catch (const vips::VError&) {
      continue;  // not even a header
    }
    try {
      auto img = decodeJpegToSize(part, header, 320, 240, 1ull << 30);
      if (img) {
        EXPECT_EQ(img->width(), 320);
      }
    } catch (const vips::VError&) {
    }
  }
}

}  // namespace
}  // namespace nubis::images::pipeline::detail
