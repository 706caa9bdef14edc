// scanGif()'s LZW count: frames libvips writes are whole, however their code table grows and
// clears; a frame whose data covers fewer pixels than it claims is short.
#include "images/pipeline/gif_scan.h"

#include <gtest/gtest.h>

#include "images/pipeline/test_bytes.h"
#include "images/pipeline/test_support.h"

namespace nubis::images::pipeline {
namespace {

using namespace testing;
using detail::GifEnd;
using detail::scanGif;

class GifScanTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ensureVips(); }
};

// Noise fills the 4096-entry code table many times over (clear codes, 12-bit codes); flat
// colour makes long strings (the KwKwK case) and few codes.
vips::VImage noise(int w, int h) {
  vips::VImage n = vips::VImage::gaussnoise(w, h, vips::VImage::option()->set("sigma", 80));
  return n.bandjoin(n.rot180())
      .bandjoin(n.flip(VIPS_DIRECTION_VERTICAL))
      .cast(VIPS_FORMAT_UCHAR)
      .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

TEST_F(GifScanTest, FramesLibvipsWritesAreWhole) {
  struct Case {
    const char* name;
    std::string bytes;
  };
  const Case cases[] = {
      {"noise 300x200", toGif(noise(300, 200))},
      {"gradient 257x129", toGif(gradientImage(257, 129))},
      {"flat 1000x700", toGif(solidImage(1000, 700, kGreen))},
      {"1x1", toGif(solidImage(1, 1, kRed))},
      {"animation", animated("gif", 5, 64, 40)},
  };
  for (const Case& c : cases) EXPECT_EQ(scanGif(c.bytes), GifEnd::kTrailer) << c.name;
}

TEST_F(GifScanTest, AFrameLargerThanItsDataIsShort) {
  // R4: 42 bytes claiming a 12000x8000 frame with one pixel of LZW data.
  EXPECT_EQ(scanGif(gifOnePixelFrame(12000, 8000, 12000, 8000)), GifEnd::kShortFrame);
  EXPECT_EQ(scanGif(gifOnePixelFrame(16, 16, 2, 1)), GifEnd::kShortFrame);
  EXPECT_EQ(scanGif(gifOnePixelFrame(16, 16, 1, 1)), GifEnd::kTrailer);
  // A screen larger than the frame is libnsgif's business (it shows the frame): not short.
  EXPECT_EQ(scanGif(gifOnePixelFrame(65535, 65535, 1, 1)), GifEnd::kTrailer);
}

TEST_F(GifScanTest, DataCutButProperlyTerminatedIsShort) {
  // The sub-blocks of a real frame end early but the structure is closed again (terminator and
  // trailer): libnsgif would fill the rest; the count sees it.
  const std::string gif = toGif(noise(200, 100));
  ASSERT_EQ(scanGif(gif), GifEnd::kTrailer);
  const size_t image = gif.find('\x2C', 13 + 3 * 256);
  ASSERT_NE(image, std::string::npos);
  size_t pos = image + 10;  // no local table in libvips' output (global palette)
  if (static_cast<unsigned char>(gif[image + 9]) & 0x80) {
    pos += 3u << ((static_cast<unsigned char>(gif[image + 9]) & 7) + 1);
  }
  ++pos;  // LZW minimum code size
  // Keep the first three sub-blocks, then close the frame and the file.
  for (int i = 0; i < 3; ++i) pos += 1 + static_cast<unsigned char>(gif[pos]);
  EXPECT_EQ(scanGif(gif.substr(0, pos) + std::string("\x00;", 2)), GifEnd::kShortFrame);
}

TEST_F(GifScanTest, InvalidCodeSizeIsShort) {
  std::string gif = gifOnePixelFrame(16, 16, 1, 1);
  const size_t lzw = gif.size() - 6;  // the minimum code size byte
  ASSERT_EQ(gif[lzw], '\x02');
  gif[lzw] = '\x0C';
  EXPECT_EQ(scanGif(gif), GifEnd::kShortFrame);
  gif[lzw] = '\x00';
  EXPECT_EQ(scanGif(gif), GifEnd::kShortFrame);
}

}  // namespace
}  // namespace nubis::images::pipeline
