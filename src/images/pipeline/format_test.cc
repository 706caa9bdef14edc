// Pure parts of the pipeline: magic-byte sniffing, SVG root sizes, Accept parsing, format
// negotiation and encoder settings. No libvips needed.
#include "images/pipeline/format.h"

#include <gtest/gtest.h>

#include <string>

#include "images/pipeline/accept.h"
#include "images/pipeline/encode.h"
#include "images/pipeline/gif_scan.h"
#include "images/pipeline/negotiate.h"
#include "images/pipeline/svg_root.h"

namespace nubis::images::pipeline {
namespace {

using namespace std::string_literals;

TEST(Sniff, RecognisesMagicBytes) {
  struct Case {
    std::string bytes;
    Format expected;
  };
  const Case cases[] = {
      {"\xFF\xD8\xFF\xE0rest"s, Format::kJpeg},
      {"\x89PNG\r\n\x1A\n...."s, Format::kPng},
      {"GIF89a...."s, Format::kGif},
      {"GIF87a...."s, Format::kGif},
      {"RIFF\x10\x00\x00\x00WEBPVP8 "s, Format::kWebp},
      {"\x00\x00\x00\x1C"
       "ftypavif\x00\x00\x00\x00"
       "avifmif1miaf"s,
       Format::kAvif},
      {"\x00\x00\x00\x18"
       "ftypmif1\x00\x00\x00\x00"
       "mif1avif"s,
       Format::kAvif},
      {"\x00\x00\x00\x18"
       "ftypheic\x00\x00\x00\x00"
       "mif1heic"s,
       Format::kHeic},
      {"\x00\x00\x00\x14"
       "ftypmif1\x00\x00\x00\x00"
       "mif1"s,
       Format::kHeic},
      {"<svg xmlns='http://www.w3.org/2000/svg'/>", Format::kSvg},
      {"\xEF\xBB\xBF  \n<?xml version=\"1.0\"?>\n<!-- made by hand -->\n<svg>"s, Format::kSvg},
      {"<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\" [ <!ENTITY a \"<b>\"> ]>"
       "<svg width='1'>",
       Format::kSvg},
      {"<?xml version='1.0'?><?xml-stylesheet href='a.css'?><svg\n>", Format::kSvg},
      // Not accepted:
      {"II*\x00\x08\x00\x00\x00"s, Format::kUnknown},  // TIFF little-endian
      {"MM\x00*\x00\x00\x00\x08"s, Format::kUnknown},  // TIFF big-endian
      {"BM\x36\x00\x00\x00"s, Format::kUnknown},       // BMP
      {"hello, world", Format::kUnknown},
      {"", Format::kUnknown},
      {"\xFF\xD8", Format::kUnknown},                       // too short for JPEG
      {"RIFF\x10\x00\x00\x00WAVEfmt "s, Format::kUnknown},  // RIFF but not WebP
      {"\x00\x00\x00\x18"
       "ftypisom\x00\x00\x00\x00"
       "isommp41"s,
       Format::kUnknown},  // MP4
      {"<html><svg></svg></html>", Format::kUnknown},
      {"<svgfoo/>", Format::kUnknown},
      {"<SVG>", Format::kUnknown},
      {"text <svg>", Format::kUnknown},
      {"<!-- never closed <svg>", Format::kUnknown},
      {"<?xml version='1.0'", Format::kUnknown},
  };
  for (const Case& c : cases) EXPECT_EQ(sniff(c.bytes), c.expected) << c.bytes;
}

TEST(Sniff, MimeTypes) {
  EXPECT_EQ(mimeType(Format::kJpeg), "image/jpeg");
  EXPECT_EQ(mimeType(Format::kPng), "image/png");
  EXPECT_EQ(mimeType(Format::kGif), "image/gif");
  EXPECT_EQ(mimeType(Format::kWebp), "image/webp");
  EXPECT_EQ(mimeType(Format::kSvg), "image/svg+xml");
  EXPECT_EQ(mimeType(Format::kAvif), "image/avif");
  EXPECT_EQ(mimeType(Format::kHeic), "image/heic");
  EXPECT_EQ(mimeType(Format::kUnknown), "application/octet-stream");
}

TEST(SvgRoot, ReadsDeclaredSize) {
  struct Case {
    const char* doc;
    int width, height;
  };
  const Case cases[] = {
      {"<svg width='120' height='80'>", 120, 80},
      {"<svg width=\"120px\" height=\"80px\" viewBox=\"0 0 10 10\">", 120, 80},
      {"<svg viewBox='0 0 300 150'>", 300, 150},
      {"<svg viewBox='-5,-5,40,20'>", 40, 20},
      {"<svg width='200' viewBox='0 0 100 50'>", 200, 100},
      {"<svg height='30' viewBox='0 0 100 50'>", 60, 30},
      {"<svg width='1in' height='72pt'>", 96, 96},
      {"<svg width='2.54cm' height='25.4mm'>", 96, 96},
      {"<svg width='100%' height='100%' viewBox='0 0 64 32'>", 64, 32},
      {"<svg width='10em' height='5em'>", 0, 0},
      {"<svg>", 0, 0},
      {"<svg width='50'>", 50, 0},
      {"<svg width='-5' height='0' viewBox='0 0 0 10'>", 0, 0},
      {"<svg\n  xmlns='http://www.w3.org/2000/svg'\n  width = '7' height= \"9\" >", 7, 9},
      {"<svg data-x='a>b' width='3' height='4'>", 3, 4},  // '>' inside a quoted value
  };
  for (const Case& c : cases) {
    auto root = detail::svgRootTag(c.doc);
    ASSERT_TRUE(root.has_value()) << c.doc;
    detail::SvgSize size = detail::svgSize(*root);
    EXPECT_EQ(size.width, c.width) << c.doc;
    EXPECT_EQ(size.height, c.height) << c.doc;
  }
  EXPECT_FALSE(detail::svgRootTag("<svg width='3'").has_value());     // never closes
  EXPECT_FALSE(detail::svgRootTag("<svg width='3 <g>").has_value());  // quote never closes
}

TEST(ParseAccept, FindsAvifAndWebp) {
  struct Case {
    const char* header;
    bool avif, webp;
  };
  const Case cases[] = {
      {"image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8", true, true},  // Chrome
      {"image/webp,*/*", false, true},
      {"image/png,image/*;q=0.8,*/*;q=0.5", false, false},
      {"*/*", false, false},
      {"", false, false},
      {"IMAGE/AVIF", true, false},
      {" image/webp ; q=0.5 , image/avif;q=0", false, true},
      {"image/avif;q=0.000,image/webp;q=0.", false, false},
      {"image/avif;q=0.001", true, false},
      {"image/avif;level=1;q=1", true, false},
      {"image/avifx,image/webpp", false, false},
      {",,;,image/webp", false, true},
  };
  for (const Case& c : cases) {
    Accept a = parseAccept(c.header);
    EXPECT_EQ(a.avif, c.avif) << c.header;
    EXPECT_EQ(a.webp, c.webp) << c.header;
  }
}

TEST(Negotiate, ChoosesOutputFormat) {
  const Accept none{}, webp{false, true}, avif{true, false}, both{true, true};
  struct Case {
    const char* name;
    Format original;
    OutputFormat requested;
    Accept accept;
    int w, h;
    bool animated, alpha;
    Format expected;
    bool animated_out;
  };
  const Case cases[] = {
      {"auto avif small", Format::kJpeg, OutputFormat::kAuto, both, 800, 600, false, false,
       Format::kAvif, false},
      {"auto avif at cap", Format::kJpeg, OutputFormat::kAuto, both, 1200, 1200, false, false,
       Format::kAvif, false},
      {"auto avif over cap -> webp", Format::kJpeg, OutputFormat::kAuto, both, 1201, 100, false,
       false, Format::kWebp, false},
      {"auto avif over cap, no webp -> original", Format::kPng, OutputFormat::kAuto, avif, 100,
       1300, false, false, Format::kPng, false},
      {"auto webp", Format::kPng, OutputFormat::kAuto, webp, 100, 100, false, true, Format::kWebp,
       false},
      {"auto nothing jpeg", Format::kJpeg, OutputFormat::kAuto, none, 100, 100, false, false,
       Format::kJpeg, false},
      {"auto nothing png", Format::kPng, OutputFormat::kAuto, none, 100, 100, false, true,
       Format::kPng, false},
      {"auto nothing gif animated", Format::kGif, OutputFormat::kAuto, none, 100, 100, true, false,
       Format::kGif, true},
      {"auto avif animated gif -> webp", Format::kGif, OutputFormat::kAuto, both, 100, 100, true,
       false, Format::kWebp, true},
      {"auto avif animated gif no webp -> gif", Format::kGif, OutputFormat::kAuto, avif, 100, 100,
       true, false, Format::kGif, true},
      {"auto heic nothing, alpha -> png", Format::kHeic, OutputFormat::kAuto, none, 10, 10, false,
       true, Format::kPng, false},
      {"auto heic nothing -> jpeg", Format::kHeic, OutputFormat::kAuto, none, 10, 10, false, false,
       Format::kJpeg, false},
      {"explicit avif 1600", Format::kJpeg, OutputFormat::kAvif, none, 1600, 900, false, false,
       Format::kAvif, false},
      {"explicit avif 1601 -> webp", Format::kJpeg, OutputFormat::kAvif, webp, 1601, 900, false,
       false, Format::kWebp, false},
      {"explicit avif 1601 -> jpeg", Format::kJpeg, OutputFormat::kAvif, none, 1601, 900, false,
       false, Format::kJpeg, false},
      {"explicit webp animated", Format::kGif, OutputFormat::kWebp, none, 10, 10, true, false,
       Format::kWebp, true},
      {"explicit jpeg of animation: first frame", Format::kGif, OutputFormat::kJpeg, both, 10, 10,
       true, false, Format::kJpeg, false},
      {"explicit png", Format::kJpeg, OutputFormat::kPng, both, 10, 10, false, false, Format::kPng,
       false},
  };
  for (const Case& c : cases) {
    detail::OutputChoice out =
        detail::chooseOutput(c.original, c.requested, c.accept, c.w, c.h, c.animated, c.alpha);
    EXPECT_EQ(out.format, c.expected) << c.name;
    EXPECT_EQ(out.animated, c.animated_out) << c.name;
  }
}

TEST(Negotiate, ProgressiveJpegOnlyBetweenTinyAndHuge) {
  EXPECT_FALSE(detail::progressiveJpeg(49, 50));
  EXPECT_TRUE(detail::progressiveJpeg(50, 50));
  EXPECT_TRUE(detail::progressiveJpeg(3000, 3000));
  EXPECT_FALSE(detail::progressiveJpeg(3000, 3001));
  auto jpeg = [](OutputFormat f, int w, int h) {
    return detail::chooseOutput(Format::kJpeg, f, Accept{}, w, h, false, false).progressive;
  };
  EXPECT_TRUE(jpeg(OutputFormat::kJpeg, 400, 300));
  EXPECT_FALSE(jpeg(OutputFormat::kBaselineJpeg, 400, 300));
  EXPECT_TRUE(jpeg(OutputFormat::kAuto, 400, 300));
  EXPECT_FALSE(jpeg(OutputFormat::kJpeg, 40, 30));
}

TEST(GifScan, FindsWhereTheDataEnds) {
  // Header, 2x1 screen with a 2-colour table, one graphic-control extension, one 1x1 image (LZW:
  // clear, pixel 0, end), trailer.
  const std::string image =
      "GIF89a\x02\x00\x01\x00\x80\x00\x00"
      "\x00\x00\x00\xFF\xFF\xFF"
      "\x21\xF9\x04\x00\x00\x00\x00\x00"
      "\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00"
      "\x02\x02\x44\x01\x00"s;
  EXPECT_EQ(detail::scanGif(image + ";"), detail::GifEnd::kTrailer);
  EXPECT_EQ(detail::scanGif(image + ";trailing junk"), detail::GifEnd::kTrailer);
  EXPECT_EQ(detail::scanGif(image), detail::GifEnd::kCleanEnd);
  for (size_t cut = 0; cut < image.size(); ++cut) {
    EXPECT_EQ(detail::scanGif(image.substr(0, cut)), detail::GifEnd::kTruncated) << cut;
  }
  EXPECT_EQ(detail::scanGif(image.substr(0, 27) + "\x99"), detail::GifEnd::kMalformed);
}

TEST(Encode, AvifQualityMapping) {
  EXPECT_EQ(detail::avifQuality(85), 60);
  EXPECT_EQ(detail::avifQuality(100), 100);
  EXPECT_EQ(detail::avifQuality(1), 1);
  EXPECT_LT(detail::avifQuality(50), detail::avifQuality(85));
  EXPECT_LT(detail::avifQuality(85), detail::avifQuality(90));
  EXPECT_EQ(detail::avifQuality(500), 100);
}

}  // namespace
}  // namespace nubis::images::pipeline
