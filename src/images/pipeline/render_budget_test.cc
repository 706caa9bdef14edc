// render() and the decode budget: decodes that must hold the whole image wait for it and answer
// kBusy when it stays taken; streaming decodes take nothing; a render larger than the whole
// budget is refused outright.
#include <gtest/gtest.h>

#include "images/pipeline/memory_budget.h"
#include "images/pipeline/render.h"
#include "images/pipeline/test_bytes.h"
#include "images/pipeline/test_support.h"

namespace nubis::images::pipeline {
namespace {

using namespace testing;

class RenderBudgetTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ensureVips(); }
};

Outcome<Rendered> renderAs(const std::string& bytes, Format format, TransformOptions o = {}) {
  ProbeInfo info;
  info.format = format;
  return render(bytes, info, o, Accept{});
}

TEST_F(RenderBudgetTest, BusyWhileTheBudgetIsHeldExceptForStreamingDecodes) {
  const std::string gif = toGif(gradientImage(64, 48));
  const std::string jpeg = toJpeg(gradientImage(64, 48));
  const std::string png = toPng(gradientImage(64, 48));
  detail::MemoryBudget& budget = detail::decodeBudget();
  auto all = budget.acquire(budget.capacity());
  ASSERT_TRUE(all) << "the budget should be free between tests";
  auto busy = renderAs(gif, Format::kGif);
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().kind, Failure::kBusy) << busy.error().message;
  EXPECT_TRUE(renderAs(jpeg, Format::kJpeg).ok());
  EXPECT_TRUE(renderAs(png, Format::kPng).ok());
  all.reset();
  EXPECT_TRUE(renderAs(gif, Format::kGif).ok());
  EXPECT_EQ(budget.inUse(), 0u);
}

TEST_F(RenderBudgetTest, RandomAccessStepsCountTheirCopy) {
  // A baseline JPEG streams, but rotate=90 copies the loaded 1000x800 image into memory
  // (3.2 MB at 4 bytes a pixel): with only 2 MB left, that render waits and gives up.
  const std::string jpeg = toJpeg(gradientImage(1000, 800));
  detail::MemoryBudget& budget = detail::decodeBudget();
  auto most = budget.acquire(budget.capacity() - (2 << 20));
  ASSERT_TRUE(most);
  TransformOptions turn;
  turn.rotate = 90;
  auto busy = renderAs(jpeg, Format::kJpeg, turn);
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().kind, Failure::kBusy) << busy.error().message;
  EXPECT_TRUE(renderAs(jpeg, Format::kJpeg).ok());
  most.reset();
  auto turned = renderAs(jpeg, Format::kJpeg, turn);
  ASSERT_TRUE(turned.ok()) << turned.error().message;
  EXPECT_EQ(turned->width, 800);
}

TEST_F(RenderBudgetTest, LargerThanTheWholeBudgetIsRefused) {
  // 9500x9500 progressive 4:4:4: 541 MB of libjpeg coefficients, never within 512 MB.
  auto out = renderAs(jpegDcOnly(9500, 9500, 3), Format::kJpeg);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().kind, Failure::kTooManyPixels) << out.error().message;
  EXPECT_EQ(detail::decodeBudget().inUse(), 0u);
}

}  // namespace
}  // namespace nubis::images::pipeline
