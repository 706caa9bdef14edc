// decodeInterlacedPng(): the same pixels and metadata libvips' loader gives (at 8 bits), for
// every layout and around the Adam7 pass grid, streamed in order; and render() of an
// interlaced PNG holds half an 8-bit raster, not a whole one at the file's depth.
#include "images/pipeline/png_decode.h"

#include <gtest/gtest.h>

#include <string>

#include "images/pipeline/memory_budget.h"
#include "images/pipeline/render.h"
#include "images/pipeline/test_bytes.h"
#include "images/pipeline/test_support.h"

namespace nubis::images::pipeline {
namespace {

using namespace testing;
using vips::VImage;

class PngDecodeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ensureVips(); }
};

std::string pngOf(const VImage& img, vips::VOption* options) {
  VipsBlob* blob = img.pngsave_buffer(options);
  std::string out(static_cast<const char*>(VIPS_AREA(blob)->data), VIPS_AREA(blob)->length);
  vips_area_unref(VIPS_AREA(blob));
  return out;
}

// What libvips' own loader gives, at 8 bits a sample.
VImage reference(const std::string& png) {
  VImage img = VImage::pngload_buffer(vips_blob_copy(png.data(), png.size()));
  if (img.format() == VIPS_FORMAT_USHORT) {
    img = img.colourspace(img.bands() >= 3 ? VIPS_INTERPRETATION_sRGB : VIPS_INTERPRETATION_B_W);
  }
  return img.copy_memory();
}

VImage ours(const std::string& png) {
  VImage header = VImage::pngload_buffer(vips_blob_copy(png.data(), png.size()),
                                         VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL));
  return detail::decodeInterlacedPng(png, header).copy_memory();
}

VImage rgb16(int w, int h, bool alpha) {
  VImage g = gradientImage(w, h).cast(VIPS_FORMAT_USHORT) * 257 + VImage::xyz(w, h)[0];
  if (alpha) g = g.bandjoin(VImage::xyz(w, h)[1] * 1000);
  return g.cast(VIPS_FORMAT_USHORT)
      .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_RGB16));
}

TEST_F(PngDecodeTest, SamePixelsAsLibvipsForEveryLayout) {
  for (auto [w, h] : {std::pair{1, 1}, {2, 3}, {7, 9}, {1, 9}, {9, 1}, {33, 17}, {64, 33}}) {
    const VImage rgb = gradientImage(w, h);
    struct Case {
      const char* name;
      std::string png;
    };
    auto interlaced = [] { return VImage::option()->set("interlace", true); };
    const Case cases[] = {
        {"rgb", pngOf(rgb, interlaced())},
        {"rgba", pngOf(rgb.bandjoin(VImage::xyz(w, h)[0] * 7), interlaced())},
        {"grey", pngOf(rgb.colourspace(VIPS_INTERPRETATION_B_W), interlaced())},
        {"grey+alpha", pngOf(rgb.colourspace(VIPS_INTERPRETATION_B_W).bandjoin(128), interlaced())},
        {"grey 1-bit",
         pngOf(rgb.colourspace(VIPS_INTERPRETATION_B_W), interlaced()->set("bitdepth", 1))},
        {"palette with alpha",
         pngOf(rgb.bandjoin(VImage::xyz(w, h)[1] * 9), interlaced()->set("palette", true))},
        {"rgb 16-bit", pngOf(rgb16(w, h, false), interlaced()->set("bitdepth", 16))},
        {"rgba 16-bit", pngOf(rgb16(w, h, true), interlaced()->set("bitdepth", 16))},
    };
    for (const Case& c : cases) {
      const std::string what =
          std::string(c.name) + " " + std::to_string(w) + "x" + std::to_string(h);
      ASSERT_TRUE(detail::isInterlacedPng(c.png)) << what;
      const VImage want = reference(c.png);
      const VImage got = ours(c.png);
      ASSERT_EQ(got.width(), want.width()) << what;
      ASSERT_EQ(got.height(), want.height()) << what;
      ASSERT_EQ(got.bands(), want.bands()) << what;
      EXPECT_EQ(got.format(), VIPS_FORMAT_UCHAR) << what;
      EXPECT_EQ((got.cast(VIPS_FORMAT_INT) - want.cast(VIPS_FORMAT_INT)).abs().max(), 0) << what;
    }
  }
}

TEST_F(PngDecodeTest, CarriesTheLoadersMetadata) {
  VImage img = gradientImage(20, 10).copy();
  img.set("png-comment-0-Title", "a title");
  const std::string png = pngOf(img, VImage::option()->set("interlace", true));
  const VImage got = ours(png);
  EXPECT_EQ(std::string(got.get_string("png-comment-0-Title")), "a title");
  EXPECT_EQ(got.get_int("interlaced"), 1);
}

TEST_F(PngDecodeTest, DamageFailsTheDecode) {
  const std::string png = pngOf(gradientImage(40, 30), VImage::option()->set("interlace", true));
  // Cut inside the image data: the even rows (passes 1-6) come first, so an early cut fails up
  // front and a late one (inside pass 7) fails the pipeline reading the image.
  const size_t iend = png.size() - 12;
  for (size_t cut : {size_t{60}, iend - 10}) {
    const std::string damaged = png.substr(0, cut);
    EXPECT_THROW(
        {
          VImage header =
              VImage::pngload_buffer(vips_blob_copy(png.data(), png.size()),
                                     VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL));
          (void)detail::decodeInterlacedPng(damaged, header).avg();
        },
        vips::VError)
        << cut;
    vips_error_clear();
  }
}

TEST_F(PngDecodeTest, RendersLikeTheSameImageNotInterlaced) {
  const VImage img = halvesImage(64, 33, kRed, kBlue).bandjoin(255);
  const std::string interlaced = pngOf(img, VImage::option()->set("interlace", true));
  const std::string plain = pngOf(img, VImage::option());
  for (int rotate : {0, 90}) {  // 90 needs random access: a copy of the sequential image
    TransformOptions o;
    o.width = 40;
    o.rotate = rotate;
    o.format = OutputFormat::kPng;
    ProbeInfo info;
    info.format = Format::kPng;
    auto a = render(interlaced, info, o, Accept{});
    auto b = render(plain, info, o, Accept{});
    ASSERT_TRUE(a.ok()) << a.error().message;
    ASSERT_TRUE(b.ok()) << b.error().message;
    EXPECT_EQ(a->width, b->width);
    EXPECT_EQ(a->height, b->height);
    EXPECT_EQ((decode(a->bytes).cast(VIPS_FORMAT_INT) - decode(b->bytes).cast(VIPS_FORMAT_INT))
                  .abs()
                  .max(),
              0)
        << rotate;
  }
}

TEST_F(PngDecodeTest, RenderHoldsHalfAnEightBitRaster) {
  // 4000x4000 16-bit RGBA interlaced: libvips would hold 128 MB; here the even rows at 8 bits
  // are 32 MB.
  const uint32_t n = 4000;
  const std::string png =
      pngWithData(n, n, 16, 6, true, zlibZeros(pngImageDataBytes(n, n, 16, 6, true)));
  detail::PngHeader h;
  ASSERT_TRUE(detail::readPngHeader(png, h));
  EXPECT_EQ(detail::interlacedPngBytes(h, true), uint64_t{n} * n * 4 / 2);

  PeakRss peak;
  if (!peak.start()) GTEST_SKIP() << "cannot reset VmHWM here";
  TransformOptions o;
  o.width = 12000;
  o.height = 12000;  // the public variant: full size
  ProbeInfo info;
  info.format = Format::kPng;
  auto out = render(png, info, o, Accept{});
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->width, static_cast<int>(n));
  EXPECT_LT(peak.growthMb(), 96) << "libvips alone would hold 128 MB";
  EXPECT_EQ(detail::decodeBudget().inUse(), 0u);
}

}  // namespace
}  // namespace nubis::images::pipeline
