// The root element of an SVG document, read without an XML parser: sniff() uses it to recognise
// SVG, probe() to read the declared size. SVG never reaches librsvg at upload (IMAGES.md A.12:
// it is served sanitised, never rasterised), so this small scanner is all the parsing it gets.
//
// Pure functions, safe from any thread.
#pragma once

#include <optional>
#include <string_view>

namespace nubis::images::pipeline::detail {

// The text of the root start tag from "<svg" up to and including its closing '>', after an
// optional BOM, whitespace, XML declaration, processing instructions, comments and doctype.
// nullopt if the first element is not <svg ...> or its start tag never closes.
std::optional<std::string_view> svgRootTag(std::string_view bytes);

// Whether the prolog leads to an element named "svg" (the tag may be cut off): enough to call the
// bytes SVG. svgRootTag() then decides whether they are well-formed enough to accept.
bool startsLikeSvg(std::string_view bytes);

struct SvgSize {
  int width = 0;  // 0: the document does not say (relative units or nothing at all)
  int height = 0;
};

// The display size in CSS pixels from the root's width/height (units px, pt, pc, mm, cm, in;
// em, ex and % count as unknown) and viewBox: both lengths win; one length takes the other from
// the viewBox aspect; neither uses the viewBox size. Values are rounded and clamped to 1..1e9.
SvgSize svgSize(std::string_view root_tag);

}  // namespace nubis::images::pipeline::detail
