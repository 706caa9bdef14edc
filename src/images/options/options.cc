// The flexible-variant grammar (IMAGES.md A.6) as one table of options, and the canonical form.
#include "images/options/options.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <string>
#include <vector>

#include "base/percent.h"

#include "images/options/css_color.h"

namespace nubis::images {
namespace {

constexpr int kMaxDimension = 12000;       // IMAGES.md A.11: longest side
constexpr size_t kMaxSegmentBytes = 2048;  // far beyond any real option list
constexpr size_t kMaxNumberChars = 24;     // more digits than a double holds

// A value parser's verdict: nullopt when fine, else the message (it names the option).
using Error = std::optional<std::string>;

// What the user typed, made safe to echo in a text error body.
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 40)) {
    out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  }
  if (s.size() > 40) out += "...";
  return out;
}

// Digits only: no sign, no exponent, no units, no spaces.
std::optional<int> parseInt(std::string_view s, int min, int max) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < min || v > max) return std::nullopt;
  return v;
}

// `digits` or `digits.digits`: no sign, exponent, hex, inf/nan, leading or trailing dot.
std::optional<double> parseDecimal(std::string_view s) {
  if (s.empty() || s.size() > kMaxNumberChars) return std::nullopt;
  size_t dot = s.find('.');
  if (dot == 0 || dot == s.size() - 1) return std::nullopt;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i != dot && (s[i] < '0' || s[i] > '9')) return std::nullopt;
  }
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// Shortest decimal text that reads back as exactly `v` (fixed notation, never an exponent).
std::string formatDouble(double v) {
  char buf[400];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  if (ec != std::errc()) return "0";  // unreachable for the finite values we store
  return std::string(buf, end);
}

std::string rangeText(std::string_view name, std::string_view what) {
  return std::string(name) + " must be " + std::string(what);
}

// --- one parser per option: (name as typed, decoded value, options) -> error ---------------

using Parser = Error (*)(std::string_view name, std::string_view value, TransformOptions& o);

Error parseWidth(std::string_view name, std::string_view v, TransformOptions& o) {
  if (v == "auto") return std::string(name) + "=auto is not supported by Nubis";
  o.width = parseInt(v, 1, kMaxDimension);
  if (!o.width) return rangeText(name, "an integer from 1 to 12000");
  return std::nullopt;
}

Error parseHeight(std::string_view name, std::string_view v, TransformOptions& o) {
  o.height = parseInt(v, 1, kMaxDimension);
  if (!o.height) return rangeText(name, "an integer from 1 to 12000");
  return std::nullopt;
}

Error parseFit(std::string_view name, std::string_view v, TransformOptions& o) {
  if (v == "aspect-crop" || v == "scale-up") {
    return std::string(name) + "=" + std::string(v) + " is not supported by Nubis";
  }
  std::optional<Fit> fit = fitFromName(v);
  if (!fit) return rangeText(name, "one of scale-down, contain, cover, crop, pad, squeeze");
  o.fit = *fit;
  return std::nullopt;
}

Error parseGravity(std::string_view name, std::string_view v, TransformOptions& o) {
  using Kind = Gravity::Kind;
  static constexpr std::pair<std::string_view, Kind> kSides[] = {
      {"auto", Kind::kAuto}, {"left", Kind::kLeft},     {"right", Kind::kRight},
      {"top", Kind::kTop},   {"bottom", Kind::kBottom},
  };
  if (v == "face") return std::string(name) + "=face is not supported by Nubis";
  for (const auto& [text, kind] : kSides) {
    if (v == text) {
      o.gravity = Gravity{kind, 0.5, 0.5};
      return std::nullopt;
    }
  }
  const std::string expected =
      "auto, left, right, top, bottom or XxY with X and Y from 0 to 1 (e.g. 0.5x0.33)";
  size_t x = v.find('x');
  if (x == std::string_view::npos) return rangeText(name, expected);
  std::optional<double> gx = parseDecimal(v.substr(0, x));
  std::optional<double> gy = parseDecimal(v.substr(x + 1));
  if (!gx || !gy || *gx > 1 || *gy > 1) return rangeText(name, expected);
  if (*gx == 0.5 && *gy == 0.5) {
    o.gravity = Gravity{};  // the centre, whichever way it is spelled
  } else {
    o.gravity = Gravity{Kind::kPoint, *gx, *gy};
  }
  return std::nullopt;
}

Error parseQuality(std::string_view name, std::string_view v, TransformOptions& o) {
  static constexpr std::pair<std::string_view, int> kLevels[] = {
      {"high", 90}, {"medium-high", 80}, {"medium-low", 65}, {"low", 50}};
  for (const auto& [text, q] : kLevels) {
    if (v == text) {
      o.quality = q;
      return std::nullopt;
    }
  }
  o.quality = parseInt(v, 1, 100);
  if (!o.quality) {
    return rangeText(name, "an integer from 1 to 100 or high, medium-high, medium-low, low");
  }
  return std::nullopt;
}

constexpr std::pair<std::string_view, OutputFormat> kFormats[] = {
    {"auto", OutputFormat::kAuto},
    {"avif", OutputFormat::kAvif},
    {"webp", OutputFormat::kWebp},
    {"jpeg", OutputFormat::kJpeg},
    {"baseline-jpeg", OutputFormat::kBaselineJpeg},
    {"png", OutputFormat::kPng},
    {"json", OutputFormat::kJson},
};

Error parseFormat(std::string_view name, std::string_view v, TransformOptions& o) {
  for (const auto& [text, format] : kFormats) {
    if (v == text) {
      o.format = format;
      return std::nullopt;
    }
  }
  return rangeText(name, "one of auto, avif, webp, jpeg, baseline-jpeg, png, json");
}

Error parseDpr(std::string_view name, std::string_view v, TransformOptions& o) {
  std::optional<double> d = parseDecimal(v);
  if (!d || !(*d > 0) || *d > 2) return rangeText(name, "a number above 0 and at most 2");
  o.dpr = *d;
  return std::nullopt;
}

Error parseAnim(std::string_view name, std::string_view v, TransformOptions& o) {
  if (v == "true") {
    o.anim = true;
  } else if (v == "false") {
    o.anim = false;
  } else {
    return rangeText(name, "true or false");
  }
  return std::nullopt;
}

Error parseBackground(std::string_view name, std::string_view v, TransformOptions& o) {
  o.background = parseCssColor(v);
  if (!o.background) {
    return rangeText(name,
                     "a CSS colour: #rgb, #rrggbb, #rrggbbaa (as %23...), rgb(), rgba() "
                     "or a colour name");
  }
  return std::nullopt;
}

Error parseBlur(std::string_view name, std::string_view v, TransformOptions& o) {
  std::optional<double> b = parseDecimal(v);
  if (!b || (*b != 0 && (*b < 1 || *b > 250))) return rangeText(name, "0 (off) or 1 to 250");
  o.blur = *b;
  return std::nullopt;
}

Error parseSharpen(std::string_view name, std::string_view v, TransformOptions& o) {
  std::optional<double> s = parseDecimal(v);
  if (!s || *s > 10) return rangeText(name, "a number from 0 to 10");
  o.sharpen = *s;
  return std::nullopt;
}

// brightness, contrast, gamma: factors 0..10, where Cloudflare ignores 0.
Error parseFactor(std::string_view name, std::string_view v, double& out) {
  std::optional<double> f = parseDecimal(v);
  if (!f || *f > 10) return rangeText(name, "a number from 0 to 10 (1 = unchanged)");
  out = *f == 0 ? 1.0 : *f;
  return std::nullopt;
}
Error parseBrightness(std::string_view name, std::string_view v, TransformOptions& o) {
  return parseFactor(name, v, o.brightness);
}
Error parseContrast(std::string_view name, std::string_view v, TransformOptions& o) {
  return parseFactor(name, v, o.contrast);
}
Error parseGamma(std::string_view name, std::string_view v, TransformOptions& o) {
  return parseFactor(name, v, o.gamma);
}
Error parseSaturation(std::string_view name, std::string_view v, TransformOptions& o) {
  std::optional<double> f = parseDecimal(v);
  if (!f || *f > 10) return rangeText(name, "a number from 0 (greyscale) to 10 (1 = unchanged)");
  o.saturation = *f;
  return std::nullopt;
}

Error parseRotate(std::string_view name, std::string_view v, TransformOptions& o) {
  if (v == "0" || v == "90" || v == "180" || v == "270") {
    o.rotate = *parseInt(v, 0, 270);
    return std::nullopt;
  }
  return rangeText(name, "0, 90, 180 or 270");
}

Error parseFlip(std::string_view name, std::string_view v, TransformOptions& o) {
  if (v == "h" || v == "v" || v == "hv") {
    o.flip_h = v != "v";
    o.flip_v = v != "h";
    return std::nullopt;
  }
  return rangeText(name, "h, v or hv");
}

Trim& trimOf(TransformOptions& o) {
  if (!o.trim) o.trim = Trim{};
  return *o.trim;
}

Error parseTrim(std::string_view name, std::string_view v, TransformOptions& o) {
  std::optional<int> sides[4];
  size_t start = 0;
  for (int i = 0; i < 4; ++i) {
    size_t end = i < 3 ? v.find(';', start) : v.size();
    if (end == std::string_view::npos) break;
    sides[i] = parseInt(v.substr(start, end - start), 0, kMaxDimension);
    start = end + 1;
  }
  for (const auto& side : sides) {
    if (!side) return rangeText(name, "top;right;bottom;left in pixels (0 to 12000 each)");
  }
  Trim& t = trimOf(o);
  t.top = *sides[0];
  t.right = *sides[1];
  t.bottom = *sides[2];
  t.left = *sides[3];
  return std::nullopt;
}

Error parseTrimEdge(std::string_view name, std::string_view v, int& out) {
  std::optional<int> px = parseInt(v, 0, kMaxDimension);
  if (!px) return rangeText(name, "an integer from 0 to 12000");
  out = *px;
  return std::nullopt;
}
Error parseTrimSize(std::string_view name, std::string_view v, std::optional<int>& out) {
  out = parseInt(v, 1, kMaxDimension);
  if (!out) return rangeText(name, "an integer from 1 to 12000");
  return std::nullopt;
}
Error parseTrimTop(std::string_view name, std::string_view v, TransformOptions& o) {
  return parseTrimEdge(name, v, trimOf(o).top);
}
Error parseTrimLeft(std::string_view name, std::string_view v, TransformOptions& o) {
  return parseTrimEdge(name, v, trimOf(o).left);
}
Error parseTrimWidth(std::string_view name, std::string_view v, TransformOptions& o) {
  return parseTrimSize(name, v, trimOf(o).width);
}
Error parseTrimHeight(std::string_view name, std::string_view v, TransformOptions& o) {
  return parseTrimSize(name, v, trimOf(o).height);
}

Error parseMetadata(std::string_view name, std::string_view v, TransformOptions& o) {
  o.metadata = metadataFromName(v);
  if (!o.metadata) return rangeText(name, "keep, copyright or none");
  return std::nullopt;
}

// The one table of flexible-variant options. `group` marks options that exclude each other
// beyond simple repetition: the two trim forms.
enum class Group { kNone, kTrimSides, kTrimRegion };
struct OptionSpec {
  std::string_view name;
  std::string_view alias;  // empty: none
  Parser parse;
  Group group = Group::kNone;
};
constexpr OptionSpec kOptions[] = {
    {"width", "w", parseWidth},
    {"height", "h", parseHeight},
    {"fit", "", parseFit},
    {"gravity", "g", parseGravity},
    {"quality", "q", parseQuality},
    {"format", "f", parseFormat},
    {"dpr", "", parseDpr},
    {"anim", "", parseAnim},
    {"background", "", parseBackground},
    {"blur", "", parseBlur},
    {"sharpen", "", parseSharpen},
    {"brightness", "", parseBrightness},
    {"contrast", "", parseContrast},
    {"gamma", "", parseGamma},
    {"saturation", "", parseSaturation},
    {"rotate", "", parseRotate},
    {"flip", "", parseFlip},
    {"trim", "", parseTrim, Group::kTrimSides},
    {"trim.top", "", parseTrimTop, Group::kTrimRegion},
    {"trim.left", "", parseTrimLeft, Group::kTrimRegion},
    {"trim.width", "", parseTrimWidth, Group::kTrimRegion},
    {"trim.height", "", parseTrimHeight, Group::kTrimRegion},
    {"metadata", "", parseMetadata},
};
constexpr size_t kOptionCount = std::size(kOptions);

// Cloudflare options (IMAGES.md A.6) that Nubis refuses by name rather than ignore.
constexpr std::string_view kUnsupported[] = {
    "zoom", "face-zoom", "segment", "upscale", "compression", "slow-connection-quality",
    "scq",  "onerror",   "border",  "draw",    "origin-auth",
};

// Splits at commas outside parentheses, so rgb(1,2,3) stays one value.
std::vector<std::string_view> splitPairs(std::string_view segment) {
  std::vector<std::string_view> pairs;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i <= segment.size(); ++i) {
    if (i == segment.size() || (segment[i] == ',' && depth == 0)) {
      pairs.push_back(segment.substr(start, i - start));
      start = i + 1;
    } else if (segment[i] == '(') {
      ++depth;
    } else if (segment[i] == ')' && depth > 0) {
      --depth;
    }
  }
  return pairs;
}

ParsedOptions fail(std::string message) {
  ParsedOptions r;
  r.error = OptionsError{std::move(message)};
  return r;
}

}  // namespace

ParsedOptions parseFlexible(std::string_view segment) {
  if (segment.empty()) return fail("no options given");
  if (segment.size() > kMaxSegmentBytes) return fail("the option list is longer than 2048 bytes");
  TransformOptions o;
  std::array<std::string_view, kOptionCount> seen_as{};  // the name each option was given as
  bool trim_sides = false, trim_region = false;
  for (std::string_view pair : splitPairs(segment)) {
    if (pair.empty()) return fail("empty option (a stray comma?)");
    size_t eq = pair.find('=');
    std::string_view name = pair.substr(0, eq);
    if (name.empty()) return fail("option without a name: '" + printable(pair) + "'");
    if (eq == std::string_view::npos) return fail(printable(name) + " has no value");
    std::string_view raw_value = pair.substr(eq + 1);
    if (raw_value.empty()) return fail(printable(name) + " has an empty value");

    size_t index = kOptionCount;
    for (size_t i = 0; i < kOptionCount; ++i) {
      if (name == kOptions[i].name || (!kOptions[i].alias.empty() && name == kOptions[i].alias)) {
        index = i;
        break;
      }
    }
    if (index == kOptionCount) {
      for (std::string_view unsupported : kUnsupported) {
        if (name == unsupported) return fail(std::string(name) + " is not supported by Nubis");
      }
      return fail("unknown option '" + printable(name) + "'");
    }
    const OptionSpec& spec = kOptions[index];
    if (!seen_as[index].empty()) {
      return fail(std::string(spec.name) + " is given more than once (as " +
                  std::string(seen_as[index]) + " and " + std::string(name) + ")");
    }
    seen_as[index] = name;
    trim_sides |= spec.group == Group::kTrimSides;
    trim_region |= spec.group == Group::kTrimRegion;
    if (trim_sides && trim_region) {
      return fail(std::string(name) + " cannot be combined with the other trim form");
    }
    std::optional<std::string> value = percentDecode(raw_value);
    if (!value) return fail(std::string(name) + " has a malformed %-escape");
    if (Error e = spec.parse(name, *value, o)) return fail(std::move(*e));
  }
  // An all-zero trim cuts nothing: the same image as no trim, so the same cache key.
  if (o.trim && *o.trim == Trim{}) o.trim.reset();
  ParsedOptions r;
  r.options = std::move(o);
  return r;
}

Trim trimEdges(const Trim& trim, int source_width, int source_height) {
  Trim edges = trim;
  if (trim.width) edges.right = std::max(0, source_width - trim.left - *trim.width);
  if (trim.height) edges.bottom = std::max(0, source_height - trim.top - *trim.height);
  edges.width.reset();
  edges.height.reset();
  return edges;
}

bool looksLikeOptions(std::string_view segment) {
  return segment.find('=') != std::string_view::npos;
}

namespace {
constexpr std::pair<std::string_view, Fit> kFits[] = {
    {"scale-down", Fit::kScaleDown},
    {"contain", Fit::kContain},
    {"cover", Fit::kCover},
    {"crop", Fit::kCrop},
    {"pad", Fit::kPad},
    {"squeeze", Fit::kSqueeze},
};
constexpr std::pair<std::string_view, MetadataPolicy> kMetadata[] = {
    {"keep", MetadataPolicy::kKeep},
    {"copyright", MetadataPolicy::kCopyright},
    {"none", MetadataPolicy::kNone},
};
}  // namespace

std::optional<Fit> fitFromName(std::string_view name) {
  for (const auto& [text, fit] : kFits) {
    if (name == text) return fit;
  }
  return std::nullopt;
}

std::string_view fitName(Fit fit) {
  for (const auto& [text, f] : kFits) {
    if (f == fit) return text;
  }
  return "scale-down";
}

std::optional<MetadataPolicy> metadataFromName(std::string_view name) {
  for (const auto& [text, m] : kMetadata) {
    if (name == text) return m;
  }
  return std::nullopt;
}

std::string_view metadataName(MetadataPolicy m) {
  for (const auto& [text, policy] : kMetadata) {
    if (policy == m) return text;
  }
  return "none";
}

std::string TransformOptions::canonical() const {
  std::string out;
  auto add = [&out](std::string_view name, std::string_view value) {
    if (!out.empty()) out.push_back(',');
    out.append(name).append("=").append(value);
  };
  if (width) add("width", std::to_string(*width));
  if (height) add("height", std::to_string(*height));
  add("fit", fitName(fit));
  switch (gravity.kind) {
    case Gravity::Kind::kCenter:
      add("gravity", "0.5x0.5");
      break;
    case Gravity::Kind::kAuto:
      add("gravity", "auto");
      break;
    case Gravity::Kind::kLeft:
      add("gravity", "left");
      break;
    case Gravity::Kind::kRight:
      add("gravity", "right");
      break;
    case Gravity::Kind::kTop:
      add("gravity", "top");
      break;
    case Gravity::Kind::kBottom:
      add("gravity", "bottom");
      break;
    case Gravity::Kind::kPoint:
      add("gravity", formatDouble(gravity.x) + "x" + formatDouble(gravity.y));
      break;
  }
  if (quality) add("quality", std::to_string(*quality));
  for (const auto& [text, f] : kFormats) {
    if (f == format) add("format", text);
  }
  add("dpr", formatDouble(dpr));
  add("anim", anim ? "true" : "false");
  if (background) {
    char hex[10];
    std::snprintf(hex, sizeof hex, "#%02x%02x%02x%02x", background->r, background->g, background->b,
                  background->a);
    add("background", hex);
  }
  add("blur", formatDouble(blur));
  add("sharpen", formatDouble(sharpen));
  add("brightness", formatDouble(brightness));
  add("contrast", formatDouble(contrast));
  add("gamma", formatDouble(gamma));
  add("saturation", formatDouble(saturation));
  add("rotate", std::to_string(rotate));
  if (flip_h || flip_v) add("flip", flip_h && flip_v ? "hv" : (flip_h ? "h" : "v"));
  if (trim) {
    if (trim->width || trim->height) {
      add("trim.top", std::to_string(trim->top));
      add("trim.left", std::to_string(trim->left));
      if (trim->width) add("trim.width", std::to_string(*trim->width));
      if (trim->height) add("trim.height", std::to_string(*trim->height));
    } else {
      add("trim", std::to_string(trim->top) + ";" + std::to_string(trim->right) + ";" +
                      std::to_string(trim->bottom) + ";" + std::to_string(trim->left));
    }
  }
  if (metadata) add("metadata", metadataName(*metadata));
  return out;
}

}  // namespace nubis::images
