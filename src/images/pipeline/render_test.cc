// render(): orientation, colour, fit modes on real pixels, format negotiation, animation,
// metadata, adjustments, and a perceptual check that formats agree.
#include "images/pipeline/render.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "images/pipeline/test_support.h"

namespace nubis::images::pipeline {
namespace {

using namespace testing;

class RenderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ensureVips(); }
};

const Accept kNoAccept{};
const Accept kWebpOnly{false, true};
const Accept kAll{true, true};

TransformOptions sized(std::optional<int> w, std::optional<int> h, images::Fit fit) {
  TransformOptions o;
  o.width = w;
  o.height = h;
  o.fit = fit;
  return o;
}

Rendered renderOk(const std::string& bytes, const TransformOptions& o, Accept accept = kNoAccept) {
  auto info = probe(bytes);
  EXPECT_TRUE(info.ok()) << (info.ok() ? "" : info.error().message);
  if (!info.ok()) return {};
  auto out = render(bytes, *info, o, accept);
  EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().message);
  if (!out.ok()) return {};
  return std::move(out).value();
}

TEST_F(RenderTest, AppliesExifOrientationBeforeGeometry) {
  // Stored 200x100, left half red; orientation 6 turns it clockwise: red ends on top.
  std::string jpeg = jpegWithOrientation(halvesImage(200, 100, kRed, kBlue), 6);
  Rendered r = renderOk(jpeg, TransformOptions{});
  EXPECT_EQ(r.format, Format::kJpeg);
  EXPECT_EQ(r.width, 100);
  EXPECT_EQ(r.height, 200);
  vips::VImage img = decode(r.bytes);
  EXPECT_EQ(img.width(), 100);
  EXPECT_EQ(img.height(), 200);
  EXPECT_TRUE(near(img, 50, 30, kRed));
  EXPECT_TRUE(near(img, 50, 170, kBlue));
  // The output must not ask a viewer to rotate again.
  EXPECT_TRUE(!img.get_typeof(VIPS_META_ORIENTATION) || img.get_int(VIPS_META_ORIENTATION) == 1);

  // Width refers to the upright image, with shrink-on-load underneath.
  Rendered small = renderOk(jpeg, sized(50, {}, images::Fit::kScaleDown));
  EXPECT_EQ(small.width, 50);
  EXPECT_EQ(small.height, 100);
  vips::VImage s = decode(small.bytes);
  EXPECT_TRUE(near(s, 25, 10, kRed));
  EXPECT_TRUE(near(s, 25, 90, kBlue));
}

TEST_F(RenderTest, ConvertsCmykToSrgb) {
  Rendered r = renderOk(cmykJpeg(64, 48, kRed), TransformOptions{});
  vips::VImage img = decode(r.bytes);
  EXPECT_EQ(img.bands(), 3);
  EXPECT_EQ(img.interpretation(), VIPS_INTERPRETATION_sRGB);
  EXPECT_TRUE(near(img, 32, 24, kRed, 60)) << pixelAt(img, 32, 24)[0];
}

TEST_F(RenderTest, ConvertsAnEmbeddedProfileToSrgb) {
  // Red in Display P3 has different numbers than red in sRGB; the output must be sRGB red.
  vips::VImage p3 = solidImage(40, 40, {200, 30, 30})
                        .icc_transform("p3", vips::VImage::option()->set("input_profile", "srgb"));
  ASSERT_TRUE(p3.get_typeof(VIPS_META_ICC_NAME));
  std::string jpeg = toJpeg(p3, 95);
  ASSERT_FALSE(near(decode(jpeg), 20, 20, {200, 30, 30}, 8));  // stored numbers differ
  Rendered r = renderOk(jpeg, TransformOptions{});
  EXPECT_TRUE(near(decode(r.bytes), 20, 20, {200, 30, 30}, 8));
}

TEST_F(RenderTest, FitModesOnRealPixels) {
  std::string png = toPng(halvesImage(400, 200, kRed, kBlue));
  using F = images::Fit;
  struct Case {
    const char* name;
    TransformOptions o;
    int w, h;
  };
  const Case cases[] = {
      {"scale-down", sized(100, 100, F::kScaleDown), 100, 50},
      {"scale-down no enlarge", sized(800, 800, F::kScaleDown), 400, 200},
      {"contain enlarges", sized(800, 800, F::kContain), 800, 400},
      {"cover", sized(100, 100, F::kCover), 100, 100},
      {"crop", sized(100, 100, F::kCrop), 100, 100},
      {"crop small", sized(800, 800, F::kCrop), 400, 200},
      {"pad", sized(100, 100, F::kPad), 100, 100},
      {"squeeze", sized(100, 100, F::kSqueeze), 100, 100},
      {"height only", sized({}, 50, F::kContain), 100, 50},
  };
  for (const Case& c : cases) {
    Rendered r = renderOk(png, c.o);
    EXPECT_EQ(r.format, Format::kPng) << c.name;
    vips::VImage img = decode(r.bytes);
    EXPECT_EQ(img.width(), c.w) << c.name;
    EXPECT_EQ(img.height(), c.h) << c.name;
    EXPECT_EQ(r.width, c.w) << c.name;
    EXPECT_EQ(r.height, c.h) << c.name;
  }
}

TEST_F(RenderTest, CoverGravityChoosesTheKeptSide) {
  std::string png = toPng(halvesImage(400, 200, kRed, kBlue));
  TransformOptions o = sized(100, 100, images::Fit::kCover);
  o.gravity.kind = Gravity::Kind::kLeft;
  EXPECT_TRUE(near(decode(renderOk(png, o).bytes), 50, 50, kRed, 10));
  o.gravity.kind = Gravity::Kind::kRight;
  EXPECT_TRUE(near(decode(renderOk(png, o).bytes), 50, 50, kBlue, 10));
  o.gravity = Gravity{Gravity::Kind::kPoint, 0.9, 0.5};
  EXPECT_TRUE(near(decode(renderOk(png, o).bytes), 50, 50, kBlue, 10));
  o.gravity.kind = Gravity::Kind::kAuto;  // attention: must run and keep the size
  vips::VImage smart = decode(renderOk(png, o).bytes);
  EXPECT_EQ(smart.width(), 100);
  EXPECT_EQ(smart.height(), 100);
}

TEST_F(RenderTest, PadFillsWithTheBackground) {
  std::string png = toPng(solidImage(200, 100, kBlue));
  TransformOptions o = sized(100, 100, images::Fit::kPad);
  vips::VImage white = decode(renderOk(png, o).bytes);
  EXPECT_TRUE(near(white, 50, 5, kWhite, 5));   // padding above
  EXPECT_TRUE(near(white, 50, 50, kBlue, 5));   // the image in the middle
  EXPECT_TRUE(near(white, 50, 95, kWhite, 5));  // padding below
  o.background = Rgba{0, 255, 0, 255};
  vips::VImage green = decode(renderOk(png, o).bytes);
  EXPECT_TRUE(near(green, 50, 5, kGreen, 5));
  // A transparent background gives transparent padding where the output has alpha.
  o.background = Rgba{0, 0, 0, 0};
  vips::VImage clear = decode(renderOk(png, o).bytes);
  ASSERT_EQ(clear.bands(), 4);
  EXPECT_EQ(pixelAt(clear, 50, 5)[3], 0);
  EXPECT_EQ(pixelAt(clear, 50, 50)[3], 255);
}

TEST_F(RenderTest, RefusesEnlargingPast5000) {
  std::string png = toPng(solidImage(100, 100, kRed));
  auto info = probe(png);
  ASSERT_TRUE(info.ok());
  auto out = render(png, *info, sized(6000, 6000, images::Fit::kContain), kNoAccept);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().kind, Failure::kTooLarge);
  // dpr counts: 3000 x 2 is past 5000 too.
  TransformOptions o = sized(3000, {}, images::Fit::kContain);
  o.dpr = 2;
  out = render(png, *info, o, kNoAccept);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().kind, Failure::kTooLarge);
}

TEST_F(RenderTest, DprMultipliesTheSize) {
  TransformOptions o = sized(50, {}, images::Fit::kScaleDown);
  o.dpr = 2;
  Rendered r = renderOk(toJpeg(gradientImage(400, 200)), o);
  EXPECT_EQ(r.width, 100);
  EXPECT_EQ(r.height, 50);
}

TEST_F(RenderTest, AutoFormatNegotiation) {
  std::string jpeg = toJpeg(gradientImage(300, 200));
  Rendered avif = renderOk(jpeg, TransformOptions{}, kAll);
  EXPECT_EQ(avif.format, Format::kAvif);
  EXPECT_EQ(sniff(avif.bytes), Format::kAvif);
  vips::VImage decoded = decode(avif.bytes);
  EXPECT_EQ(decoded.width(), 300);
  Rendered webp = renderOk(jpeg, TransformOptions{}, kWebpOnly);
  EXPECT_EQ(webp.format, Format::kWebp);
  EXPECT_EQ(sniff(webp.bytes), Format::kWebp);
  Rendered same = renderOk(jpeg, TransformOptions{}, kNoAccept);
  EXPECT_EQ(same.format, Format::kJpeg);
  EXPECT_EQ(sniff(same.bytes), Format::kJpeg);
  Rendered png = renderOk(toPng(gradientImage(30, 20)), TransformOptions{}, kNoAccept);
  EXPECT_EQ(sniff(png.bytes), Format::kPng);
}

TEST_F(RenderTest, AvifCapFallsBack) {
  // Longest side 1300: over the 1200 px auto cap, under the 1600 px explicit cap.
  std::string jpeg = toJpeg(solidImage(1300, 100, kRed));
  EXPECT_EQ(renderOk(jpeg, TransformOptions{}, kAll).format, Format::kWebp);
  EXPECT_EQ(renderOk(jpeg, TransformOptions{}, Accept{true, false}).format, Format::kJpeg);
  TransformOptions explicit_avif;
  explicit_avif.format = OutputFormat::kAvif;
  EXPECT_EQ(renderOk(jpeg, explicit_avif, kAll).format, Format::kAvif);
  // Shrinking under the cap brings AVIF back.
  TransformOptions smaller = sized(1200, {}, images::Fit::kScaleDown);
  EXPECT_EQ(renderOk(jpeg, smaller, kAll).format, Format::kAvif);
  std::string wide = toJpeg(solidImage(1700, 50, kRed));
  EXPECT_EQ(renderOk(wide, explicit_avif, kWebpOnly).format, Format::kWebp);
  EXPECT_EQ(renderOk(wide, explicit_avif, kNoAccept).format, Format::kJpeg);
}

TEST_F(RenderTest, ExplicitFormatsAndProgressiveJpeg) {
  std::string png = toPng(gradientImage(200, 100));
  TransformOptions o;
  o.format = OutputFormat::kJpeg;
  Rendered progressive = renderOk(png, o, kAll);
  EXPECT_EQ(progressive.format, Format::kJpeg);
  EXPECT_EQ(decode(progressive.bytes).get_int("jpeg-multiscan"), 1);
  o.format = OutputFormat::kBaselineJpeg;
  EXPECT_EQ(decode(renderOk(png, o, kAll).bytes).get_int("jpeg-multiscan"), 0);
  // Tiny outputs are baseline even when progressive is asked for.
  TransformOptions tiny = sized(40, {}, images::Fit::kScaleDown);
  tiny.format = OutputFormat::kJpeg;
  EXPECT_EQ(decode(renderOk(png, tiny, kAll).bytes).get_int("jpeg-multiscan"), 0);
  o.format = OutputFormat::kWebp;
  EXPECT_EQ(sniff(renderOk(png, o, kNoAccept).bytes), Format::kWebp);
  o.format = OutputFormat::kPng;
  EXPECT_EQ(sniff(renderOk(toJpeg(gradientImage(50, 50)), o, kAll).bytes), Format::kPng);
}

TEST_F(RenderTest, QualityChangesSizeAndPngQualityMeansPalette) {
  std::string src = toPng(gradientImage(300, 200));
  TransformOptions low, high;
  low.format = high.format = OutputFormat::kJpeg;
  low.quality = 20;
  high.quality = 95;
  EXPECT_LT(renderOk(src, low).bytes.size(), renderOk(src, high).bytes.size());
  TransformOptions png8;
  png8.format = OutputFormat::kPng;
  png8.quality = 60;
  vips::VImage palette = decode(renderOk(src, png8).bytes);
  ASSERT_TRUE(palette.get_typeof("palette-bit-depth"));
  EXPECT_LE(palette.get_int("palette-bit-depth"), 8);
}

TEST_F(RenderTest, JsonDescribesTheVariantWithoutEncoding) {
  std::string jpeg = jpegWithOrientation(gradientImage(400, 300), 6);
  TransformOptions o = sized(150, {}, images::Fit::kScaleDown);
  o.format = OutputFormat::kJson;
  Rendered r = renderOk(jpeg, o, kAll);
  EXPECT_EQ(r.format, Format::kUnknown);
  EXPECT_EQ(r.bytes, "{\"width\":150,\"height\":200,\"original\":{\"file_size\":" +
                         std::to_string(jpeg.size()) +
                         ",\"width\":300,\"height\":400,\"format\":\"image/jpeg\"}}");
}

TEST_F(RenderTest, AnimationIsKeptForGifAndWebp) {
  std::string gif = animated("gif", 4, 60, 40);
  TransformOptions o = sized(30, {}, images::Fit::kScaleDown);
  Rendered same = renderOk(gif, o, kNoAccept);
  EXPECT_EQ(same.format, Format::kGif);
  EXPECT_EQ(same.width, 30);
  EXPECT_EQ(same.height, 20);
  vips::VImage all = vips::VImage::new_from_buffer(same.bytes.data(), same.bytes.size(), "",
                                                   vips::VImage::option()->set("n", -1));
  EXPECT_EQ(vips_image_get_n_pages(all.get_image()), 4);
  EXPECT_EQ(all.height(), 80);
  // Frames keep their own colours, in order.
  EXPECT_TRUE(near(all, 15, 10, kRed));
  EXPECT_TRUE(near(all, 15, 30, kGreen));
  EXPECT_TRUE(near(all, 15, 50, kBlue));

  Rendered webp = renderOk(gif, o, kAll);  // AVIF is never animated: WebP
  EXPECT_EQ(webp.format, Format::kWebp);
  vips::VImage w = vips::VImage::new_from_buffer(webp.bytes.data(), webp.bytes.size(), "",
                                                 vips::VImage::option()->set("n", -1));
  EXPECT_EQ(vips_image_get_n_pages(w.get_image()), 4);

  // Per-frame geometry: a cover crop and a flip apply to every frame, not to the strip.
  TransformOptions crop = sized(20, 20, images::Fit::kCover);
  crop.flip_v = true;
  Rendered cropped = renderOk(animated("webp", 3, 60, 40), crop, kWebpOnly);
  vips::VImage c = vips::VImage::new_from_buffer(cropped.bytes.data(), cropped.bytes.size(), "",
                                                 vips::VImage::option()->set("n", -1));
  EXPECT_EQ(vips_image_get_n_pages(c.get_image()), 3);
  EXPECT_EQ(c.width(), 20);
  EXPECT_EQ(c.height(), 60);
  EXPECT_TRUE(near(c, 10, 10, kRed));
  EXPECT_TRUE(near(c, 10, 50, kBlue));
}

TEST_F(RenderTest, AnimFalseKeepsTheFirstFrame) {
  TransformOptions o;
  o.anim = false;
  Rendered r = renderOk(animated("gif", 4, 60, 40), o, kWebpOnly);
  EXPECT_EQ(r.format, Format::kWebp);
  vips::VImage img = vips::VImage::new_from_buffer(r.bytes.data(), r.bytes.size(), "",
                                                   vips::VImage::option()->set("n", -1));
  EXPECT_EQ(vips_image_get_n_pages(img.get_image()), 1);
  EXPECT_EQ(img.height(), 40);
  EXPECT_TRUE(near(img, 30, 20, kRed));
}

TEST_F(RenderTest, AnimationLimitsAreCheckedAgain) {
  std::string gif = animated("gif", 10, 60, 40);
  auto info = probe(gif);
  ASSERT_TRUE(info.ok());
  Limits limits;
  limits.max_animation_area = 10 * 60 * 40 - 1;
  auto out = render(gif, *info, TransformOptions{}, kNoAccept, limits);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().kind, Failure::kAnimationTooLarge);
  // anim=false renders one frame, which is within limits.
  TransformOptions still;
  still.anim = false;
  EXPECT_TRUE(render(gif, *info, still, kNoAccept, limits).ok());
  // Enlarging an animation counts its output frames.
  limits = Limits{};
  limits.max_animation_area = 10 * 60 * 40 * 2;
  out = render(gif, *info, sized(600, {}, images::Fit::kContain), kNoAccept, limits);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().kind, Failure::kAnimationTooLarge);
}

TEST_F(RenderTest, MetadataPolicies) {
  std::string jpeg = jpegWithExif(gradientImage(120, 80), "ACME 2026", "Bob");
  auto field = [](const vips::VImage& img, const char* name) -> std::string {
    return img.get_typeof(name) ? img.get_string(name) : "";
  };
  // JPEG default: copyright only.
  vips::VImage def = decode(renderOk(jpeg, TransformOptions{}).bytes);
  EXPECT_NE(field(def, "exif-ifd0-Copyright").find("ACME 2026"), std::string::npos);
  EXPECT_EQ(field(def, "exif-ifd0-Artist"), "");
  // keep: everything.
  TransformOptions keep;
  keep.metadata = MetadataPolicy::kKeep;
  vips::VImage kept = decode(renderOk(jpeg, keep).bytes);
  EXPECT_NE(field(kept, "exif-ifd0-Artist").find("Bob"), std::string::npos);
  EXPECT_NE(field(kept, "exif-ifd0-Copyright").find("ACME"), std::string::npos);
  // none: no EXIF at all.
  TransformOptions none;
  none.metadata = MetadataPolicy::kNone;
  vips::VImage stripped = decode(renderOk(jpeg, none).bytes);
  EXPECT_FALSE(stripped.get_typeof(VIPS_META_EXIF_NAME));
  // WebP and PNG never carry EXIF, even with keep (checked in the bytes: libvips 8.14's WebP
  // saver writes an EXIF chunk whatever it is told).
  keep.format = OutputFormat::kWebp;
  std::string webp = renderOk(jpeg, keep).bytes;
  EXPECT_EQ(webp.find("EXIF"), std::string::npos);
  EXPECT_EQ(webp.find("Bob"), std::string::npos);
  EXPECT_FALSE(decode(webp).get_typeof(VIPS_META_EXIF_NAME));
  keep.format = OutputFormat::kPng;
  EXPECT_FALSE(decode(renderOk(jpeg, keep).bytes).get_typeof(VIPS_META_EXIF_NAME));
  // AVIF follows the policy like JPEG; its default is none.
  TransformOptions avif;
  avif.format = OutputFormat::kAvif;
  EXPECT_EQ(renderOk(jpeg, avif).bytes.find("Bob"), std::string::npos);
  // copyright without a Copyright tag: nothing left to keep.
  vips::VImage plain = decode(renderOk(toJpeg(gradientImage(60, 40)), TransformOptions{}).bytes);
  EXPECT_FALSE(plain.get_typeof(VIPS_META_EXIF_NAME));
}

TEST_F(RenderTest, KeepDoesNotKeepTheOrientation) {
  TransformOptions keep;
  keep.metadata = MetadataPolicy::kKeep;
  vips::VImage img =
      decode(renderOk(jpegWithOrientation(halvesImage(200, 100, kRed, kBlue), 6), keep).bytes);
  EXPECT_EQ(img.width(), 100);
  EXPECT_TRUE(!img.get_typeof(VIPS_META_ORIENTATION) || img.get_int(VIPS_META_ORIENTATION) == 1);
}

TEST_F(RenderTest, SixteenBitAlphaPng) {
  std::string png = png16Alpha(64, 32);
  vips::VImage same = decode(renderOk(png, TransformOptions{}).bytes);
  EXPECT_EQ(same.format(), VIPS_FORMAT_UCHAR);
  ASSERT_EQ(same.bands(), 4);
  EXPECT_TRUE(near(same, 10, 16, kRed, 5));
  EXPECT_EQ(pixelAt(same, 50, 16)[3], 0);
  // JPEG cannot carry alpha: flattened on white (or the given background).
  TransformOptions jpeg;
  jpeg.format = OutputFormat::kJpeg;
  vips::VImage flat = decode(renderOk(png, jpeg).bytes);
  EXPECT_EQ(flat.bands(), 3);
  EXPECT_TRUE(near(flat, 50, 16, kWhite, 10));
  EXPECT_TRUE(near(flat, 10, 16, kRed, 40));
  jpeg.background = Rgba{0, 0, 255, 255};
  EXPECT_TRUE(near(decode(renderOk(png, jpeg).bytes), 50, 16, kBlue, 40));
}

TEST_F(RenderTest, TrimFlipRotate) {
  std::string png = toPng(halvesImage(200, 100, kRed, kBlue));
  TransformOptions trim;
  trim.trim = Trim{0, 0, 0, 100};  // left half away
  Rendered t = renderOk(png, trim);
  EXPECT_EQ(t.width, 100);
  vips::VImage ti = decode(t.bytes);
  EXPECT_TRUE(near(ti, 5, 50, kBlue, 5));

  // Trim applies before resize, in source pixels: trim then halve.
  TransformOptions trim_small = trim;
  trim_small.width = 50;
  Rendered ts = renderOk(png, trim_small);
  EXPECT_EQ(ts.width, 50);
  EXPECT_EQ(ts.height, 50);
  EXPECT_TRUE(near(decode(ts.bytes), 2, 25, kBlue, 20));

  TransformOptions flip;
  flip.flip_h = true;
  vips::VImage fi = decode(renderOk(png, flip).bytes);
  EXPECT_TRUE(near(fi, 10, 50, kBlue, 5));
  EXPECT_TRUE(near(fi, 190, 50, kRed, 5));

  TransformOptions rot;
  rot.rotate = 90;  // clockwise: the left (red) side goes to the top
  rot.width = 50;   // width is in the rotated axes
  Rendered r = renderOk(png, rot);
  EXPECT_EQ(r.width, 50);
  EXPECT_EQ(r.height, 100);
  vips::VImage ri = decode(r.bytes);
  EXPECT_TRUE(near(ri, 25, 10, kRed, 20));
  EXPECT_TRUE(near(ri, 25, 90, kBlue, 20));
}

TEST_F(RenderTest, BlurAndSharpen) {
  std::string png = toPng(halvesImage(200, 100, {0, 0, 0}, kWhite));
  auto edgeContrast = [](const vips::VImage& img) {
    return pixelAt(img, 104, 50)[0] - pixelAt(img, 96, 50)[0];
  };
  const double sharp_edge = edgeContrast(decode(renderOk(png, TransformOptions{}).bytes));
  TransformOptions blur;
  blur.blur = 20;
  const double blurred = edgeContrast(decode(renderOk(png, blur).bytes));
  EXPECT_GT(sharp_edge, 200);
  EXPECT_LT(blurred, sharp_edge - 50);
  // The strongest blur goes through the shrink-blur-grow path and keeps the size.
  blur.blur = 250;
  Rendered strong = renderOk(png, blur);
  EXPECT_EQ(decode(strong.bytes).width(), 200);

  // Sharpening a soft edge steepens it.
  std::string soft = toPng(decode(renderOk(png, TransformOptions{.blur = 2}).bytes));
  TransformOptions sharpen;
  sharpen.sharpen = 10;
  auto slope = [](const vips::VImage& img) {
    return pixelAt(img, 100, 50)[0] - pixelAt(img, 99, 50)[0];
  };
  EXPECT_GT(slope(decode(renderOk(soft, sharpen).bytes)),
            slope(decode(renderOk(soft, TransformOptions{}).bytes)));
}

TEST_F(RenderTest, ToneAdjustments) {
  std::string png = toPng(solidImage(40, 40, {100, 150, 200}));
  auto px = [&](TransformOptions o) { return pixelAt(decode(renderOk(png, o).bytes), 20, 20); };
  TransformOptions dark;
  dark.brightness = 0.5;
  EXPECT_NEAR(px(dark)[0], 50, 3);
  TransformOptions contrast;
  contrast.contrast = 2;                 // away from mid-grey
  EXPECT_NEAR(px(contrast)[0], 72, 3);   // (100-128)*2+128
  EXPECT_NEAR(px(contrast)[2], 255, 1);  // (200-128)*2+128 clipped
  TransformOptions gamma;
  gamma.gamma = 2;  // lighter
  EXPECT_GT(px(gamma)[0], 140);
  TransformOptions grey;
  grey.saturation = 0;
  std::vector<double> g = px(grey);
  EXPECT_NEAR(g[0], g[1], 3);
  EXPECT_NEAR(g[1], g[2], 3);
  TransformOptions ignored;
  ignored.brightness = 0;  // Cloudflare: 0 is ignored
  EXPECT_NEAR(px(ignored)[0], 100, 2);
}

TEST_F(RenderTest, SvgIsNeverRendered) {
  std::string svg = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>";
  auto info = probe(svg);
  ASSERT_TRUE(info.ok());
  auto out = render(svg, *info, TransformOptions{}, kAll);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().kind, Failure::kNotRenderable);
}

TEST_F(RenderTest, StaleProbeInfoDoesNotMisleadTheDecoder) {
  // The caller may fill only format/size from its database; the bytes decide.
  std::string png = toPng(gradientImage(80, 60));
  ProbeInfo wrong;
  wrong.format = Format::kJpeg;
  wrong.width = 1;
  wrong.height = 1;
  auto out = render(png, wrong, sized(40, {}, images::Fit::kScaleDown), kNoAccept);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(out->format, Format::kPng);
  EXPECT_EQ(out->height, 30);
  auto text = render("not an image", wrong, TransformOptions{}, kNoAccept);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().kind, Failure::kUnsupportedFormat);
}

TEST_F(RenderTest, PerceptualHashAgreesAcrossFormats) {
  std::string src = toPng(gradientImage(320, 240));
  TransformOptions o = sized(160, 160, images::Fit::kCover);
  o.format = OutputFormat::kWebp;
  const uint64_t webp = dHash(renderOk(src, o).bytes);
  o.format = OutputFormat::kJpeg;
  const uint64_t jpeg = dHash(renderOk(src, o).bytes);
  o.format = OutputFormat::kAvif;
  const uint64_t avif = dHash(renderOk(src, o).bytes);
  EXPECT_LE(hammingDistance(webp, jpeg), 4);
  EXPECT_LE(hammingDistance(webp, avif), 6);
  // The hash does tell images apart: a flipped render is far away.
  o.format = OutputFormat::kWebp;
  o.flip_h = true;
  EXPECT_GT(hammingDistance(webp, dHash(renderOk(src, o).bytes)), 20);
}

TEST_F(RenderTest, ConcurrentRendersAgree) {
  std::string jpeg = toJpeg(gradientImage(400, 300));
  const TransformOptions o = sized(120, 120, images::Fit::kCover);
  const uint64_t expected = dHash(renderOk(jpeg, o, kWebpOnly).bytes);
  std::vector<uint64_t> hashes(4);
  std::vector<std::thread> threads;
  auto info = probe(jpeg);
  ASSERT_TRUE(info.ok());
  for (size_t i = 0; i < hashes.size(); ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < 3; ++k) {
        auto out = render(jpeg, *info, o, kWebpOnly);
        hashes[i] = out.ok() ? dHash(out->bytes) : 0;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (uint64_t h : hashes) EXPECT_EQ(h, expected);
}

TEST_F(RenderTest, HeicAndAvifSourcesRender) {
  vips::VImage img = halvesImage(120, 60, kRed, kBlue);
  for (const std::string& bytes : {toHeic(img), toAvif(img)}) {
    Rendered r = renderOk(bytes, sized(60, {}, images::Fit::kScaleDown), kNoAccept);
    EXPECT_EQ(r.format, Format::kJpeg);  // the client named neither AVIF nor WebP
    vips::VImage out = decode(r.bytes);
    EXPECT_EQ(out.width(), 60);
    EXPECT_TRUE(near(out, 10, 15, kRed, 60));
    EXPECT_TRUE(near(out, 50, 15, kBlue, 60));
  }
}

TEST_F(RenderTest, DecodesWithTheSniffedLoaderNotLibvipsDetection) {
  // Major brand "miaf" with "avif" only among the compatible brands: our sniff (and libheif)
  // call it AVIF, libvips' own detection does not recognise it and would pick another loader.
  std::string avif = toAvif(halvesImage(64, 32, kRed, kBlue));
  ASSERT_EQ(avif.substr(4, 8), "ftypavif");
  ASSERT_NE(avif.substr(16, 32).find("miaf"), std::string::npos);
  avif.replace(8, 4, "miaf");
  ASSERT_EQ(sniff(avif), Format::kAvif);
  Rendered r = renderOk(avif, sized(32, {}, images::Fit::kScaleDown), kNoAccept);
  EXPECT_EQ(r.width, 32);
  EXPECT_TRUE(near(decode(r.bytes), 4, 8, kRed, 60));
}

}  // namespace
}  // namespace nubis::images::pipeline
