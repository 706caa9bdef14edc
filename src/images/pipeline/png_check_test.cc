// checkPngData(): every PNG an encoder writes is complete; data that stops early, goes on past
// the image, or is damaged is told apart, and a bomb is stopped at its first surplus byte.
#include "images/pipeline/png_check.h"

#include <gtest/gtest.h>

#include <chrono>

#include "images/pipeline/test_bytes.h"
#include "images/pipeline/test_support.h"

namespace nubis::images::pipeline {
namespace {

using namespace testing;
using detail::checkPngData;
using detail::PngData;

std::string verdictName(PngData v) {
  switch (v) {
    case PngData::kComplete:
      return "complete";
    case PngData::kTruncated:
      return "truncated";
    case PngData::kOverrun:
      return "overrun";
    case PngData::kDamaged:
      return "damaged";
  }
  return "?";
}

void expectVerdict(const std::string& png, PngData want, const std::string& what) {
  const detail::PngCheck got = checkPngData(png);
  EXPECT_EQ(verdictName(got.verdict), verdictName(want)) << what << ": " << got.why;
  if (want != PngData::kComplete) {
    EXPECT_FALSE(got.why.empty()) << what;
  }
}

class PngCheckTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ensureVips(); }
};

TEST_F(PngCheckTest, EveryLayoutLibvipsWritesIsComplete) {
  struct Case {
    const char* name;
    vips::VImage img;
    vips::VOption* (*options)();
  };
  auto plain = [] { return vips::VImage::option(); };
  auto interlaced = [] { return vips::VImage::option()->set("interlace", true); };
  auto palette = [] {
    return vips::VImage::option()->set("palette", true)->set("interlace", true);
  };
  auto sixteen = [] { return vips::VImage::option()->set("bitdepth", 16)->set("interlace", true); };
  auto onebit = [] { return vips::VImage::option()->set("bitdepth", 1)->set("interlace", true); };
  // Sizes around the Adam7 pass grid (1, 3, 5, 9, 33 px), where empty passes and short rows are.
  for (auto [w, h] : {std::pair{1, 1}, {3, 5}, {5, 3}, {9, 9}, {33, 17}, {200, 150}}) {
    vips::VImage rgb = gradientImage(w, h);
    vips::VImage rgba = rgb.bandjoin(255);
    vips::VImage grey = rgb.colourspace(VIPS_INTERPRETATION_B_W);
    const Case cases[] = {{"rgb", rgb, plain},
                          {"rgb interlaced", rgb, interlaced},
                          {"rgba interlaced", rgba, interlaced},
                          {"palette", rgb, palette},
                          {"16-bit", rgba, sixteen},
                          {"grey 1-bit", grey, onebit},
                          {"grey", grey, plain}};
    for (const Case& c : cases) {
      VipsBlob* blob = c.img.pngsave_buffer(c.options());
      std::string png(static_cast<const char*>(VIPS_AREA(blob)->data), VIPS_AREA(blob)->length);
      vips_area_unref(VIPS_AREA(blob));
      expectVerdict(png, PngData::kComplete,
                    std::string(c.name) + " " + std::to_string(w) + "x" + std::to_string(h));
    }
  }
}

TEST_F(PngCheckTest, DataMustEndExactlyWhereTheHeaderSays) {
  struct Case {
    uint32_t w, h;
    int depth, type;
    bool interlaced;
  };
  const Case cases[] = {
      {1, 1, 8, 0, false}, {1, 1, 8, 0, true},   {7, 3, 1, 0, false},
      {7, 3, 2, 3, true},  {13, 9, 16, 6, true}, {16, 12, 8, 2, false},
      {5, 1, 16, 4, true}, {2, 9, 4, 0, true},   {100, 7, 8, 6, true},
  };
  for (const Case& c : cases) {
    const uint64_t n = pngImageDataBytes(c.w, c.h, c.depth, c.type, c.interlaced);
    const std::string what = std::to_string(c.w) + "x" + std::to_string(c.h) + " depth " +
                             std::to_string(c.depth) + " type " + std::to_string(c.type) +
                             (c.interlaced ? " interlaced" : "");
    auto png = [&](uint64_t bytes) {
      return pngWithData(c.w, c.h, c.depth, c.type, c.interlaced, zlibZeros(bytes));
    };
    expectVerdict(png(n), PngData::kComplete, what);
    expectVerdict(png(n - 1), PngData::kTruncated, what + ", one byte short");
    expectVerdict(png(n + 1), PngData::kOverrun, what + ", one byte over");
  }
}

TEST_F(PngCheckTest, ABombStopsAtItsFirstSurplusByte) {
  // R4: a 1x1 image (2 bytes of data) whose IDAT inflates to 4 GB, in a 4 MB file.
  const std::string bomb = pngWithData(1, 1, 8, 0, false, zlibZeros(uint64_t{4} << 30));
  ASSERT_LT(bomb.size(), 5u << 20);
  const auto start = std::chrono::steady_clock::now();
  const detail::PngCheck got = checkPngData(bomb);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(got.verdict, PngData::kOverrun) << got.why;
  EXPECT_NE(got.why.find("past the 2 bytes"), std::string::npos) << got.why;
  // Inflating 4 GB takes seconds; stopping after 3 bytes takes well under one (the CRC of the
  // 4 MB chunk is most of it).
  EXPECT_LT(elapsed, std::chrono::milliseconds(500));
}

TEST_F(PngCheckTest, IdatMaySpanManyChunks) {
  const std::string z = zlibOf(std::string(pngImageDataBytes(40, 30, 8, 2, true), '\0'));
  std::string png = pngStart(40, 30, 8, 2, true);
  for (char byte : z) png += pngChunkOf("IDAT", std::string(1, byte));
  png += pngChunkOf("IEND", "");
  expectVerdict(png, PngData::kComplete, "one IDAT chunk per zlib byte");
}

TEST_F(PngCheckTest, StructureAroundTheData) {
  const uint64_t n = pngImageDataBytes(16, 12, 8, 2, false);
  const std::string z = zlibZeros(n);
  const std::string start = pngStart(16, 12, 8, 2, false);
  const std::string text = pngChunkOf("tEXt", std::string("Comment\0hi", 10));
  const std::string good = start + pngChunkOf("IDAT", z) + pngChunkOf("IEND", "");

  expectVerdict(good, PngData::kComplete, "control");
  // What follows the image data is not looked at (browsers display these).
  expectVerdict(start + pngChunkOf("IDAT", z), PngData::kComplete, "no IEND");
  expectVerdict(good + "PK\x03\x04 a zip", PngData::kComplete, "junk after IEND");
  std::string bad_ancillary = start + text + pngChunkOf("IDAT", z) + pngChunkOf("IEND", "");
  bad_ancillary[start.size() + text.size() - 1] ^= 0x55;
  expectVerdict(bad_ancillary, PngData::kComplete,
                "ancillary chunk with a bad CRC (libpng skips it)");

  // The data split by another chunk: IDAT chunks must be consecutive.
  const size_t half = z.size() / 2;
  expectVerdict(start + pngChunkOf("IDAT", z.substr(0, half)) + text +
                    pngChunkOf("IDAT", z.substr(half)) + pngChunkOf("IEND", ""),
                PngData::kTruncated, "IDAT, tEXt, IDAT");
  expectVerdict(start + pngChunkOf("IEND", ""), PngData::kTruncated, "no IDAT at all");
  expectVerdict(start, PngData::kTruncated, "signature and IHDR only");
  for (size_t cut : {good.size() - 20, start.size() + 10, start.size() + 30}) {
    expectVerdict(good.substr(0, cut), PngData::kTruncated, "cut at " + std::to_string(cut));
  }

  std::string bad_crc = good;
  bad_crc[start.size() + 8 + z.size()] ^= 0x01;  // the IDAT CRC's first byte
  expectVerdict(bad_crc, PngData::kDamaged, "IDAT with a bad CRC");
  std::string huge_length = start + std::string("\x80\x00\x00\x00IDAT", 8) + std::string(64, '\0');
  expectVerdict(huge_length, PngData::kDamaged, "chunk length over 2^31-1");
  expectVerdict(start + pngChunkOf("IDAT", std::string(64, '\x5A')), PngData::kDamaged,
                "IDAT that is not zlib data");
  std::string bad_adler = z;
  bad_adler.back() ^= 0x01;
  expectVerdict(start + pngChunkOf("IDAT", bad_adler), PngData::kDamaged, "bad Adler-32");
  expectVerdict(std::string("\x89PNG\r\n\x1A\n", 8) + std::string(40, 'x'), PngData::kDamaged,
                "no IHDR");
}

TEST_F(PngCheckTest, EveryRowNeedsAValidFilterType) {
  // 3x2 8-bit grey, two rows of 1 + 3 bytes; types 0..4 are valid, 5 is not.
  for (int type = 0; type <= 5; ++type) {
    std::string raw =
        std::string(1, '\0') + "abc" + std::string(1, static_cast<char>(type)) + "def";
    expectVerdict(pngWithData(3, 2, 8, 0, false, zlibOf(raw)),
                  type <= 4 ? PngData::kComplete : PngData::kDamaged,
                  "second row filter " + std::to_string(type));
  }
}

TEST_F(PngCheckTest, ReadsTheHeader) {
  detail::PngHeader h;
  ASSERT_TRUE(detail::readPngHeader(pngStart(300, 200, 16, 6, true), h));
  EXPECT_EQ(h.width, 300u);
  EXPECT_EQ(h.height, 200u);
  EXPECT_EQ(h.bit_depth, 16);
  EXPECT_EQ(h.color_type, 6);
  EXPECT_TRUE(h.interlaced);
  EXPECT_TRUE(detail::isInterlacedPng(pngStart(1, 1, 8, 0, true)));
  EXPECT_FALSE(detail::isInterlacedPng(pngStart(1, 1, 8, 0, false)));
  EXPECT_FALSE(detail::readPngHeader(pngStart(0, 10, 8, 0, false), h));
  EXPECT_FALSE(detail::readPngHeader(pngStart(10, 10, 16, 3, false), h));  // no 16-bit palette
  EXPECT_FALSE(detail::readPngHeader(pngStart(10, 10, 4, 2, false), h));   // no 4-bit RGB
  EXPECT_EQ(detail::pngRawSize(h), pngImageDataBytes(300, 200, 16, 6, true));
  h.interlaced = false;
  EXPECT_EQ(detail::pngRawSize(h), 200u * (1 + 300u * 8));
}

}  // namespace
}  // namespace nubis::images::pipeline
