// TransformOptions: what a variant asks of an image, in typed form. Built from a named variant's
// options (the Images API's `{fit, width, height, metadata}`) or parsed from a flexible-variant
// segment ("w=400,h=300,fit=cover"; IMAGES.md §A.6). The pipeline (images/pipeline) executes it;
// canonical() keys the rendered-variant cache.
//
// Plain values and pure functions: safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nubis::images {

enum class Fit { kScaleDown, kContain, kCover, kCrop, kPad, kSqueeze };
enum class MetadataPolicy { kKeep, kCopyright, kNone };
// kAuto: AVIF / WebP / original chosen from the Accept header (the hosted default).
enum class OutputFormat { kAuto, kAvif, kWebp, kJpeg, kBaselineJpeg, kPng, kJson };

struct Gravity {
  enum class Kind { kCenter, kAuto, kLeft, kRight, kTop, kBottom, kPoint };
  Kind kind = Kind::kCenter;
  double x = 0.5, y = 0.5;  // kPoint: 0..1 from the left / top
};

struct Rgba {
  uint8_t r = 255, g = 255, b = 255, a = 255;
};

// Pixels cut from each edge before anything else.
struct Trim {
  int top = 0, right = 0, bottom = 0, left = 0;
};

struct TransformOptions {
  std::optional<int> width;   // 1..12000 (before dpr)
  std::optional<int> height;  // 1..12000 (before dpr)
  Fit fit = Fit::kScaleDown;
  Gravity gravity;
  std::optional<int> quality;  // 1..100; unset: the encoder default (85)
  OutputFormat format = OutputFormat::kAuto;
  double dpr = 1.0;  // 1..2 (IMAGES.md A.6: the 2026 docs cap it at 2); multiplies width/height
  bool anim = true;  // false: first frame only
  std::optional<Rgba> background;  // pad and alpha flattening; default white
  double blur = 0;       // 0 (off) or 1..250
  double sharpen = 0;    // 0..10
  double brightness = 1;  // factors; 1 = unchanged
  double contrast = 1;
  double gamma = 1;
  double saturation = 1;  // 0 = greyscale
  int rotate = 0;        // 0, 90, 180, 270 (after flip)
  bool flip_h = false, flip_v = false;
  std::optional<Trim> trim;
  std::optional<MetadataPolicy> metadata;  // unset: copyright for JPEG output, none otherwise

  // A stable, complete text form: equal options give equal strings, different ones different
  // strings (every field that changes output is in it). Used in cache keys and ETags.
  std::string canonical() const;
  bool operator==(const TransformOptions&) const = default;
};

// Why a flexible-variant segment was refused. The message names the option and what is allowed
// (delivery answers it as `ERROR 9401: ...`).
struct OptionsError {
  std::string message;
};

// Parses a flexible-variant segment: comma-separated `name=value` pairs, names and aliases of
// IMAGES.md A.6 (width|w, height|h, fit, gravity|g, quality|q, format|f, dpr, anim, background,
// blur, sharpen, brightness, contrast, gamma, saturation, rotate, flip, trim, metadata). An
// option Cloudflare has but Nubis does not implement (zoom, segment, upscale, compression,
// slow-connection-quality, onerror, border, draw, width=auto, gravity=face, ...) is refused by
// name, never ignored. Out-of-range values, repeated options, empty pairs: refused.
// Exactly one of `options` and `error` is set.
struct ParsedOptions {
  std::optional<TransformOptions> options;
  std::optional<OptionsError> error;
};
ParsedOptions parseFlexible(std::string_view segment);

// Whether a final path segment looks like a flexible-variant option list (contains '=') rather
// than a variant name.
bool looksLikeOptions(std::string_view segment);

// Named-variant options from the Images API (`fit` one of scale-down|contain|cover|crop|pad,
// width/height >= 1, metadata keep|copyright|none). Validation of the JSON itself is the API's;
// this maps already-valid values.
std::optional<Fit> fitFromName(std::string_view name);
std::string_view fitName(Fit fit);
std::optional<MetadataPolicy> metadataFromName(std::string_view name);
std::string_view metadataName(MetadataPolicy m);

}  // namespace nubis::images
