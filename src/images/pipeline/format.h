// Image formats the pipeline knows, recognised by their magic bytes only: a declared part type or
// file extension is never believed (IMAGES.md C.17: clients send valid JPEGs as
// application/octet-stream, and a lying type must not reach a decoder meant for another format).
//
// Pure functions: safe from any thread, no libvips needed.
#pragma once

#include <string_view>

namespace nubis::images::pipeline {

enum class Format { kUnknown, kJpeg, kPng, kGif, kWebp, kSvg, kAvif, kHeic };

// "image/jpeg", "image/png", "image/gif", "image/webp", "image/svg+xml", "image/avif",
// "image/heic"; kUnknown: "application/octet-stream".
std::string_view mimeType(Format f);

// The format by magic bytes. JPEG: FF D8 FF. PNG: the 8-byte signature. GIF: GIF87a/GIF89a.
// WebP: RIFF....WEBP. AVIF/HEIC: an ISO-BMFF `ftyp` box whose major or compatible brands name
// avif/avis (AVIF) or heic/heix/heim/heis/hevc/hevx (HEIC); a bare mif1/msf1 is HEIC.
// SVG: an optional UTF-8 BOM, whitespace, XML declaration, processing instructions, comments and
// a doctype, then an `<svg` start tag. Everything else (TIFF, BMP, text, ...) is kUnknown.
Format sniff(std::string_view bytes);

}  // namespace nubis::images::pipeline
