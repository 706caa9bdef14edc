#include "images/pipeline/svg_root.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

namespace nubis::images::pipeline::detail {
namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Offset of the '>' closing a doctype that starts at `pos`, skipping quoted literals and the
// internal subset ([...] may hold '>' inside entity declarations). npos if it never closes.
size_t doctypeEnd(std::string_view s, size_t pos) {
  char quote = 0;
  int depth = 0;
  for (size_t i = pos; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[') {
      ++depth;
    } else if (c == ']') {
      depth = std::max(0, depth - 1);
    } else if (c == '>' && depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

// Offset of the first element's '<' after the prolog, or npos when the prolog is malformed or
// there is text before the first element.
size_t firstElement(std::string_view s) {
  size_t pos = 0;
  if (s.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  while (true) {
    while (pos < s.size() && isSpace(s[pos])) ++pos;
    if (pos >= s.size()) return std::string_view::npos;
    std::string_view rest = s.substr(pos);
    size_t end;
    if (rest.starts_with("<?")) {
      end = s.find("?>", pos + 2);
      if (end == std::string_view::npos) return end;
      pos = end + 2;
    } else if (rest.starts_with("<!--")) {
      end = s.find("-->", pos + 4);
      if (end == std::string_view::npos) return end;
      pos = end + 3;
    } else if (rest.starts_with("<!DOCTYPE")) {
      end = doctypeEnd(s, pos + 9);
      if (end == std::string_view::npos) return end;
      pos = end + 1;
    } else if (rest[0] == '<') {
      return pos;
    } else {
      return std::string_view::npos;
    }
  }
}

std::optional<double> parseNumber(std::string_view& text) {
  size_t i = 0;
  if (i < text.size() && text[i] == '+') ++i;
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data() + i, text.data() + text.size(), v);
  if (ec != std::errc() || !std::isfinite(v)) return std::nullopt;
  text.remove_prefix(static_cast<size_t>(ptr - text.data()));
  return v;
}

std::string_view trim(std::string_view v) {
  while (!v.empty() && isSpace(v.front())) v.remove_prefix(1);
  while (!v.empty() && isSpace(v.back())) v.remove_suffix(1);
  return v;
}

// A length in CSS pixels; nullopt for relative units, garbage, zero or negative values.
std::optional<double> parseLength(std::string_view text) {
  text = trim(text);
  auto v = parseNumber(text);
  if (!v || *v <= 0) return std::nullopt;
  std::string unit;
  for (char c : trim(text)) unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  struct Unit {
    std::string_view name;
    double px;
  };
  static constexpr Unit kUnits[] = {{"", 1},    {"px", 1},         {"pt", 4.0 / 3},
                                    {"pc", 16}, {"mm", 96 / 25.4}, {"cm", 96 / 2.54},
                                    {"in", 96}};
  for (const Unit& u : kUnits) {
    if (unit == u.name) return *v * u.px;
  }
  return std::nullopt;
}

// viewBox="min-x min-y width height" (whitespace and/or commas); only a positive size counts.
std::optional<std::array<double, 2>> parseViewBox(std::string_view text) {
  std::array<double, 4> n{};
  for (double& x : n) {
    while (!text.empty() && (isSpace(text.front()) || text.front() == ',')) text.remove_prefix(1);
    bool negative = !text.empty() && text.front() == '-';
    if (negative) text.remove_prefix(1);
    auto v = parseNumber(text);
    if (!v) return std::nullopt;
    x = negative ? -*v : *v;
  }
  if (!trim(text).empty() || n[2] <= 0 || n[3] <= 0) return std::nullopt;
  return std::array<double, 2>{n[2], n[3]};
}

int toPixels(double v) {
  double r = std::round(v);
  return static_cast<int>(std::clamp(r, 1.0, 1e9));
}

}  // namespace

bool startsLikeSvg(std::string_view bytes) {
  size_t pos = firstElement(bytes);
  if (pos == std::string_view::npos) return false;
  std::string_view rest = bytes.substr(pos);
  if (!rest.starts_with("<svg")) return false;
  if (rest.size() == 4) return true;  // cut off right after the name
  char next = rest[4];
  return isSpace(next) || next == '>' || next == '/';
}

std::optional<std::string_view> svgRootTag(std::string_view bytes) {
  if (!startsLikeSvg(bytes)) return std::nullopt;
  size_t pos = firstElement(bytes);
  char quote = 0;
  for (size_t i = pos + 4; i < bytes.size(); ++i) {
    char c = bytes[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '<') {
      return std::nullopt;  // not allowed inside a start tag
    } else if (c == '>') {
      return bytes.substr(pos, i - pos + 1);
    }
  }
  return std::nullopt;
}

SvgSize svgSize(std::string_view tag) {
  std::optional<double> width, height;
  std::optional<std::array<double, 2>> view_box;
  std::string_view rest = tag.substr(std::min<size_t>(4, tag.size()));  // after "<svg"
  while (true) {
    while (!rest.empty() && isSpace(rest.front())) rest.remove_prefix(1);
    if (rest.empty() || rest.front() == '>' || rest.front() == '/') break;
    size_t name_end = 0;
    while (name_end < rest.size() && !isSpace(rest[name_end]) && rest[name_end] != '=' &&
           rest[name_end] != '>' && rest[name_end] != '/') {
      ++name_end;
    }
    std::string_view name = rest.substr(0, name_end);
    rest.remove_prefix(name_end);
    while (!rest.empty() && isSpace(rest.front())) rest.remove_prefix(1);
    if (rest.empty() || rest.front() != '=') break;  // malformed: stop reading attributes
    rest.remove_prefix(1);
    while (!rest.empty() && isSpace(rest.front())) rest.remove_prefix(1);
    if (rest.empty() || (rest.front() != '"' && rest.front() != '\'')) break;
    char quote = rest.front();
    size_t close = rest.find(quote, 1);
    if (close == std::string_view::npos) break;
    std::string_view value = rest.substr(1, close - 1);
    rest.remove_prefix(close + 1);
    if (name == "width") width = parseLength(value);
    if (name == "height") height = parseLength(value);
    if (name == "viewBox") view_box = parseViewBox(value);
  }
  SvgSize size;
  if (width && height) {
    size = {toPixels(*width), toPixels(*height)};
  } else if (width && view_box) {
    size = {toPixels(*width), toPixels(*width * (*view_box)[1] / (*view_box)[0])};
  } else if (height && view_box) {
    size = {toPixels(*height * (*view_box)[0] / (*view_box)[1]), toPixels(*height)};
  } else if (view_box) {
    size = {toPixels((*view_box)[0]), toPixels((*view_box)[1])};
  } else {
    if (width) size.width = toPixels(*width);
    if (height) size.height = toPixels(*height);
  }
  return size;
}

}  // namespace nubis::images::pipeline::detail
