#include "images/options/svg_sanitize.h"

#include <vector>

#include "images/options/svg_allowlist.h"
#include "images/options/xml_reader.h"

namespace nubis::images {
namespace {

using svg::AttributeKind;
using svg::ElementKind;

char asciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool isCssSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

bool isFragmentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.' || c == ':' || static_cast<unsigned char>(c) >= 0x80;
}

std::string_view trimSpace(std::string_view s) {
  while (!s.empty() && isCssSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isCssSpace(s.back())) s.remove_suffix(1);
  return s;
}

// "#id": a reference inside this document. (Not "#xpointer(...)" or "#svgView(...)".)
bool isFragment(std::string_view v) {
  if (v.size() < 2 || v[0] != '#') return false;
  for (char c : v.substr(1)) {
    if (!isFragmentChar(c)) return false;
  }
  return true;
}

bool startsWithLower(std::string_view s, std::string_view lower_prefix) {
  if (s.size() < lower_prefix.size()) return false;
  for (size_t i = 0; i < lower_prefix.size(); ++i) {
    if (asciiLower(s[i]) != lower_prefix[i]) return false;
  }
  return true;
}

int base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// data:image/(png|jpeg|jpg|gif|webp);base64,<payload> whose first bytes are a PNG, JPEG, GIF
// or WebP signature: browsers sniff image bytes, so the declared type alone proves nothing.
bool isRasterDataUrl(std::string_view v) {
  static constexpr std::string_view kPrefixes[] = {
      "data:image/png;base64,", "data:image/jpeg;base64,", "data:image/jpg;base64,",
      "data:image/gif;base64,", "data:image/webp;base64,"};
  std::string_view payload;
  for (std::string_view prefix : kPrefixes) {
    if (startsWithLower(v, prefix)) {
      payload = v.substr(prefix.size());
      break;
    }
  }
  if (payload.empty()) return false;
  std::string head;  // the first decoded bytes
  uint32_t bits = 0;
  int nbits = 0;
  bool padding = false;
  for (char c : payload) {
    if (c == ' ') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    int value = base64Value(c);
    if (value < 0 || padding) return false;
    if (head.size() < 12) {
      bits = (bits << 6) | static_cast<uint32_t>(value);
      nbits += 6;
      if (nbits >= 8) {
        nbits -= 8;
        head.push_back(static_cast<char>((bits >> nbits) & 0xFF));
      }
    }
  }
  std::string_view h = head;
  return h.substr(0, 8) == "\x89PNG\r\n\x1a\n" || h.substr(0, 3) == "\xFF\xD8\xFF" ||
         h.substr(0, 4) == "GIF8" || (h.substr(0, 4) == "RIFF" && h.substr(8, 4) == "WEBP");
}

// CSS (style="", <style>, presentation and other attribute values) that cannot load anything
// and cannot run anything. Deliberately blunt, like svg-hush: a real CSS tokenizer that
// disagreed with a browser's in one corner would be a bypass, so anything that could be
// tricky to tokenize is refused instead.
bool isHarmlessCss(std::string_view css) {
  if (css.find('\\') != std::string_view::npos) return false;
  std::string lower(css);
  for (char& c : lower) c = asciiLower(c);
  static constexpr std::string_view kRefused[] = {
      "@import", "expression(", "javascript:", "vbscript:",    "image-set(", "image(",
      "src(",    "cross-fade(", "element(",    "-moz-binding", "behavior",
  };
  for (std::string_view bad : kRefused) {
    if (lower.find(bad) != std::string::npos) return false;
  }
  for (size_t pos = lower.find("url("); pos != std::string::npos; pos = lower.find("url(", pos)) {
    size_t i = pos + 4;
    while (i < lower.size() && isCssSpace(lower[i])) ++i;
    char quote = 0;
    if (i < lower.size() && (lower[i] == '"' || lower[i] == '\'')) quote = lower[i++];
    if (i >= lower.size() || lower[i] != '#') return false;
    size_t start = ++i;
    while (i < lower.size() && isFragmentChar(lower[i])) ++i;
    if (i == start) return false;
    if (quote) {
      if (i >= lower.size() || lower[i] != quote) return false;
      ++i;
    }
    while (i < lower.size() && isCssSpace(lower[i])) ++i;
    if (i >= lower.size() || lower[i] != ')') return false;
    pos = i + 1;
  }
  return true;
}

void escapeText(std::string_view s, std::string* out) {
  for (char c : s) {
    switch (c) {
      case '&':
        *out += "&amp;";
        break;
      case '<':
        *out += "&lt;";
        break;
      case '>':
        *out += "&gt;";
        break;
      case '\r':
        *out += "&#13;";
        break;
      default:
        out->push_back(c);
    }
  }
}

void escapeAttribute(std::string_view s, std::string* out) {
  for (char c : s) {
    switch (c) {
      case '&':
        *out += "&amp;";
        break;
      case '<':
        *out += "&lt;";
        break;
      case '>':
        *out += "&gt;";
        break;
      case '"':
        *out += "&quot;";
        break;
      // Literal whitespace would be normalised to a space when read back.
      case '\t':
        *out += "&#9;";
        break;
      case '\n':
        *out += "&#10;";
        break;
      case '\r':
        *out += "&#13;";
        break;
      default:
        out->push_back(c);
    }
  }
}

void appendAttribute(std::string_view name, std::string_view value, std::string* out) {
  out->push_back(' ');
  out->append(name);
  out->append("=\"");
  escapeAttribute(value, out);
  out->push_back('"');
}

// The allowed attributes of an allowed element, serialised. Returns false when the element
// itself must go (an animation of something that is not harmless).
bool filterAttributes(const std::string& element, ElementKind kind,
                      const std::vector<XmlAttribute>& attributes, std::string* out) {
  bool has_plain_href = false;
  for (const XmlAttribute& a : attributes) {
    has_plain_href |= a.name.ns.empty() && a.name.local == "href";
  }
  bool animates_harmless = false;
  for (const XmlAttribute& a : attributes) {
    const XmlName& n = a.name;
    if (n.ns == kXmlNamespace) {
      // xml:space and xml:lang only; xml:base would change what URLs mean.
      if (n.local == "space" || n.local == "lang") appendAttribute(n.qname, a.value, out);
      continue;
    }
    AttributeKind attr_kind = AttributeKind::kDrop;
    if (n.ns.empty()) {
      attr_kind = svg::attributeKind(n.local);
    } else if (n.ns == svg::kXlinkNamespace && n.local == "href" && !has_plain_href) {
      attr_kind = AttributeKind::kHref;  // written as SVG 2's plain href
    }
    switch (attr_kind) {
      case AttributeKind::kDrop:
        break;
      case AttributeKind::kText:
        appendAttribute(n.local, a.value, out);
        break;
      case AttributeKind::kCss:
        if (isHarmlessCss(a.value)) appendAttribute(n.local, a.value, out);
        break;
      case AttributeKind::kHref: {
        std::string_view v = trimSpace(a.value);
        if (svg::mayReference(element) &&
            (isFragment(v) || (svg::mayEmbedRaster(element) && isRasterDataUrl(v)))) {
          appendAttribute("href", v, out);
        }
        break;
      }
      case AttributeKind::kAttributeName: {
        if (kind != ElementKind::kAnimation) break;
        std::string_view target = trimSpace(a.value);
        if (target == "style" || svg::attributeKind(target) != AttributeKind::kCss) return false;
        animates_harmless = true;
        appendAttribute(n.local, target, out);
        break;
      }
    }
  }
  // animateMotion moves its parent along a path and names no attribute; the others must.
  return kind != ElementKind::kAnimation || animates_harmless || element == "animateMotion";
}

struct Frame {
  ElementKind kind;
  std::string name;
  bool tag_open;          // "<name attrs" written, '>' not yet: empty elements become "/>"
  std::string style_tag;  // kStyle: the start tag, written only if the CSS passes
  std::string css;        // kStyle: the text collected so far
};

// An element name for an error message: at most 40 bytes, cut at a UTF-8 boundary.
std::string shownName(std::string_view s) {
  if (s.size() <= 40) return std::string(s);
  size_t cut = 40;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "...";
}

bool refuse(std::string* why, std::string reason) {
  if (why) *why = std::move(reason);
  return false;
}

}  // namespace

std::optional<std::string> sanitizeSvg(std::string_view svg, std::string* why) {
  if (svg.size() > kMaxSvgBytes) {
    refuse(why, "the SVG is larger than 10 MB");
    return std::nullopt;
  }
  std::optional<std::string> text = prepareXmlText(svg, why);
  if (!text) return std::nullopt;

  XmlReader reader(*text);
  XmlEvent ev;
  std::string out;
  out.reserve(text->size());
  std::vector<Frame> stack;
  size_t skipping = 0;  // depth inside a removed element
  bool root_seen = false;

  auto closeParentTag = [&] {
    if (!stack.empty() && stack.back().tag_open) {
      out.push_back('>');
      stack.back().tag_open = false;
    }
  };

  while (reader.next(&ev)) {
    switch (ev.kind) {
      case XmlEvent::Kind::kStartElement: {
        if (skipping > 0) {
          ++skipping;
          break;
        }
        bool in_svg = ev.name.ns == svg::kSvgNamespace || ev.name.ns.empty();
        if (!root_seen) {
          root_seen = true;
          if (ev.name.local != "svg") {
            refuse(why, "the root element is <" + shownName(ev.name.qname) + ">, not <svg>");
            return std::nullopt;
          }
          if (!in_svg) {
            refuse(why,
                   "the root <svg> is in the namespace '" + shownName(ev.name.ns) + "', not SVG's");
            return std::nullopt;
          }
        }
        ElementKind kind = in_svg ? svg::elementKind(ev.name.local) : ElementKind::kDrop;
        bool in_style = !stack.empty() && stack.back().kind == ElementKind::kStyle;
        if (kind == ElementKind::kDrop || in_style) {
          skipping = 1;
          break;
        }
        std::string tag = "<" + ev.name.local;
        if (stack.empty()) appendAttribute("xmlns", svg::kSvgNamespace, &tag);
        if (!filterAttributes(ev.name.local, kind, ev.attributes, &tag)) {
          skipping = 1;
          break;
        }
        Frame frame{kind, ev.name.local, kind != ElementKind::kStyle, {}, {}};
        if (kind == ElementKind::kStyle) {
          frame.style_tag = std::move(tag);
        } else {
          closeParentTag();
          out += tag;
        }
        stack.push_back(std::move(frame));
        break;
      }
      case XmlEvent::Kind::kEndElement: {
        if (skipping > 0) {
          --skipping;
          break;
        }
        Frame& frame = stack.back();
        if (frame.kind == ElementKind::kStyle) {
          if (isHarmlessCss(frame.css)) {
            std::string style_tag = std::move(frame.style_tag);
            std::string css = std::move(frame.css);
            stack.pop_back();
            closeParentTag();
            out += style_tag;
            if (css.empty()) {
              out += "/>";
            } else {
              out.push_back('>');
              escapeText(css, &out);
              out += "</style>";
            }
            break;
          }
        } else if (frame.tag_open) {
          out += "/>";
        } else {
          out += "</" + frame.name + ">";
        }
        stack.pop_back();
        break;
      }
      case XmlEvent::Kind::kText:
        if (skipping > 0 || ev.text.empty()) break;
        if (stack.back().kind == ElementKind::kStyle) {
          stack.back().css += ev.text;
        } else {
          closeParentTag();
          escapeText(ev.text, &out);
        }
        break;
    }
  }
  if (!reader.error().empty()) {
    refuse(why, "not well-formed XML: " + reader.error());
    return std::nullopt;
  }
  return out;
}

}  // namespace nubis::images
