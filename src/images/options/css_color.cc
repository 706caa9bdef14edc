#include "images/options/css_color.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace nubis::images {
namespace {

struct NamedColor {
  std::string_view name;
  uint32_t rgb;
};

// CSS Color 4 named colours (https://www.w3.org/TR/css-color-4/#named-colors).
constexpr std::array<NamedColor, 148> kNamedColors{{
    {"aliceblue", 0xf0f8ff},
    {"antiquewhite", 0xfaebd7},
    {"aqua", 0x00ffff},
    {"aquamarine", 0x7fffd4},
    {"azure", 0xf0ffff},
    {"beige", 0xf5f5dc},
    {"bisque", 0xffe4c4},
    {"black", 0x000000},
    {"blanchedalmond", 0xffebcd},
    {"blue", 0x0000ff},
    {"blueviolet", 0x8a2be2},
    {"brown", 0xa52a2a},
    {"burlywood", 0xdeb887},
    {"cadetblue", 0x5f9ea0},
    {"chartreuse", 0x7fff00},
    {"chocolate", 0xd2691e},
    {"coral", 0xff7f50},
    {"cornflowerblue", 0x6495ed},
    {"cornsilk", 0xfff8dc},
    {"crimson", 0xdc143c},
    {"cyan", 0x00ffff},
    {"darkblue", 0x00008b},
    {"darkcyan", 0x008b8b},
    {"darkgoldenrod", 0xb8860b},
    {"darkgray", 0xa9a9a9},
    {"darkgreen", 0x006400},
    {"darkgrey", 0xa9a9a9},
    {"darkkhaki", 0xbdb76b},
    {"darkmagenta", 0x8b008b},
    {"darkolivegreen", 0x556b2f},
    {"darkorange", 0xff8c00},
    {"darkorchid", 0x9932cc},
    {"darkred", 0x8b0000},
    {"darksalmon", 0xe9967a},
    {"darkseagreen", 0x8fbc8f},
    {"darkslateblue", 0x483d8b},
    {"darkslategray", 0x2f4f4f},
    {"darkslategrey", 0x2f4f4f},
    {"darkturquoise", 0x00ced1},
    {"darkviolet", 0x9400d3},
    {"deeppink", 0xff1493},
    {"deepskyblue", 0x00bfff},
    {"dimgray", 0x696969},
    {"dimgrey", 0x696969},
    {"dodgerblue", 0x1e90ff},
    {"firebrick", 0xb22222},
    {"floralwhite", 0xfffaf0},
    {"forestgreen", 0x228b22},
    {"fuchsia", 0xff00ff},
    {"gainsboro", 0xdcdcdc},
    {"ghostwhite", 0xf8f8ff},
    {"gold", 0xffd700},
    {"goldenrod", 0xdaa520},
    {"gray", 0x808080},
    {"green", 0x008000},
    {"greenyellow", 0xadff2f},
    {"grey", 0x808080},
    {"honeydew", 0xf0fff0},
    {"hotpink", 0xff69b4},
    {"indianred", 0xcd5c5c},
    {"indigo", 0x4b0082},
    {"ivory", 0xfffff0},
    {"khaki", 0xf0e68c},
    {"lavender", 0xe6e6fa},
    {"lavenderblush", 0xfff0f5},
    {"lawngreen", 0x7cfc00},
    {"lemonchiffon", 0xfffacd},
    {"lightblue", 0xadd8e6},
    {"lightcoral", 0xf08080},
    {"lightcyan", 0xe0ffff},
    {"lightgoldenrodyellow", 0xfafad2},
    {"lightgray", 0xd3d3d3},
    {"lightgreen", 0x90ee90},
    {"lightgrey", 0xd3d3d3},
    {"lightpink", 0xffb6c1},
    {"lightsalmon", 0xffa07a},
    {"lightseagreen", 0x20b2aa},
    {"lightskyblue", 0x87cefa},
    {"lightslategray", 0x778899},
    {"lightslategrey", 0x778899},
    {"lightsteelblue", 0xb0c4de},
    {"lightyellow", 0xffffe0},
    {"lime", 0x00ff00},
    {"limegreen", 0x32cd32},
    {"linen", 0xfaf0e6},
    {"magenta", 0xff00ff},
    {"maroon", 0x800000},
    {"mediumaquamarine", 0x66cdaa},
    {"mediumblue", 0x0000cd},
    {"mediumorchid", 0xba55d3},
    {"mediumpurple", 0x9370db},
    {"mediumseagreen", 0x3cb371},
    {"mediumslateblue", 0x7b68ee},
    {"mediumspringgreen", 0x00fa9a},
    {"mediumturquoise", 0x48d1cc},
    {"mediumvioletred", 0xc71585},
    {"midnightblue", 0x191970},
    {"mintcream", 0xf5fffa},
    {"mistyrose", 0xffe4e1},
    {"moccasin", 0xffe4b5},
    {"navajowhite", 0xffdead},
    {"navy", 0x000080},
    {"oldlace", 0xfdf5e6},
    {"olive", 0x808000},
    {"olivedrab", 0x6b8e23},
    {"orange", 0xffa500},
    {"orangered", 0xff4500},
    {"orchid", 0xda70d6},
    {"palegoldenrod", 0xeee8aa},
    {"palegreen", 0x98fb98},
    {"paleturquoise", 0xafeeee},
    {"palevioletred", 0xdb7093},
    {"papayawhip", 0xffefd5},
    {"peachpuff", 0xffdab9},
    {"peru", 0xcd853f},
    {"pink", 0xffc0cb},
    {"plum", 0xdda0dd},
    {"powderblue", 0xb0e0e6},
    {"purple", 0x800080},
    {"rebeccapurple", 0x663399},
    {"red", 0xff0000},
    {"rosybrown", 0xbc8f8f},
    {"royalblue", 0x4169e1},
    {"saddlebrown", 0x8b4513},
    {"salmon", 0xfa8072},
    {"sandybrown", 0xf4a460},
    {"seagreen", 0x2e8b57},
    {"seashell", 0xfff5ee},
    {"sienna", 0xa0522d},
    {"silver", 0xc0c0c0},
    {"skyblue", 0x87ceeb},
    {"slateblue", 0x6a5acd},
    {"slategray", 0x708090},
    {"slategrey", 0x708090},
    {"snow", 0xfffafa},
    {"springgreen", 0x00ff7f},
    {"steelblue", 0x4682b4},
    {"tan", 0xd2b48c},
    {"teal", 0x008080},
    {"thistle", 0xd8bfd8},
    {"tomato", 0xff6347},
    {"turquoise", 0x40e0d0},
    {"violet", 0xee82ee},
    {"wheat", 0xf5deb3},
    {"white", 0xffffff},
    {"whitesmoke", 0xf5f5f5},
    {"yellow", 0xffff00},
    {"yellowgreen", 0x9acd32},
}};

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equalsLower(std::string_view text, std::string_view lower_word) {
  if (text.size() != lower_word.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (lower(text[i]) != lower_word[i]) return false;
  }
  return true;
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<Rgba> parseHex(std::string_view hex) {
  std::vector<int> d;
  for (char c : hex) {
    int v = hexDigit(c);
    if (v < 0) return std::nullopt;
    d.push_back(v);
  }
  auto byte = [](int hi, int lo) { return static_cast<uint8_t>(hi * 16 + lo); };
  Rgba c;
  switch (d.size()) {
    case 3:
    case 4:  // #rgb(a): each digit doubled
      c.r = byte(d[0], d[0]);
      c.g = byte(d[1], d[1]);
      c.b = byte(d[2], d[2]);
      if (d.size() == 4) c.a = byte(d[3], d[3]);
      return c;
    case 6:
    case 8:
      c.r = byte(d[0], d[1]);
      c.g = byte(d[2], d[3]);
      c.b = byte(d[4], d[5]);
      if (d.size() == 8) c.a = byte(d[6], d[7]);
      return c;
    default:
      return std::nullopt;
  }
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

// A CSS <number> or <percentage> without sign or exponent: `12`, `12.5`, `.5`, `50%`.
// Returns the value in [0, 1] of its range (max for a plain number), or nullopt.
std::optional<double> parseComponent(std::string_view s, double max) {
  bool percent = !s.empty() && s.back() == '%';
  if (percent) s.remove_suffix(1);
  if (s.empty() || s.size() > 24) return std::nullopt;
  size_t dot = s.find('.');
  for (size_t i = 0; i < s.size(); ++i) {
    if (i != dot && (s[i] < '0' || s[i] > '9')) return std::nullopt;
  }
  if (dot == s.size() - 1) return std::nullopt;  // "5." is not a CSS number
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) {
    // from_chars does not take ".5"; CSS does.
    if (dot != 0) return std::nullopt;
    std::string with_zero = "0" + std::string(s);
    auto r = std::from_chars(with_zero.data(), with_zero.data() + with_zero.size(), v);
    if (r.ec != std::errc() || r.ptr != with_zero.data() + with_zero.size()) return std::nullopt;
  }
  double scale = percent ? 100.0 : max;
  if (!(v >= 0 && v <= scale)) return std::nullopt;
  return v / scale;
}

uint8_t toByte(double unit) { return static_cast<uint8_t>(std::lround(unit * 255.0)); }

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

std::vector<std::string_view> splitSpaces(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && isSpace(s[i])) ++i;
    size_t start = i;
    while (i < s.size() && !isSpace(s[i])) ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

std::optional<Rgba> parseRgbFunction(std::string_view args) {
  std::vector<std::string_view> channels;
  std::optional<std::string_view> alpha;
  if (args.find(',') != std::string_view::npos) {
    // Legacy syntax: 3 or 4 comma-separated values.
    for (std::string_view part : split(args, ',')) channels.push_back(trim(part));
    if (channels.size() == 4) {
      alpha = channels.back();
      channels.pop_back();
    }
  } else {
    // CSS4 syntax: "r g b" or "r g b / a".
    std::string_view color_part = args;
    if (size_t slash = args.find('/'); slash != std::string_view::npos) {
      alpha = trim(args.substr(slash + 1));
      color_part = args.substr(0, slash);
    }
    channels = splitSpaces(color_part);
  }
  if (channels.size() != 3) return std::nullopt;
  Rgba c;
  uint8_t* out[] = {&c.r, &c.g, &c.b};
  for (size_t i = 0; i < 3; ++i) {
    std::optional<double> v = parseComponent(channels[i], 255.0);
    if (!v) return std::nullopt;
    *out[i] = toByte(*v);
  }
  if (alpha) {
    std::optional<double> a = parseComponent(*alpha, 1.0);
    if (!a) return std::nullopt;
    c.a = toByte(*a);
  }
  return c;
}

}  // namespace

std::optional<Rgba> parseCssColor(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  if (text.front() == '#') return parseHex(text.substr(1));
  if (equalsLower(text, "transparent")) return Rgba{0, 0, 0, 0};
  if (size_t open = text.find('('); open != std::string_view::npos) {
    std::string_view fn = text.substr(0, open);
    if (text.back() != ')' || !(equalsLower(fn, "rgb") || equalsLower(fn, "rgba"))) {
      return std::nullopt;
    }
    std::string_view args = trim(text.substr(open + 1, text.size() - open - 2));
    if (args.find_first_of("()") != std::string_view::npos) return std::nullopt;
    return parseRgbFunction(args);
  }
  for (const NamedColor& named : kNamedColors) {
    if (equalsLower(text, named.name)) {
      return Rgba{static_cast<uint8_t>(named.rgb >> 16), static_cast<uint8_t>(named.rgb >> 8),
                  static_cast<uint8_t>(named.rgb), 255};
    }
  }
  return std::nullopt;
}

}  // namespace nubis::images
