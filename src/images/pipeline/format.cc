#include "images/pipeline/format.h"

#include <cstdint>

#include "images/pipeline/svg_root.h"

namespace nubis::images::pipeline {
namespace {

uint32_t bigEndian32(std::string_view b, size_t at) {
  auto u = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(b[at + i])); };
  return u(0) << 24 | u(1) << 16 | u(2) << 8 | u(3);
}

// ISO-BMFF (HEIF family): the `ftyp` box lists a major brand and compatible brands. AVIF wins
// over HEIC when both appear, because libheif picks the decoder from the item type anyway and
// AVIF is what browsers can be sent.
Format sniffIsoBmff(std::string_view b) {
  if (b.size() < 16 || b.substr(4, 4) != "ftyp") return Format::kUnknown;
  size_t box = bigEndian32(b, 0);
  if (box < 16 || box > b.size()) box = b.size();
  if (box > 4096) box = 4096;  // a real ftyp box is tens of bytes
  bool avif = false, heic = false, heif = false;
  auto brand = [&](std::string_view x) {
    if (x == "avif" || x == "avis") avif = true;
    if (x == "heic" || x == "heix" || x == "heim" || x == "heis" || x == "hevc" || x == "hevx") {
      heic = true;
    }
    if (x == "mif1" || x == "msf1") heif = true;
  };
  brand(b.substr(8, 4));
  for (size_t at = 16; at + 4 <= box; at += 4) brand(b.substr(at, 4));
  if (avif) return Format::kAvif;
  if (heic || heif) return Format::kHeic;
  return Format::kUnknown;
}

}  // namespace

std::string_view mimeType(Format f) {
  switch (f) {
    case Format::kJpeg:
      return "image/jpeg";
    case Format::kPng:
      return "image/png";
    case Format::kGif:
      return "image/gif";
    case Format::kWebp:
      return "image/webp";
    case Format::kSvg:
      return "image/svg+xml";
    case Format::kAvif:
      return "image/avif";
    case Format::kHeic:
      return "image/heic";
    case Format::kUnknown:
      break;
  }
  return "application/octet-stream";
}

Format sniff(std::string_view b) {
  if (b.size() >= 3 && b.substr(0, 3) == "\xFF\xD8\xFF") return Format::kJpeg;
  if (b.size() >= 8 && b.substr(0, 8) == "\x89PNG\r\n\x1A\n") return Format::kPng;
  if (b.size() >= 6 && (b.substr(0, 6) == "GIF87a" || b.substr(0, 6) == "GIF89a")) {
    return Format::kGif;
  }
  if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") return Format::kWebp;
  if (Format f = sniffIsoBmff(b); f != Format::kUnknown) return f;
  if (detail::startsLikeSvg(b)) return Format::kSvg;
  return Format::kUnknown;
}

}  // namespace nubis::images::pipeline
