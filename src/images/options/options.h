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

// Cloudflare has no `gravity=center`: the centre is the default, or `0.5x0.5`, which
// parseFlexible turns into kCenter so that both spellings compare (and cache) equal.
struct Gravity {
  enum class Kind { kCenter, kAuto, kLeft, kRight, kTop, kBottom, kPoint };
  Kind kind = Kind::kCenter;
  double x = 0.5, y = 0.5;  // kPoint: 0..1 from the left / top; 0.5/0.5 for every other kind
  bool operator==(const Gravity&) const = default;
};

struct Rgba {
  uint8_t r = 255, g = 255, b = 255, a = 255;
  bool operator==(const Rgba&) const = default;
};

// Pixels cut from the source before anything else (IMAGES.md A.6 `trim`). Two URL forms:
//  - `trim=top;right;bottom;left`: cut that many pixels from each edge (width/height unset);
//  - `trim.top=`, `trim.left=`, `trim.width=`, `trim.height=`: keep the region that starts at
//    (left, top) and is width x height pixels; an unset width/height runs to the right/bottom
//    edge. right and bottom are then always 0 (parseFlexible never sets both kinds).
struct Trim {
  int top = 0, right = 0, bottom = 0, left = 0;  // 0..12000 each
  std::optional<int> width, height;              // 1..12000; only from the trim.* form
  bool operator==(const Trim&) const = default;
};

// `trim` as four edges for a source of source_width x source_height pixels: in the region form
// right becomes source_width - left - width (at least 0), bottom likewise; the edge form comes
// back unchanged. Cut with this, not with right/bottom directly, or trim.width/height is lost.
Trim trimEdges(const Trim& trim, int source_width, int source_height);

struct TransformOptions {
  std::optional<int> width;   // 1..12000 (before dpr)
  std::optional<int> height;  // 1..12000 (before dpr)
  Fit fit = Fit::kScaleDown;
  Gravity gravity;
  // 1..100; unset: the encoder default (85). Cloudflare's perceptual levels are fixed numbers
  // here (Cloudflare's own are adaptive and undocumented): high 90, medium-high 80,
  // medium-low 65, low 50 -- the docs call 50..90 the useful range.
  std::optional<int> quality;
  // `png` is not in the URL docs' list but is in Workers' `format` type, so it is accepted.
  OutputFormat format = OutputFormat::kAuto;
  double dpr = 1.0;  // (0, 2] (IMAGES.md A.6: the 2026 docs cap it at 2); multiplies width/height
  bool anim = true;  // false: first frame only
  std::optional<Rgba> background;  // pad and alpha flattening; default white
  double blur = 0;                 // 0 (off) or 1..250
  double sharpen = 0;              // 0..10
  // Factors, 1 = unchanged, at most 10 (Nubis' cap: beyond it every pixel saturates anyway).
  // Cloudflare ignores 0 for brightness/contrast/gamma, so parseFlexible stores 0 as 1.
  double brightness = 1;
  double contrast = 1;
  double gamma = 1;
  double saturation = 1;  // 0 = greyscale; at most 10
  int rotate = 0;         // 0, 90, 180, 270 (after flip)
  bool flip_h = false, flip_v = false;
  std::optional<Trim> trim;
  std::optional<MetadataPolicy> metadata;  // unset: copyright for JPEG output, none otherwise

  // A stable, complete text form: equal options give equal strings, different ones different
  // strings (every field that changes output is in it). Used in cache keys and ETags. It is
  // itself a flexible-variant segment: every field in a fixed order with full option names,
  // unset optional fields and "no flip" left out, floats in their shortest exact decimal form,
  // the background as `#rrggbbaa`, e.g.
  //   "width=400,fit=cover,gravity=0.5x0.5,format=auto,dpr=1,anim=true,blur=0,sharpen=0,
  //    brightness=1,contrast=1,gamma=1,saturation=1,rotate=0"
  // parseFlexible(o.canonical()) gives back o for any o that parseFlexible produced.
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
// blur, sharpen, brightness, contrast, gamma, saturation, rotate, flip, trim, trim.top,
// trim.left, trim.width, trim.height, metadata). An option Cloudflare has but Nubis does not
// implement (zoom, face-zoom, segment, upscale, compression, slow-connection-quality|scq,
// onerror, border, draw, origin-auth, width=auto, gravity=face, fit=aspect-crop, fit=scale-up)
// is refused by name, never ignored. Out-of-range values, repeated options (an alias counts as
// its option), empty pairs, numbers with signs, exponents, units or other junk: refused.
//
// `segment` is the path segment as it arrived (not percent-decoded): commas inside parentheses
// do not split (`background=rgb(1,2,3)`), and each value is percent-decoded before it is read
// (`background=%23ff0000`, `trim=1%3B2%3B3%3B4`). Names are lowercase ASCII, matched exactly.
// Values are matched case-sensitively except colours (`#FFF`, `Red`).
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
