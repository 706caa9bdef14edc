// Fit semantics of IMAGES.md A.6 as tables: sizes, crop boxes, padding, enlargement limits,
// and how trim and rotate map back to the size the loader is asked for.
#include "images/pipeline/geometry.h"

#include <gtest/gtest.h>

namespace nubis::images::pipeline::detail {
namespace {

TransformOptions box(std::optional<int> w, std::optional<int> h, images::Fit fit) {
  TransformOptions o;
  o.width = w;
  o.height = h;
  o.fit = fit;
  return o;
}

TEST(Geometry, FitModes) {
  using F = images::Fit;
  struct Case {
    const char* name;
    int sw, sh;
    TransformOptions o;
    int resize_w, resize_h, out_w, out_h;
  };
  const Case cases[] = {
      {"no size: unchanged", 640, 480, box({}, {}, F::kCover), 640, 480, 640, 480},
      {"scale-down shrinks", 1000, 500, box(400, 400, F::kScaleDown), 400, 200, 400, 200},
      {"scale-down never enlarges", 100, 50, box(400, 400, F::kScaleDown), 100, 50, 100, 50},
      {"contain shrinks", 1000, 500, box(400, 400, F::kContain), 400, 200, 400, 200},
      {"contain enlarges", 100, 50, box(400, 400, F::kContain), 400, 200, 400, 200},
      {"cover fills and crops", 1000, 500, box(400, 400, F::kCover), 800, 400, 400, 400},
      {"cover enlarges", 100, 50, box(400, 400, F::kCover), 800, 400, 400, 400},
      {"crop = cover when larger", 1000, 500, box(400, 400, F::kCrop), 800, 400, 400, 400},
      {"crop never enlarges", 300, 200, box(400, 400, F::kCrop), 300, 200, 300, 200},
      {"crop cuts the side over the box", 600, 200, box(400, 400, F::kCrop), 600, 200, 400, 200},
      {"pad contains then fills", 1000, 500, box(400, 400, F::kPad), 400, 200, 400, 400},
      {"pad enlarges", 100, 50, box(400, 400, F::kPad), 400, 200, 400, 400},
      {"pad exact aspect: no padding", 800, 400, box(400, 200, F::kPad), 400, 200, 400, 200},
      {"squeeze stretches", 1000, 500, box(300, 300, F::kSqueeze), 300, 300, 300, 300},
      {"width only keeps aspect", 1000, 500, box(200, {}, F::kCover), 200, 100, 200, 100},
      {"height only keeps aspect", 1000, 500, box({}, 100, F::kContain), 200, 100, 200, 100},
      {"width only, scale-down, small", 100, 50, box(200, {}, F::kScaleDown), 100, 50, 100, 50},
      {"width only, contain, small", 100, 50, box(200, {}, F::kContain), 200, 100, 200, 100},
      {"width only, pad: no padding", 1000, 500, box(100, {}, F::kPad), 100, 50, 100, 50},
  };
  for (const Case& c : cases) {
    auto f = planFit(c.sw, c.sh, c.o);
    ASSERT_TRUE(f.ok()) << c.name << ": " << f.error().message;
    EXPECT_EQ(f->resize_width, c.resize_w) << c.name;
    EXPECT_EQ(f->resize_height, c.resize_h) << c.name;
    EXPECT_EQ(f->width, c.out_w) << c.name;
    EXPECT_EQ(f->height, c.out_h) << c.name;
  }
}

TEST(Geometry, PadCentresTheImage) {
  auto f = planFit(1000, 500, box(400, 400, images::Fit::kPad));
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f->pad.has_value());
  EXPECT_EQ(*f->pad, (Box{0, 100, 400, 400}));
  EXPECT_FALSE(f->crop.has_value());
}

TEST(Geometry, CoverCropFollowsGravity) {
  using K = Gravity::Kind;
  struct Case {
    const char* name;
    int sw, sh;
    Gravity g;
    Box expected;
  };
  // 1000x500 into 400x400 -> resized 800x400, 400 px of width to lose; 500x1000 -> 400x800.
  const Case cases[] = {
      {"centre", 1000, 500, {K::kCenter}, {200, 0, 400, 400}},
      {"left", 1000, 500, {K::kLeft}, {0, 0, 400, 400}},
      {"right", 1000, 500, {K::kRight}, {400, 0, 400, 400}},
      {"top on a wide image stays centred", 1000, 500, {K::kTop}, {200, 0, 400, 400}},
      {"top", 500, 1000, {K::kTop}, {0, 0, 400, 400}},
      {"bottom", 500, 1000, {K::kBottom}, {0, 400, 400, 400}},
      {"left on a tall image stays centred", 500, 1000, {K::kLeft}, {0, 200, 400, 400}},
      {"point 0.25x0.5", 1000, 500, {K::kPoint, 0.25, 0.5}, {0, 0, 400, 400}},
      {"point 0.75x0.5", 1000, 500, {K::kPoint, 0.75, 0.5}, {400, 0, 400, 400}},
      {"point 0.6x0.5", 1000, 500, {K::kPoint, 0.6, 0.5}, {280, 0, 400, 400}},
      {"point 0.5x0.9 on tall", 500, 1000, {K::kPoint, 0.5, 0.9}, {0, 400, 400, 400}},
      {"auto falls back to centre", 1000, 500, {K::kAuto}, {200, 0, 400, 400}},
  };
  for (const Case& c : cases) {
    TransformOptions o = box(400, 400, images::Fit::kCover);
    o.gravity = c.g;
    auto f = planFit(c.sw, c.sh, o);
    ASSERT_TRUE(f.ok()) << c.name;
    ASSERT_TRUE(f->crop.has_value()) << c.name;
    EXPECT_EQ(*f->crop, c.expected) << c.name;
    EXPECT_EQ(f->smart_crop, c.g.kind == K::kAuto) << c.name;
  }
}

TEST(Geometry, DprMultipliesTheBox) {
  TransformOptions o = box(200, 100, images::Fit::kScaleDown);
  o.dpr = 2;
  auto f = planFit(1000, 1000, o);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->width, 200);  // limited by height 200
  EXPECT_EQ(f->height, 200);
  o.fit = images::Fit::kSqueeze;
  f = planFit(1000, 1000, o);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->width, 400);
  EXPECT_EQ(f->height, 200);
}

TEST(Geometry, RefusesEnlargingPast5000) {
  auto f = planFit(1000, 1000, box(6000, 6000, images::Fit::kContain));
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().kind, Failure::kTooLarge);
  EXPECT_NE(f.error().message.find("6000x6000"), std::string::npos) << f.error().message;
  EXPECT_NE(f.error().message.find("5000"), std::string::npos);
  // Exactly 5000 is fine, and so is a large output that is not an enlargement.
  EXPECT_TRUE(planFit(1000, 1000, box(5000, 5000, images::Fit::kContain)).ok());
  EXPECT_TRUE(planFit(8000, 8000, box(6000, 6000, images::Fit::kScaleDown)).ok());
  // Pad: the canvas counts (8000 px of padding on a 100 px high image is an enlargement).
  EXPECT_FALSE(planFit(10000, 100, box(8000, 8000, images::Fit::kPad)).ok());
  // Cover through a huge intermediate resize.
  auto cover = planFit(12000, 10, box(3000, 3000, images::Fit::kCover));
  ASSERT_FALSE(cover.ok());
  EXPECT_EQ(cover.error().kind, Failure::kTooLarge);
}

TEST(Geometry, PlanMapsTrimAndRotateToTheLoadSize) {
  // 1000x800 displayed; trim 100 left and 200 right -> 700x800; rotate 90 -> 800x700;
  // scale-down into 400 wide -> 400x350 in rotated axes, i.e. 350x400 before rotating.
  TransformOptions o = box(400, {}, images::Fit::kScaleDown);
  o.trim = Trim{0, 200, 0, 100};
  o.rotate = 90;
  auto p = makePlan(1000, 800, o);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->fit.resize_width, 400);
  EXPECT_EQ(p->fit.resize_height, 350);
  EXPECT_EQ(p->trim_box.width, 350);
  EXPECT_EQ(p->trim_box.height, 400);
  EXPECT_EQ(p->load_width, 500);   // 1000 * 350/700
  EXPECT_EQ(p->load_height, 400);  // 800 * 400/800
  EXPECT_EQ(p->trim_box.x, 50);    // 100 * 0.5
  EXPECT_EQ(p->trim_box.y, 0);
  EXPECT_EQ(p->width(), 400);
  EXPECT_EQ(p->height(), 350);
}

TEST(Geometry, PlanWithoutTrimLoadsAtTheResizeSize) {
  auto p = makePlan(3000, 2000, box(300, 300, images::Fit::kCover));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->load_width, 450);
  EXPECT_EQ(p->load_height, 300);
  EXPECT_EQ(p->trim_box, (Box{0, 0, 450, 300}));
}

TEST(Geometry, TrimIsClampedToLeaveAPixel) {
  TransformOptions o;
  o.trim = Trim{500, 500, 500, 500};
  auto p = makePlan(100, 80, o);
  ASSERT_TRUE(p.ok());
  EXPECT_GE(p->width(), 1);
  EXPECT_GE(p->height(), 1);
  EXPECT_LE(p->trim_box.x + p->trim_box.width, p->load_width);
  EXPECT_LE(p->trim_box.y + p->trim_box.height, p->load_height);
}

}  // namespace
}  // namespace nubis::images::pipeline::detail
