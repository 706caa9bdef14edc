#include "images/options/xml_reader.h"

#include <cstdint>

namespace nubis::images {
namespace {

bool isXmlChar(uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

void appendUtf8(uint32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// Decodes one UTF-8 sequence at s[i]; returns its length (0 if malformed, overlong, a
// surrogate or beyond U+10FFFF).
size_t decodeUtf8(std::string_view s, size_t i, uint32_t* cp) {
  auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  uint8_t b0 = byte(i);
  size_t len;
  uint32_t c;
  uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  } else if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    c = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    c = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    c = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // beyond U+10FFFF
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    uint8_t b = byte(i + k);
    if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
    c = (c << 6) | (b & 0x3F);
  }
  *cp = c;
  return len;
}

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool isNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
         static_cast<unsigned char>(c) >= 0x80;
}

bool isNameChar(char c) { return isNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

char asciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (asciiLower(a[i]) != asciiLower(b[i])) return false;
  }
  return true;
}

constexpr size_t kMaxAttributes = 256;  // per element; svg-hush allows 200
// Every name is resolved against the bindings in scope and copies its URI: both are capped so
// that a document of tiny elements under many long declarations stays linear in practice.
// Real files declare about ten namespaces, each well under 100 bytes.
constexpr size_t kMaxBindings = 64;
constexpr size_t kMaxNamespaceUri = 512;

// A name from the document, short enough for an error message, cut at a UTF-8 boundary.
std::string shown(std::string_view s) {
  if (s.size() <= 40) return std::string(s);
  size_t cut = 40;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "...";
}

}  // namespace

std::optional<std::string> prepareXmlText(std::string_view raw, std::string* why) {
  if (raw.substr(0, 3) == "\xEF\xBB\xBF") raw.remove_prefix(3);
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size();) {
    uint32_t cp = 0;
    size_t len = decodeUtf8(raw, i, &cp);
    if (len == 0) {
      if (why) *why = "not UTF-8 (byte " + std::to_string(i) + ")";
      return std::nullopt;
    }
    if (!isXmlChar(cp)) {
      if (why) *why = "character U+" + std::to_string(cp) + " is not allowed in XML";
      return std::nullopt;
    }
    if (cp == '\r') {
      // "\r\n" and a lone "\r" both become "\n".
      out.push_back('\n');
      if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
    } else {
      out.append(raw.substr(i, len));
    }
    i += len;
  }
  return out;
}

XmlReader::XmlReader(std::string_view text) : s_(text) {}

bool XmlReader::fail(std::string message) {
  error_ = std::move(message);
  done_ = true;
  return false;
}

bool XmlReader::startsWith(std::string_view s) const { return s_.substr(pos_, s.size()) == s; }

void XmlReader::skipSpace() {
  while (pos_ < s_.size() && isSpace(s_[pos_])) ++pos_;
}

std::string_view XmlReader::readName() {
  size_t start = pos_;
  if (pos_ < s_.size() && isNameStart(s_[pos_])) {
    ++pos_;
    while (pos_ < s_.size() && isNameChar(s_[pos_])) ++pos_;
  }
  return s_.substr(start, pos_ - start);
}

bool XmlReader::next(XmlEvent* event) {
  if (done_) return false;
  event->attributes.clear();
  event->text.clear();
  if (pending_end_) {
    pending_end_ = false;
    event->kind = XmlEvent::Kind::kEndElement;
    event->name = std::move(stack_.back().name);
    bindings_.resize(stack_.back().bindings);
    stack_.pop_back();
    return true;
  }
  while (true) {
    if (stack_.empty()) {
      // Prolog or epilog: only whitespace, comments, PIs and (before the root) one DOCTYPE.
      skipSpace();
      if (pos_ >= s_.size()) {
        if (!seen_root_) return fail("no root element");
        done_ = true;
        return false;
      }
      if (startsWith("<?")) {
        if (!skipProcessingInstruction()) return false;
        continue;
      }
      if (startsWith("<!--")) {
        if (!skipComment()) return false;
        continue;
      }
      if (startsWith("<!DOCTYPE")) {
        if (seen_root_ || seen_doctype_) return fail("misplaced DOCTYPE");
        if (!skipDoctype()) return false;
        continue;
      }
      if (seen_root_) return fail("content after the root element");
      if (startsWith("<") && !startsWith("</") && !startsWith("<!")) return readStartTag(event);
      return fail("text or markup before the root element");
    }
    if (pos_ >= s_.size()) return fail("<" + shown(stack_.back().qname) + "> is not closed");
    if (s_[pos_] != '<') return readText(event);
    if (startsWith("</")) return readEndTag(event);
    if (startsWith("<!--")) {
      if (!skipComment()) return false;
      continue;
    }
    if (startsWith("<![CDATA[")) return readCdata(event);
    if (startsWith("<?")) {
      if (!skipProcessingInstruction()) return false;
      continue;
    }
    if (startsWith("<!")) return fail("markup declaration inside the document");
    return readStartTag(event);
  }
}

bool XmlReader::skipComment() {
  size_t end = s_.find("--", pos_ + 4);
  if (end == std::string_view::npos) return fail("comment is not closed");
  if (end + 2 >= s_.size() || s_[end + 2] != '>') return fail("'--' inside a comment");
  pos_ = end + 3;
  return true;
}

bool XmlReader::skipProcessingInstruction() {
  size_t start = pos_;
  pos_ += 2;
  std::string_view target = readName();
  if (target.empty()) return fail("processing instruction without a target");
  size_t end = s_.find("?>", pos_);
  if (end == std::string_view::npos) return fail("processing instruction is not closed");
  if (pos_ != end && !isSpace(s_[pos_])) return fail("malformed processing instruction");
  std::string_view body = s_.substr(pos_, end - pos_);
  pos_ = end + 2;
  if (!equalsIgnoreCase(target, "xml")) return true;  // dropped, whatever it asks for
  if (start != 0 || target != "xml") return fail("XML declaration not at the start");
  // The output is UTF-8; a document declared in another encoding only means the same if it
  // is pure ASCII.
  size_t enc = body.find("encoding");
  if (enc == std::string_view::npos) return true;
  size_t q = body.find_first_of("\"'", enc);
  if (q == std::string_view::npos) return fail("malformed XML declaration");
  size_t q_end = body.find(body[q], q + 1);
  if (q_end == std::string_view::npos) return fail("malformed XML declaration");
  std::string_view name = body.substr(q + 1, q_end - q - 1);
  if (equalsIgnoreCase(name, "utf-8") || equalsIgnoreCase(name, "us-ascii")) return true;
  for (char c : s_) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      return fail("encoding '" + shown(name) + "' is not supported (UTF-8 only)");
    }
  }
  return true;
}

bool XmlReader::skipDoctype() {
  pos_ += 9;
  if (pos_ >= s_.size() || !isSpace(s_[pos_])) return fail("malformed DOCTYPE");
  char quote = 0;
  for (; pos_ < s_.size(); ++pos_) {
    char c = s_[pos_];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[') {
      return fail("DOCTYPE with an internal subset (ENTITY declarations) is refused");
    } else if (c == '>') {
      ++pos_;
      seen_doctype_ = true;
      return true;
    }
  }
  return fail("DOCTYPE is not closed");
}

bool XmlReader::readStartTag(XmlEvent* event) {
  if (stack_.size() >= kMaxDepth) return fail("elements nested deeper than 64 levels");
  ++pos_;  // '<'
  std::string_view qname = readName();
  if (qname.empty()) return fail("malformed start tag");
  struct Raw {
    std::string_view qname;
    std::string value;
  };
  std::vector<Raw> raw;
  bool self_closing = false;
  while (true) {
    size_t before = pos_;
    skipSpace();
    bool had_space = pos_ > before;
    if (pos_ >= s_.size()) return fail("<" + shown(qname) + "> is not closed");
    if (startsWith("/>")) {
      pos_ += 2;
      self_closing = true;
      break;
    }
    if (s_[pos_] == '>') {
      ++pos_;
      break;
    }
    std::string_view name = readName();
    if (!had_space || name.empty()) {
      return fail("malformed attribute in <" + shown(qname) + ">");
    }
    skipSpace();
    if (pos_ >= s_.size() || s_[pos_] != '=') {
      return fail("attribute " + shown(name) + " has no value");
    }
    ++pos_;
    skipSpace();
    if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\'')) {
      return fail("attribute " + shown(name) + " is not quoted");
    }
    char quote = s_[pos_++];
    size_t end = s_.find(quote, pos_);
    if (end == std::string_view::npos) return fail("attribute value is not closed");
    std::string_view raw_value = s_.substr(pos_, end - pos_);
    pos_ = end + 1;
    if (raw_value.find('<') != std::string_view::npos) return fail("'<' in an attribute value");
    for (const Raw& r : raw) {
      if (r.qname == name) return fail("attribute " + shown(name) + " is repeated");
    }
    if (raw.size() >= kMaxAttributes) return fail("more than 256 attributes on one element");
    Raw r{name, {}};
    if (!decode(raw_value, true, &r.value)) return false;
    raw.push_back(std::move(r));
  }

  // Namespace declarations first: they apply to this element's own name and attributes.
  size_t mark = bindings_.size();
  for (const Raw& r : raw) {
    std::string_view prefix;
    if (r.qname == "xmlns") {
      prefix = "";
    } else if (r.qname.substr(0, 6) == "xmlns:") {
      prefix = r.qname.substr(6);
      if (prefix.empty() || prefix.find(':') != std::string_view::npos || prefix == "xmlns" ||
          r.value.empty()) {
        return fail("malformed namespace declaration " + shown(r.qname));
      }
    } else {
      continue;
    }
    if ((prefix == "xml") != (r.value == kXmlNamespace)) {
      return fail("the xml prefix and its namespace cannot be rebound");
    }
    if (bindings_.size() >= kMaxBindings)
      return fail("more than 64 namespace declarations in scope");
    if (r.value.size() > kMaxNamespaceUri) return fail("namespace name longer than 512 bytes");
    bindings_.push_back(Binding{std::string(prefix), r.value});
  }

  Open open{std::string(qname), {}, mark};
  if (!resolve(qname, false, &open.name)) return false;
  event->kind = XmlEvent::Kind::kStartElement;
  event->name = open.name;
  for (Raw& r : raw) {
    if (r.qname == "xmlns" || r.qname.substr(0, 6) == "xmlns:") continue;
    XmlAttribute a;
    if (!resolve(r.qname, true, &a.name)) return false;
    for (const XmlAttribute& other : event->attributes) {
      if (other.name.ns == a.name.ns && other.name.local == a.name.local) {
        return fail("attribute " + shown(a.name.local) +
                    " is repeated (after namespace resolution)");
      }
    }
    a.value = std::move(r.value);
    event->attributes.push_back(std::move(a));
  }
  seen_root_ = true;
  stack_.push_back(std::move(open));
  pending_end_ = self_closing;
  return true;
}

bool XmlReader::readEndTag(XmlEvent* event) {
  pos_ += 2;
  std::string_view qname = readName();
  skipSpace();
  if (pos_ >= s_.size() || s_[pos_] != '>') return fail("malformed end tag");
  ++pos_;
  if (qname != stack_.back().qname) {
    return fail("</" + shown(qname) + "> does not close <" + shown(stack_.back().qname) + ">");
  }
  event->kind = XmlEvent::Kind::kEndElement;
  event->name = std::move(stack_.back().name);
  bindings_.resize(stack_.back().bindings);
  stack_.pop_back();
  return true;
}

bool XmlReader::readText(XmlEvent* event) {
  size_t end = s_.find('<', pos_);
  if (end == std::string_view::npos) end = s_.size();
  std::string_view raw = s_.substr(pos_, end - pos_);
  pos_ = end;
  if (raw.find("]]>") != std::string_view::npos) return fail("']]>' in text");
  event->kind = XmlEvent::Kind::kText;
  return decode(raw, false, &event->text);
}

bool XmlReader::readCdata(XmlEvent* event) {
  pos_ += 9;
  size_t end = s_.find("]]>", pos_);
  if (end == std::string_view::npos) return fail("CDATA section is not closed");
  event->kind = XmlEvent::Kind::kText;
  event->text.assign(s_.substr(pos_, end - pos_));
  pos_ = end + 3;
  return true;
}

bool XmlReader::decode(std::string_view raw, bool attribute, std::string* out) {
  out->reserve(out->size() + raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c != '&') {
      // Attribute-value normalisation (XML 1.0 §3.3.3): literal whitespace becomes a space.
      out->push_back(attribute && (c == '\t' || c == '\n') ? ' ' : c);
      continue;
    }
    size_t semi = raw.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 32) return fail("malformed reference");
    std::string_view ref = raw.substr(i + 1, semi - i - 1);
    i = semi;
    if (!ref.empty() && ref[0] == '#') {
      bool hex = ref.size() > 1 && ref[1] == 'x';
      std::string_view digits = ref.substr(hex ? 2 : 1);
      if (digits.empty()) return fail("malformed character reference");
      uint32_t cp = 0;
      for (char d : digits) {
        int v;
        if (d >= '0' && d <= '9') {
          v = d - '0';
        } else if (hex && d >= 'a' && d <= 'f') {
          v = d - 'a' + 10;
        } else if (hex && d >= 'A' && d <= 'F') {
          v = d - 'A' + 10;
        } else {
          return fail("malformed character reference");
        }
        cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(v);
        if (cp > 0x10FFFF) return fail("character reference out of range");
      }
      if (!isXmlChar(cp)) return fail("character reference to a non-XML character");
      appendUtf8(cp, out);
      continue;
    }
    static constexpr std::pair<std::string_view, char> kPredefined[] = {
        {"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"apos", '\''}, {"quot", '"'}};
    bool found = false;
    for (const auto& [name, ch] : kPredefined) {
      if (ref == name) {
        out->push_back(ch);
        found = true;
        break;
      }
    }
    if (!found) {
      std::string name(ref.substr(0, 20));
      for (char& ch : name) {
        if (static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) >= 0x7f) {
          ch = '?';
        }
      }
      return fail("undefined entity &" + name + ";");
    }
  }
  return true;
}

bool XmlReader::resolve(std::string_view qname, bool is_attribute, XmlName* out) {
  out->qname = std::string(qname);
  size_t colon = qname.find(':');
  std::string_view prefix;
  if (colon == std::string_view::npos) {
    out->local = std::string(qname);
    if (is_attribute) {
      out->ns.clear();  // unprefixed attributes are in no namespace
      return true;
    }
  } else {
    prefix = qname.substr(0, colon);
    std::string_view local = qname.substr(colon + 1);
    if (prefix.empty() || local.empty() || local.find(':') != std::string_view::npos) {
      return fail("malformed name " + shown(qname));
    }
    out->local = std::string(local);
    if (prefix == "xml") {
      out->ns = std::string(kXmlNamespace);
      return true;
    }
  }
  for (auto it = bindings_.rbegin(); it != bindings_.rend(); ++it) {
    if (it->prefix == prefix) {
      out->ns = it->uri;
      return true;
    }
  }
  if (prefix.empty()) {
    out->ns.clear();
    return true;
  }
  return fail("namespace prefix '" + shown(prefix) + "' is not declared");
}

}  // namespace nubis::images
