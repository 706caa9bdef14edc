// XmlReader: a small, strict, namespace-aware XML 1.0 pull parser for untrusted SVG uploads.
//
// Written for the SVG sanitiser (svg_sanitize.h), so it refuses rather than guesses:
//  - input must be UTF-8 with only XML characters (prepareXmlText checks and normalises it);
//  - a DOCTYPE with an internal subset is refused -- that is where ENTITY declarations live
//    (billion laughs, XXE). A DOCTYPE without one is skipped and never fetched; entities other
//    than the five predefined ones are then "undefined" and refused;
//  - elements nest at most kMaxDepth deep; one root element; no text outside it; at most 256
//    attributes per element, 64 namespace declarations in scope, 512-byte namespace names;
//  - tags must match, attributes are quoted and unique (also after namespace resolution),
//    every prefix is declared; `--` inside a comment and `]]>` in text are refused.
// Comments, processing instructions and the XML declaration are consumed, never reported.
// CDATA sections are reported as text. Entity and character references are decoded.
//
// Not thread-safe (one document, one reader); it borrows the text it reads.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nubis::images {

inline constexpr std::string_view kXmlNamespace = "http://www.w3.org/XML/1998/namespace";

// A name after namespace resolution: `ns` is the namespace URI ("" for none).
struct XmlName {
  std::string ns;
  std::string local;
  std::string qname;  // as written, e.g. "xlink:href"
};

struct XmlAttribute {
  XmlName name;
  std::string value;  // decoded and whitespace-normalised as XML specifies
};

struct XmlEvent {
  enum class Kind { kStartElement, kEndElement, kText };
  Kind kind = Kind::kText;
  XmlName name;                          // start and end
  std::vector<XmlAttribute> attributes;  // start only; xmlns declarations are not included
  std::string text;                      // text only (decoded)
};

// Checks that `raw` is UTF-8 made of XML characters and returns it with a leading byte-order
// mark removed and line ends normalised to "\n" (XML 1.0 §2.11), or nullopt with `why`.
std::optional<std::string> prepareXmlText(std::string_view raw, std::string* why);

class XmlReader {
 public:
  static constexpr size_t kMaxDepth = 64;

  // `text` must come from prepareXmlText and outlive the reader.
  explicit XmlReader(std::string_view text);

  // The next event. Returns false at the end of the document and on an error; error() tells
  // which (empty at a clean end).
  bool next(XmlEvent* event);
  const std::string& error() const { return error_; }

 private:
  struct Binding {
    std::string prefix;  // "" = the default namespace
    std::string uri;
  };
  struct Open {
    std::string qname;
    XmlName name;
    size_t bindings;  // bindings_.size() before this element's declarations
  };

  bool fail(std::string message);
  bool startsWith(std::string_view s) const;
  void skipSpace();
  std::string_view readName();
  bool skipComment();
  bool skipProcessingInstruction();
  bool skipDoctype();
  bool readStartTag(XmlEvent* event);
  bool readEndTag(XmlEvent* event);
  bool readText(XmlEvent* event);
  bool readCdata(XmlEvent* event);
  bool decode(std::string_view raw, bool attribute, std::string* out);
  bool resolve(std::string_view qname, bool is_attribute, XmlName* out);

  std::string_view s_;
  size_t pos_ = 0;
  std::vector<Open> stack_;
  std::vector<Binding> bindings_;
  bool seen_root_ = false;
  bool seen_doctype_ = false;
  bool pending_end_ = false;  // the last start tag was self-closing: its end event is next
  bool done_ = false;
  std::string error_;
};

}  // namespace nubis::images
