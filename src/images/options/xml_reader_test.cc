// The strict XML reader under the SVG sanitiser.
#include "images/options/xml_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace nubis::images {
namespace {

// The events of `text` as one line each ("<ns|local a=v>", "</local>", "'text'"), or
// "ERROR: ..." as the last line.
std::vector<std::string> events(const std::string& raw) {
  std::vector<std::string> out;
  std::string why;
  std::optional<std::string> text = prepareXmlText(raw, &why);
  if (!text) return {"ERROR: " + why};
  XmlReader reader(*text);
  XmlEvent ev;
  while (reader.next(&ev)) {
    switch (ev.kind) {
      case XmlEvent::Kind::kStartElement: {
        std::string line = "<" + ev.name.ns + "|" + ev.name.local;
        for (const XmlAttribute& a : ev.attributes) {
          line += " " + a.name.ns + "|" + a.name.local + "=" + a.value;
        }
        out.push_back(line + ">");
        break;
      }
      case XmlEvent::Kind::kEndElement:
        out.push_back("</" + ev.name.local + ">");
        break;
      case XmlEvent::Kind::kText:
        out.push_back("'" + ev.text + "'");
        break;
    }
  }
  if (!reader.error().empty()) out.push_back("ERROR: " + reader.error());
  return out;
}

using Events = std::vector<std::string>;

TEST(XmlReader, ReportsElementsTextAndNamespaces) {
  EXPECT_EQ(events("<a/>"), (Events{"<|a>", "</a>"}));
  EXPECT_EQ(events("<a x='1' y = \"2\"></a >"), (Events{"<|a |x=1 |y=2>", "</a>"}));
  EXPECT_EQ(events("<a xmlns='urn:a'><b/></a>"),
            (Events{"<urn:a|a>", "<urn:a|b>", "</b>", "</a>"}));
  EXPECT_EQ(events("<p:a xmlns:p='urn:p' p:x='1' y='2'/>"),
            (Events{"<urn:p|a urn:p|x=1 |y=2>", "</a>"}));
  EXPECT_EQ(events("<a xmlns='urn:a'><b xmlns=''/></a>"),
            (Events{"<urn:a|a>", "<|b>", "</b>", "</a>"}));
  EXPECT_EQ(events("<a xml:lang='fr'/>"),
            (Events{"<|a http://www.w3.org/XML/1998/namespace|lang=fr>", "</a>"}));
  EXPECT_EQ(events("<a>x&lt;&#65;&#x42;&amp;<![CDATA[<&>]]>y</a>"),
            (Events{"<|a>", "'x<AB&'", "'<&>'", "'y'", "</a>"}));
  EXPECT_EQ(events("<a v='a&#10;b\tc\nd'/>"), (Events{"<|a |v=a\nb c d>", "</a>"}));
  EXPECT_EQ(events("<a>\r\nx\ry</a>"), (Events{"<|a>", "'\nx\ny'", "</a>"}));
  EXPECT_EQ(
      events(
          "<?xml version='1.0'?><!-- c --><!DOCTYPE a SYSTEM 'a.dtd'><a><?pi x?></a><!-- end -->"),
      (Events{"<|a>", "</a>"}));
  EXPECT_EQ(events("<a>&#x1F600;</a>"), (Events{"<|a>", "'\xF0\x9F\x98\x80'", "</a>"}));
}

TEST(XmlReader, Refuses) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "no root element"},
      {"<a>", "not closed"},
      {"<a></b>", "does not close"},
      {"<a/><b/>", "after the root"},
      {"x<a/>", "before the root"},
      {"<a x='1'y='2'/>", "malformed attribute"},
      {"<a x/>", "has no value"},
      {"<a x=1/>", "not quoted"},
      {"<a x='1/>", "not closed"},
      {"<a x='1' x='2'/>", "repeated"},
      {"<a p:x='1'/>", "not declared"},
      {"<p:a/>", "not declared"},
      {"<a :x='1'/>", "malformed name"},
      {"<a xmlns:p=''/>", "malformed namespace declaration"},
      {"<a xmlns:xml='urn:x'/>", "cannot be rebound"},
      {"<a xmlns:xmlns='urn:x'/>", "malformed namespace declaration"},
      {"<a>&foo;</a>", "undefined entity &foo;"},
      {"<a>&#xD800;</a>", "non-XML character"},
      {"<a>&#x110000;</a>", "out of range"},
      {"<a>&#;</a>", "malformed character reference"},
      {"<a>&#x12g;</a>", "malformed character reference"},
      {"<a>]]></a>", "']]>' in text"},
      {"<a><![CDATA[x</a>", "CDATA section is not closed"},
      {"<a><!-- x </a>", "comment is not closed"},
      {"<a><!-- x -- y --></a>", "inside a comment"},
      {"<!DOCTYPE a [<!ENTITY e 'x'>]><a/>", "internal subset"},
      {"<!DOCTYPE a><!DOCTYPE a><a/>", "misplaced DOCTYPE"},
      {"<a><!DOCTYPE a></a>", "markup declaration"},
      {"<a><!ELEMENT a ANY></a>", "markup declaration"},
      {" <?xml version='1.0'?><a/>", "not at the start"},
      {"<a><? x?></a>", "without a target"},
      {"<a>\x80</a>", "not UTF-8"},
      {"<a>\xC0\xAF</a>", "not UTF-8"},          // overlong '/'
      {"<a>\xED\xA0\x80</a>", "not UTF-8"},      // a surrogate
      {"<a>\xF4\x90\x80\x80</a>", "not UTF-8"},  // beyond U+10FFFF
      {"<a>\xEF\xBF\xBE</a>", "not allowed"},    // U+FFFE
      {"<a>\x1b</a>", "not allowed"},
  };
  for (const auto& [text, why] : cases) {
    Events got = events(text);
    ASSERT_FALSE(got.empty()) << text;
    EXPECT_EQ(got.back().rfind("ERROR: ", 0), 0u) << text;
    EXPECT_NE(got.back().find(why), std::string::npos) << text << " -> " << got.back();
  }
}

TEST(XmlReader, LimitsDepthAndAttributeCount) {
  std::string ok, deep;
  for (size_t i = 0; i < XmlReader::kMaxDepth; ++i) ok += "<a>";
  for (size_t i = 0; i < XmlReader::kMaxDepth; ++i) ok += "</a>";
  EXPECT_NE(events(ok).back().rfind("ERROR", 0), 0u);
  deep = "<a>" + ok + "</a>";
  EXPECT_NE(events(deep).back().find("deeper than 64"), std::string::npos);

  std::string many = "<a";
  for (int i = 0; i < 257; ++i) many += " a" + std::to_string(i) + "='1'";
  many += "/>";
  EXPECT_NE(events(many).back().find("more than 256 attributes"), std::string::npos);

  std::string declarations = "<a";
  for (int i = 0; i < 64; ++i) declarations += " xmlns:p" + std::to_string(i) + "='urn:x'";
  EXPECT_EQ(events(declarations + "/>").back(), "</a>");
  EXPECT_NE(
      events(declarations + "><b xmlns:q='urn:y'/></a>").back().find("more than 64 namespace"),
      std::string::npos);
  EXPECT_NE(events("<a xmlns='urn:" + std::string(600, 'x') + "'/>").back().find("longer than 512"),
            std::string::npos);
}

}  // namespace
}  // namespace nubis::images
