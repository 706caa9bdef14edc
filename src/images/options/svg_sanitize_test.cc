// The SVG sanitiser (IMAGES.md A.12): attacks that must not survive, documents that must.
#include "images/options/svg_sanitize.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace nubis::images {
namespace {

const std::string kOpen =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">";
const std::string kClose = "</svg>";
std::string doc(const std::string& body) { return kOpen + body + kClose; }

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return s;
}

// A 1x1 PNG, base64.
const std::string kPng =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg"
    "==";

struct Attack {
  const char* what;
  std::string svg;
  std::vector<std::string> forbidden;  // lowercase; must not appear in the lowercased output
  std::vector<std::string> kept;       // must still appear in the output
};

TEST(SvgSanitize, AttacksDoNotSurvive) {
  const Attack attacks[] = {
      {"script", doc("<script>alert(1)</script><rect/>"), {"script", "alert"}, {"<rect/>"}},
      {"script upper case", doc("<SCRIPT>alert(1)</SCRIPT>"), {"script", "alert"}, {}},
      {"svg:script",
       doc("<svg:script xmlns:svg=\"http://www.w3.org/2000/svg\">alert(1)</svg:script>"),
       {"script", "alert"},
       {}},
      {"xhtml script",
       doc("<h:script xmlns:h=\"http://www.w3.org/1999/xhtml\">alert(1)</h:script>"),
       {"script", "alert"},
       {}},
      {"script in default xhtml ns",
       doc("<script xmlns=\"http://www.w3.org/1999/xhtml\">alert(1)</script>"),
       {"script", "alert"},
       {}},
      {"external script",
       doc("<script xlink:href=\"http://evil.example/x.js\"/>"),
       {"script", "evil"},
       {}},
      {"CDATA-hidden script",
       doc("<script><![CDATA[alert(1)]]></script>"),
       {"script", "alert"},
       {}},
      {"CDATA pretending to close",
       doc("<title><![CDATA[</title><script>alert(1)</script>]]></title>"),
       {"<script"},
       {"<title>&lt;/title&gt;&lt;script&gt;"}},
      {"escaped script text",
       doc("<text>&lt;script&gt;alert(1)&lt;/script&gt;</text>"),
       {"<script"},
       {"&lt;script&gt;"}},
      {"comment-hidden script",
       doc("<!-- <script>alert(1)</script> --><rect/>"),
       {"script", "<!--"},
       {}},
      {"onload on root",
       "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><rect/></svg>",
       {"onload", "alert"},
       {"<rect/>"}},
      {"onload on rect",
       doc("<rect onload=\"alert(1)\" width=\"5\"/>"),
       {"onload", "alert"},
       {"width=\"5\""}},
      {"mouse handlers",
       doc("<g onclick=\"a()\" onmouseover=\"b()\" ONFOCUS=\"c()\"/>"),
       {"onclick", "onmouseover", "onfocus"},
       {"<g/>"}},
      {"handler in another namespace",
       doc("<rect xmlns:e=\"http://www.w3.org/2001/xml-events\" e:onload=\"alert(1)\"/>"),
       {"alert"},
       {}},
      {"xml-events handler",
       doc("<handler xmlns:ev=\"http://www.w3.org/2001/xml-events\" "
           "ev:event=\"load\">alert(1)</handler>"),
       {"handler", "alert"},
       {}},
      {"javascript link",
       doc("<a xlink:href=\"javascript:alert(1)\"><rect/></a>"),
       {"javascript", "href"},
       {"<a><rect/></a>"}},
      {"mixed-case javascript link",
       doc("<a href=\"JaVaScRiPt:alert(1)\"><rect/></a>"),
       {"javascript", "href"},
       {"<rect/>"}},
      {"link to another site",
       doc("<a href=\"https://evil.example/\" target=\"_blank\">x</a>"),
       {"evil", "target", "href"},
       {">x</a>"}},
      {"use of an external sprite",
       doc("<use href=\"http://evil.example/sprite.svg#icon\"/>"),
       {"evil"},
       {"<use/>"}},
      {"use with xlink to another site",
       doc("<use xlink:href=\"https://evil.example/x.svg#a\"/>"),
       {"evil", "xlink"},
       {}},
      {"use of a scheme-relative URL", doc("<use href=\"//evil.example/x.svg#a\"/>"), {"evil"}, {}},
      {"use of a data: SVG",
       doc("<use href=\"data:image/svg+xml;base64,PHN2Zy8+#a\"/>"),
       {"data:"},
       {}},
      {"entity-encoded javascript",
       doc("<use href=\"jav&#x61;script:alert(1)\"/>"),
       {"javascript", "alert"},
       {}},
      {"decimal-encoded javascript",
       doc("<use href=\"&#106;avascript:alert(1)\"/>"),
       {"javascript", "alert"},
       {}},
      {"space before javascript",
       doc("<use href=\" &#9;javascript:alert(1)\"/>"),
       {"javascript"},
       {}},
      {"image of a local file",
       doc("<image href=\"file:///etc/passwd\"/>"),
       {"file:", "passwd"},
       {"<image/>"}},
      {"tracking pixel",
       doc("<image xlink:href=\"http://evil.example/t.png\" width=\"1\"/>"),
       {"evil"},
       {"width=\"1\""}},
      {"nested SVG document as image",
       doc("<image "
           "href=\"data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+\"/>"),
       {"data:"},
       {}},
      {"HTML as image",
       doc("<image href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\"/>"),
       {"data:"},
       {}},
      {"SVG bytes under a PNG type",
       doc("<image "
           "href=\"data:image/"
           "png;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=\"/>"),
       {"data:"},
       {}},
      {"raster data: URL on use",
       doc("<use href=\"data:image/png;base64," + kPng + "\"/>"),
       {"data:"},
       {}},
      {"feImage from another site",
       doc("<filter id=\"f\"><feImage href=\"http://evil.example/x.png\"/></filter>"),
       {"evil"},
       {"<feImage/>"}},
      {"textPath to another document",
       doc("<text><textPath href=\"http://evil.example/p.svg#p\">t</textPath></text>"),
       {"evil"},
       {"<textPath>t</textPath>"}},
      {"gradient inheriting from afar",
       doc("<linearGradient xlink:href=\"https://evil.example/g.svg#g\"/>"),
       {"evil"},
       {"<linearGradient/>"}},
      {"pattern from afar", doc("<pattern href=\"http://evil.example/p.svg#p\"/>"), {"evil"}, {}},
      {"filter from afar", doc("<filter href=\"http://evil.example/f.svg#f\"/>"), {"evil"}, {}},
      {"mpath from afar",
       doc("<animateMotion><mpath xlink:href=\"http://evil.example/#p\"/></animateMotion>"),
       {"evil"},
       {"<mpath/>"}},
      {"href on a shape", doc("<rect href=\"#x\" xlink:href=\"#y\"/>"), {"href"}, {"<rect/>"}},
      {"both hrefs: plain wins",
       doc("<use href=\"#a\" xlink:href=\"http://evil.example/#b\"/>"),
       {"evil", "xlink"},
       {"<use href=\"#a\"/>"}},
      {"xpointer fragment", doc("<use href=\"#xpointer(id('a'))\"/>"), {"xpointer"}, {}},
      {"foreignObject with iframe",
       doc("<foreignObject><iframe xmlns=\"http://www.w3.org/1999/xhtml\" "
           "src=\"http://evil.example/\"/></foreignObject>"),
       {"foreignobject", "iframe", "evil"},
       {}},
      {"foreignObject with HTML script",
       doc("<foreignObject><h:body "
           "xmlns:h=\"http://www.w3.org/1999/xhtml\"><h:script>alert(1)</h:script></h:body></"
           "foreignObject>"),
       {"foreignobject", "script", "alert"},
       {}},
      {"iframe directly",
       doc("<iframe xmlns=\"http://www.w3.org/1999/xhtml\" src=\"http://evil.example/\"/>"),
       {"iframe", "evil"},
       {}},
      {"embed and object",
       doc("<embed src=\"http://evil.example/x.swf\"/><object data=\"http://evil.example/x\"/>"),
       {"embed", "object", "evil"},
       {}},
      {"animate href to javascript",
       doc("<a><animate attributeName=\"href\" to=\"javascript:alert(1)\"/><rect/></a>"),
       {"animate", "javascript"},
       {"<rect/>"}},
      {"set xlink:href",
       doc("<a><set attributeName=\"xlink:href\" to=\"javascript:alert(1)\"/></a>"),
       {"<set", "javascript"},
       {}},
      {"set an event handler",
       doc("<rect><set attributeName=\"onclick\" to=\"alert(1)\"/></rect>"),
       {"<set", "onclick", "alert"},
       {}},
      {"animate HREF (case)",
       doc("<a><animate attributeName=\"HREF\" values=\"#a;#b\"/></a>"),
       {"animate"},
       {}},
      {"animate style to a remote url",
       doc("<rect><animate attributeName=\"style\" "
           "values=\"fill:url(http://evil.example/#a)\"/></rect>"),
       {"animate", "evil"},
       {}},
      {"set fill to a remote paint",
       doc("<rect><set attributeName=\"fill\" to=\"url(http://evil.example/#x)\"/></rect>"),
       {"evil"},
       {"<set attributeName=\"fill\"/>"}},
      {"animate without attributeName", doc("<rect><animate to=\"1\"/></rect>"), {"animate"}, {}},
      {"style attribute with a remote url",
       doc("<rect style=\"fill:url(http://evil.example/p.svg#x)\"/>"),
       {"evil", "style"},
       {"<rect/>"}},
      {"fill with a quoted remote url",
       doc("<rect fill=\"url('https://evil.example/x')\"/>"),
       {"evil"},
       {}},
      {"mask with a protocol-relative url",
       doc("<rect mask=\"url(//evil.example/m.svg#m)\"/>"),
       {"evil"},
       {}},
      {"remote url in upper case",
       doc("<rect fill=\"URL(http://evil.example/#x)\"/>"),
       {"evil"},
       {}},
      {"style @import url",
       doc("<style>@import url(http://evil.example/x.css);</style><rect/>"),
       {"import", "evil", "<style"},
       {"<rect/>"}},
      {"style @import string",
       doc("<style>@import 'http://evil.example/x.css';</style>"),
       {"import", "evil"},
       {}},
      {"style @import in CDATA",
       doc("<style><![CDATA[@IMPORT \"http://evil.example/x.css\";]]></style>"),
       {"import", "evil"},
       {}},
      {"style background url",
       doc("<style>rect{background:url(//evil.example/x.png)}</style>"),
       {"evil"},
       {}},
      {"style font-face src",
       doc("<style>@font-face{font-family:x;src:url(https://evil.example/f.woff)}</style>"),
       {"evil"},
       {}},
      {"CSS escape spelling url",
       doc("<style>rect{fill:u\\72l(http://evil.example/#a)}</style>"),
       {"evil"},
       {}},
      {"CSS escape in an attribute",
       doc("<rect style=\"fill:\\75rl(http://evil.example/#a)\"/>"),
       {"evil"},
       {}},
      {"CSS expression",
       doc("<rect style=\"width:expression(alert(1))\"/>"),
       {"expression", "alert"},
       {}},
      {"CSS behavior", doc("<rect style=\"behavior:url(#x)\"/>"), {"behavior"}, {}},
      {"CSS image-set with strings",
       doc("<style>rect{background:image-set(\"http://evil.example/x.png\" 1x)}</style>"),
       {"evil"},
       {}},
      {"javascript in a presentation attribute",
       doc("<rect fill=\"javascript:alert(1)\"/>"),
       {"javascript"},
       {}},
      {"xml-stylesheet PI",
       "<?xml-stylesheet type=\"text/css\" href=\"http://evil.example/x.css\"?>" + doc("<rect/>"),
       {"stylesheet", "evil"},
       {"<rect/>"}},
      {"PI inside the document",
       doc("<?php system('id'); ?><rect/>"),
       {"php", "system"},
       {"<rect/>"}},
      {"xml:base",
       doc("<g xml:base=\"http://evil.example/\"><use href=\"#a\"/></g>"),
       {"evil", "base"},
       {"<use href=\"#a\"/>"}},
      {"external DTD",
       "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://evil.example/svg11.dtd\">" +
           doc("<rect/>"),
       {"doctype", "evil"},
       {"<rect/>"}},
      {"nested svg with a script",
       doc("<svg onload=\"alert(1)\" width=\"5\"><script>alert(2)</script><circle r=\"1\"/></svg>"),
       {"alert", "script", "onload"},
       {"<svg width=\"5\"><circle r=\"1\"/></svg>"}},
      {"unknown elements and attributes",
       doc("<blink>x</blink><rect data-evil=\"1\" foo=\"bar\" inkscape:label=\"l\" "
           "xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\"/>"),
       {"blink", "data-evil", "foo", "inkscape"},
       {"<rect/>"}},
      {"tref to another document",
       doc("<text><tref xlink:href=\"http://evil.example/#t\"/></text>"),
       {"tref", "evil"},
       {}},
      {"cursor from afar",
       doc("<cursor xlink:href=\"http://evil.example/c.png\"/><rect "
           "cursor=\"url(http://evil.example/c)\"/>"),
       {"cursor", "evil"},
       {}},
  };
  for (const Attack& a : attacks) {
    std::string why;
    std::optional<std::string> out = sanitizeSvg(a.svg, &why);
    ASSERT_TRUE(out.has_value()) << a.what << ": " << why;
    std::string l = lower(*out);
    for (const std::string& bad : a.forbidden) {
      EXPECT_EQ(l.find(bad), std::string::npos) << a.what << ": '" << bad << "' in " << *out;
    }
    for (const std::string& good : a.kept) {
      EXPECT_NE(out->find(good), std::string::npos)
          << a.what << ": '" << good << "' not in " << *out;
    }
    std::optional<std::string> again = sanitizeSvg(*out);
    ASSERT_TRUE(again.has_value()) << a.what;
    EXPECT_EQ(*again, *out) << a.what << ": not idempotent";
  }
}

TEST(SvgSanitize, RefusesDocumentsItCannotTrust) {
  std::string deep = kOpen;
  for (int i = 0; i < 64; ++i) deep += "<g>";
  for (int i = 0; i < 64; ++i) deep += "</g>";
  deep += kClose;
  struct Case {
    const char* what;
    std::string svg;
    const char* why_part;
  };
  const Case cases[] = {
      {"billion laughs",
       "<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY lol \"lol\"><!ENTITY lol2 "
       "\"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><svg>&lol2;</svg>",
       "internal subset"},
      {"XXE", "<!DOCTYPE svg [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><svg>&xxe;</svg>",
       "internal subset"},
      {"parameter entity",
       "<!DOCTYPE svg [<!ENTITY % p SYSTEM \"http://evil.example/x.dtd\">%p;]><svg/>",
       "internal subset"},
      {"entity from an external DTD",
       "<!DOCTYPE svg SYSTEM \"http://evil.example/x.dtd\"><svg>&ext;</svg>",
       "undefined entity &ext;"},
      {"undefined entity", doc("<text>&nbsp;</text>"), "undefined entity"},
      {"65 levels deep", deep, "deeper than 64"},
      {"HTML root", "<html><body/></html>", "root element is <html>"},
      {"svg in the XHTML namespace", "<svg xmlns=\"http://www.w3.org/1999/xhtml\"/>", "not SVG's"},
      {"two roots", doc("") + doc(""), "after the root"},
      {"unclosed", kOpen + "<g>", "is not closed"},
      {"mismatched tags", doc("<g></G>"), "does not close"},
      {"unquoted attribute", doc("<rect width=5/>"), "not quoted"},
      {"duplicate attribute", doc("<rect width=\"1\" width=\"2\"/>"), "repeated"},
      {"duplicate after namespaces",
       doc("<use xmlns:a=\"http://www.w3.org/1999/xlink\" a:href=\"#x\" xlink:href=\"#y\"/>"),
       "repeated"},
      {"undeclared prefix", doc("<foo:bar/>"), "not declared"},
      {"'<' in an attribute", doc("<rect id=\"a<b\"/>"), "'<'"},
      {"bare ampersand", doc("<text>a & b</text>"), "reference"},
      {"-- in a comment", doc("<!-- a -- b -->"), "inside a comment"},
      {"not UTF-8", doc("<text>\xff</text>"), "not UTF-8"},
      {"control character", doc("<text>\x01</text>"), "not allowed in XML"},
      {"NUL", doc(std::string("<text>\0</text>", 14)), "not allowed in XML"},
      {"char ref to NUL", doc("<text>&#0;</text>"), "non-XML character"},
      {"Latin-1 declared",
       "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" + doc("<text>\xc3\xa9</text>"),
       "UTF-8 only"},
      {"text before the root", "hello" + doc(""), "before the root"},
      {"empty", "", "no root"},
      {"too big", doc("<text>" + std::string(kMaxSvgBytes, 'a') + "</text>"), "larger than 10 MB"},
      {"XML declaration later", doc("<?xml version=\"1.0\"?>"), "not at the start"},
  };
  for (const Case& c : cases) {
    std::string why;
    EXPECT_FALSE(sanitizeSvg(c.svg, &why).has_value()) << c.what;
    EXPECT_NE(why.find(c.why_part), std::string::npos) << c.what << ": " << why;
  }
}

TEST(SvgSanitize, KeepsOrdinaryDrawings) {
  const std::string input =
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\r\n"
      "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
      "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\r\n"
      "<!-- Generator: Illustrator -->\r\n"
      "<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" "
      "xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"100\" height=\"50\" "
      "viewBox=\"0 0 100 50\">"
      "<defs><linearGradient id=\"g\" x1=\"0\" y1=\"0\" x2=\"1\" y2=\"0\">"
      "<stop offset=\"0\" stop-color=\"#ff0000\"/><stop offset=\"1\" style=\"stop-color:blue\"/>"
      "</linearGradient><path id=\"p\" d=\"M0 0L10 10Z\"/></defs>"
      "<rect width=\"100\" height=\"50\" fill=\"url(#g)\"/>"
      "<use xlink:href=\"#p\" transform=\"translate(5 5)\"/>"
      "<circle cx=\"5\" cy=\"5\" r=\"4\" style=\"fill:url('#g');stroke:#000\"/>"
      "<text x=\"1\" y=\"40\" font-family=\"Helvetica\">Caf\xC3\xA9 &amp; <tspan>bar</tspan></text>"
      "</svg>\r\n";
  const std::string expected =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"100\" height=\"50\" "
      "viewBox=\"0 0 100 50\">"
      "<defs><linearGradient id=\"g\" x1=\"0\" y1=\"0\" x2=\"1\" y2=\"0\">"
      "<stop offset=\"0\" stop-color=\"#ff0000\"/><stop offset=\"1\" style=\"stop-color:blue\"/>"
      "</linearGradient><path id=\"p\" d=\"M0 0L10 10Z\"/></defs>"
      "<rect width=\"100\" height=\"50\" fill=\"url(#g)\"/>"
      "<use href=\"#p\" transform=\"translate(5 5)\"/>"
      "<circle cx=\"5\" cy=\"5\" r=\"4\" style=\"fill:url('#g');stroke:#000\"/>"
      "<text x=\"1\" y=\"40\" font-family=\"Helvetica\">Caf\xC3\xA9 &amp; <tspan>bar</tspan></text>"
      "</svg>";
  std::string why;
  std::optional<std::string> out = sanitizeSvg(input, &why);
  ASSERT_TRUE(out.has_value()) << why;
  EXPECT_EQ(*out, expected);
  EXPECT_EQ(sanitizeSvg(*out), out);
}

TEST(SvgSanitize, KeepsBenignFeatures) {
  const Attack benign[] = {
      {"prefixed SVG",
       "<s:svg xmlns:s=\"http://www.w3.org/2000/svg\"><s:rect width=\"1\"/></s:svg>",
       {"s:"},
       {"<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\"/></svg>"}},
      {"no namespace at all",
       "<svg><rect/></svg>",
       {},
       {"<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>"}},
      {"style element",
       doc("<style>.a{fill:#f00} .b > .c{stroke:url(#g)}</style><rect class=\"a\"/>"),
       {},
       {"<style>.a{fill:#f00} .b &gt; .c{stroke:url(#g)}</style>", "class=\"a\""}},
      {"style in CDATA",
       doc("<style><![CDATA[rect{fill:red}]]></style>"),
       {"cdata"},
       {"<style>rect{fill:red}</style>"}},
      {"raster data: URL",
       doc("<image width=\"1\" height=\"1\" href=\"data:image/png;base64," + kPng + "\"/>"),
       {},
       {"href=\"data:image/png;base64," + kPng + "\""}},
      {"xlink raster data: URL",
       doc("<image xlink:href=\"data:image/png;base64," + kPng + "\"/>"),
       {},
       {"<image href=\"data:image/png;base64,"}},
      {"gradient chain",
       doc("<linearGradient id=\"a\"/><radialGradient id=\"b\" href=\"#a\" fx=\"0.5\"/>"),
       {},
       {"<radialGradient id=\"b\" href=\"#a\" fx=\"0.5\"/>"}},
      {"filters",
       doc("<filter id=\"f\"><feGaussianBlur in=\"SourceGraphic\" stdDeviation=\"2\"/>"
           "<feColorMatrix type=\"saturate\" values=\"0.5\"/></filter><rect filter=\"url(#f)\"/>"),
       {},
       {"<feGaussianBlur in=\"SourceGraphic\" stdDeviation=\"2\"/>", "filter=\"url(#f)\""}},
      {"clip and mask",
       doc("<clipPath id=\"c\"><rect/></clipPath><mask id=\"m\"/><g clip-path=\"url(#c)\" "
           "mask=\"url( #m )\"/>"),
       {},
       {"clip-path=\"url(#c)\"", "mask=\"url( #m )\""}},
      {"markers",
       doc("<marker id=\"m\" refX=\"1\" orient=\"auto\"/><path d=\"M0 0\" "
           "marker-end=\"url(#m)\"/>"),
       {},
       {"marker-end=\"url(#m)\""}},
      {"harmless animation",
       doc("<rect><animateTransform attributeName=\"transform\" type=\"rotate\" from=\"0\" "
           "to=\"360\" dur=\"1s\" repeatCount=\"indefinite\"/></rect>"),
       {},
       {"<animateTransform attributeName=\"transform\" type=\"rotate\" from=\"0\" to=\"360\""}},
      {"animate fill",
       doc("<rect><animate attributeName=\"fill\" values=\"red;blue\" dur=\"2s\"/></rect>"),
       {},
       {"<animate attributeName=\"fill\" values=\"red;blue\" dur=\"2s\"/>"}},
      {"animateMotion with mpath",
       doc("<path id=\"p\"/><g><animateMotion dur=\"1s\"><mpath "
           "xlink:href=\"#p\"/></animateMotion></g>"),
       {},
       {"<animateMotion dur=\"1s\"><mpath href=\"#p\"/></animateMotion>"}},
      {"xml:space and lang",
       doc("<text xml:space=\"preserve\" xml:lang=\"fr\">  a  </text>"),
       {},
       {"<text xml:space=\"preserve\" xml:lang=\"fr\">  a  </text>"}},
      {"title and desc",
       doc("<title>T &lt;1&gt;</title><desc>D</desc>"),
       {},
       {"<title>T &lt;1&gt;</title><desc>D</desc>"}},
      {"escaped attribute", doc("<g id=\"a&amp;b&quot;c\"/>"), {}, {"<g id=\"a&amp;b&quot;c\"/>"}},
      {"newline char ref in attribute", doc("<text dx=\"1&#10;2\"/>"), {}, {"dx=\"1&#10;2\""}},
      {"literal newline in attribute", doc("<text dx=\"1\n2\"/>"), {}, {"dx=\"1 2\""}},
      {"empty elements", doc("<g></g><text></text>"), {}, {"<g/><text/>"}},
      {"switch",
       doc("<switch><g systemLanguage=\"en\"/><g/></switch>"),
       {},
       {"<switch><g systemLanguage=\"en\"/><g/></switch>"}},
      {"symbol and use",
       doc("<symbol id=\"s\" viewBox=\"0 0 1 1\"/><use href=\" #s \" x=\"1\"/>"),
       {},
       {"<use href=\"#s\" x=\"1\"/>"}},
  };
  for (const Attack& b : benign) {
    std::string why;
    std::optional<std::string> out = sanitizeSvg(b.svg, &why);
    ASSERT_TRUE(out.has_value()) << b.what << ": " << why;
    std::string l = lower(*out);
    for (const std::string& bad : b.forbidden) {
      EXPECT_EQ(l.find(bad), std::string::npos) << b.what << ": '" << bad << "' in " << *out;
    }
    for (const std::string& good : b.kept) {
      EXPECT_NE(out->find(good), std::string::npos)
          << b.what << ": '" << good << "' not in " << *out;
    }
    EXPECT_EQ(sanitizeSvg(*out), out) << b.what << ": not idempotent";
  }
}

}  // namespace
}  // namespace nubis::images
