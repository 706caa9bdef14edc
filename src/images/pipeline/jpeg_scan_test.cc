// scanJpeg(), the upload's check of a JPEG: ordinary JPEGs (including benign oddities cameras
// produce) pass and decode; files that end early or whose scans are far too short are refused;
// damage only a decode would see is tolerated, and rendered, as libvips and browsers do.
#include "images/pipeline/jpeg_scan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <utility>
#include <vector>

#include "images/pipeline/jpeg_to_size.h"
#include "images/pipeline/test_bytes.h"
#include "images/pipeline/test_support.h"
#include "images/pipeline/vips_util.h"

namespace nubis::images::pipeline {
namespace {

using namespace testing;
using detail::JpegScan;
using detail::scanJpeg;

constexpr uint64_t kMemory = uint64_t{512} << 20;

class JpegCheckTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ensureVips(); }
};

std::string jpegOf(const vips::VImage& img, vips::VOption* options) {
  VipsBlob* blob = img.jpegsave_buffer(options);
  std::string out(static_cast<const char*>(VIPS_AREA(blob)->data), VIPS_AREA(blob)->length);
  vips_area_unref(VIPS_AREA(blob));
  return out;
}

vips::VImage noise(int w, int h) {
  vips::VImage n = vips::VImage::gaussnoise(w, h, vips::VImage::option()->set("sigma", 60));
  return n.bandjoin(n.rot90())
      .bandjoin(n.flip(VIPS_DIRECTION_HORIZONTAL))
      .cast(VIPS_FORMAT_UCHAR)
      .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

// The file decoded as render does (JPEG path at half size, libvips for CMYK); throws
// vips::VError when the decoder fails.
vips::VImage decodeHalf(const std::string& jpeg, uint64_t memory = kMemory) {
  detail::BorrowedBlob blob(jpeg);
  const vips::VImage header = detail::loadAs(Format::kJpeg, blob, vips::VImage::option());
  auto img = detail::decodeJpegToSize(jpeg, header, std::max(1, header.width() / 2),
                                      std::max(1, header.height() / 2), memory);
  if (img) return *img;
  // CMYK and YCCK go through libvips' loader in render: decode them there.
  return detail::loadAs(Format::kJpeg, blob, vips::VImage::option()).copy_memory();
}

void expectAccepted(const std::string& jpeg, const std::string& what) {
  const detail::JpegScanResult scan = scanJpeg(jpeg);
  EXPECT_EQ(scan.verdict, JpegScan::kOk) << what << ": " << scan.why;
  try {
    EXPECT_GE(decodeHalf(jpeg).width(), 1) << what;
  } catch (const vips::VError& e) {
    ADD_FAILURE() << what << ": " << e.what();
  }
}

TEST_F(JpegCheckTest, OrdinaryJpegsPass) {
  struct Case {
    const char* name;
    std::string bytes;
  };
  vips::VImage img = gradientImage(300, 200);
  vips::VImage grain = noise(160, 120);
  auto opts = [] { return vips::VImage::option()->set("Q", 85); };
  const Case cases[] = {
      {"baseline 4:2:0", jpegOf(img, opts())},
      {"progressive", jpegOf(img, opts()->set("interlace", true))},
      {"progressive 4:4:4",
       jpegOf(grain,
              opts()->set("interlace", true)->set("subsample_mode", VIPS_FOREIGN_SUBSAMPLE_OFF))},
      {"optimised scans",
       jpegOf(grain, opts()->set("interlace", true)->set("optimize_scans", true))},
      {"restart markers", jpegOf(grain, opts()->set("restart_interval", 2))},
      {"optimised Huffman", jpegOf(grain, opts()->set("optimize_coding", true))},
      {"greyscale", jpegOf(img.colourspace(VIPS_INTERPRETATION_B_W), opts())},
      {"CMYK", cmykJpeg(40, 30, kBlue)},
      {"1x1", toJpeg(solidImage(1, 1, kRed))},
      {"7x3", toJpeg(gradientImage(7, 3))},
      {"with EXIF", jpegWithExif(img, "(c) someone", "someone")},
      {"flat DC-only progressive", jpegDcOnly(1200, 800, 3)},
  };
  for (const Case& c : cases) expectAccepted(c.bytes, c.name);
}

TEST_F(JpegCheckTest, BenignOdditiesPass) {
  const std::string jpeg = toJpeg(gradientImage(64, 48));
  const size_t sof = jpeg.find("\xFF\xC0");
  ASSERT_NE(sof, std::string::npos);
  // Junk between two marker segments: libjpeg skips it with JWRN_EXTRANEOUS_DATA ("extraneous
  // bytes before marker"), which some cameras' files cause. Accepted.
  expectAccepted(jpeg.substr(0, sof) + "\x00\x13junk!" + jpeg.substr(sof), "junk before SOF");
  // An APPn nobody knows, and a COM.
  expectAccepted(jpeg.substr(0, 2) +
                     std::string("\xFF\xE9\x00\x06"
                                 "abcd",
                                 8) +
                     std::string("\xFF\xFE\x00\x05"
                                 "hi!",
                                 7) +
                     jpeg.substr(2),
                 "unknown APP9 and a comment");
  // Fill bytes (0xFF runs) before a marker are allowed by the standard.
  expectAccepted(jpeg.substr(0, sof) + "\xFF\xFF\xFF" + jpeg.substr(sof), "fill bytes");
  // Data after EOI (a polyglot's payload) is never read.
  expectAccepted(jpeg + "<html>hi</html>", "bytes after EOI");
}

TEST_F(JpegCheckTest, HeaderFarLargerThanTheScansIsRefusedByStructure) {
  // R4: SOF claims 12000x8000 but the scans hold 16x16: libjpeg would only warn, after
  // allocating and filling the whole frame.
  const std::string small = toJpeg(gradientImage(16, 16));
  const std::string progressive =
      jpegOf(gradientImage(16, 16), vips::VImage::option()->set("interlace", true));
  for (const auto& [name, jpeg] :
       {std::pair{"baseline", jpegClaiming(small, 12000, 8000)},
        std::pair{"progressive", jpegClaiming(progressive, 12000, 8000)}}) {
    const auto start = std::chrono::steady_clock::now();
    const detail::JpegScanResult scan = scanJpeg(jpeg);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(50)) << name;
    EXPECT_EQ(scan.verdict, JpegScan::kShortScan) << name << ": " << scan.why;
    EXPECT_NE(scan.why.find("12000x8000"), std::string::npos) << scan.why;
    EXPECT_EQ(scan.layout.width, 12000);
    EXPECT_EQ(scan.layout.height, 8000);
  }
}

// [start, end) of each scan's entropy-coded data.
std::vector<std::pair<size_t, size_t>> scanData(const std::string& jpeg) {
  std::vector<std::pair<size_t, size_t>> scans;
  for (size_t sos = jpeg.find("\xFF\xDA"); sos != std::string::npos;
       sos = jpeg.find("\xFF\xDA", sos + 2)) {
    const size_t start = sos + 2 +
                         (static_cast<unsigned char>(jpeg[sos + 2]) << 8 |
                          static_cast<unsigned char>(jpeg[sos + 3]));
    size_t end = start;
    while (end + 1 < jpeg.size() && !(jpeg[end] == '\xFF' && jpeg[end + 1] != '\x00' &&
                                      !(jpeg[end + 1] >= '\xD0' && jpeg[end + 1] <= '\xD7'))) {
      ++end;
    }
    scans.emplace_back(start, end);
  }
  return scans;
}

TEST_F(JpegCheckTest, MissingScanDataPassesAndRendersLikeBrowsersShowIt) {
  // A noisy image whose largest scan loses its second half (the markers after it kept): the
  // baseline scan left still has far more than 2 bits a block, and a progressive AC scan has no
  // lower bound, so the structure passes. Only a full entropy decode could tell (libjpeg's
  // "premature end of data segment" warning); uploads do not pay for one (probe.h), and the
  // render fills what is missing, as libvips' loader and browsers do.
  for (bool progressive : {false, true}) {
    const std::string jpeg =
        jpegOf(noise(256, 256), vips::VImage::option()->set("interlace", progressive));
    auto scans = scanData(jpeg);
    ASSERT_FALSE(scans.empty());
    auto [start, end] = *std::max_element(scans.begin(), scans.end(), [](auto a, auto b) {
      return a.second - a.first < b.second - b.first;
    });
    const std::string damaged = jpeg.substr(0, start + (end - start) / 2) + jpeg.substr(end);
    const std::string what = progressive ? "progressive" : "baseline";
    EXPECT_EQ(scanJpeg(damaged).verdict, JpegScan::kOk) << what << ": " << scanJpeg(damaged).why;
    EXPECT_EQ(decodeHalf(damaged).width(), 128) << what;
  }
}

TEST_F(JpegCheckTest, TruncatedFilesAreRefused) {
  for (bool progressive : {false, true}) {
    const std::string jpeg =
        jpegOf(gradientImage(200, 150), vips::VImage::option()->set("interlace", progressive));
    const std::string cut = jpeg.substr(0, jpeg.size() * 3 / 4);
    const detail::JpegScanResult scan = scanJpeg(cut);
    EXPECT_NE(scan.verdict, JpegScan::kOk) << progressive;  // a short scan, or no EOI
  }
}

TEST_F(JpegCheckTest, ScanCountIsLimited) {
  EXPECT_EQ(scanJpeg(jpegDcOnly(8, 8, 1, detail::kMaxJpegScans)).verdict, JpegScan::kOk);
  const detail::JpegScanResult bomb = scanJpeg(jpegDcOnly(8, 8, 1, detail::kMaxJpegScans + 1));
  EXPECT_EQ(bomb.verdict, JpegScan::kTooManyScans) << bomb.why;
}

TEST_F(JpegCheckTest, CoefficientMemoryOfMultiScanFiles) {
  // 64x64 4:2:0: Y 8x8 blocks, Cb and Cr 4x4 each, 128 bytes a block.
  const std::string progressive =
      jpegOf(gradientImage(64, 64), vips::VImage::option()->set("interlace", true));
  EXPECT_EQ(detail::jpegCoefficientBytes(scanJpeg(progressive).layout), (64u + 16 + 16) * 128);
  EXPECT_EQ(detail::jpegCoefficientBytes(scanJpeg(toJpeg(gradientImage(64, 64))).layout), 0u);
  // 9500x9500 4:4:4 progressive: 6 bytes a pixel, over 512 MB.
  EXPECT_EQ(detail::jpegCoefficientBytes(scanJpeg(jpegDcOnly(9500, 9500, 3)).layout),
            uint64_t{1188} * 1188 * 3 * 128);
  // libjpeg refuses to allocate its coefficient arrays past max_memory (1024x1024 4:2:0: 3 MB).
  const std::string big =
      jpegOf(gradientImage(1024, 1024), vips::VImage::option()->set("interlace", true));
  EXPECT_EQ(decodeHalf(big, 4 << 20).width(), 512);
  try {
    decodeHalf(big, 1 << 20);
    ADD_FAILURE() << "decoded past max_memory";
  } catch (const vips::VError& e) {
    EXPECT_NE(std::string(e.what()).find("Backing store not supported"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace nubis::images::pipeline
