// sanitizeSvg: what Nubis serves instead of an uploaded SVG (IMAGES.md A.12: Cloudflare serves
// every SVG through cloudflare/svg-hush and never resizes it).
//
// The input must be well-formed, namespace-well-formed XML (UTF-8) whose root is <svg> in the
// SVG namespace (or in no namespace: it is then put into it), at most kMaxSvgBytes long and 64
// elements deep, without a DOCTYPE internal subset (no ENTITY declarations at all: billion
// laughs, XXE). Anything else is refused with a reason.
//
// What comes out is re-serialised from an allow-list (svg_allowlist.h), so what is not listed
// cannot pass:
//  - only SVG elements that draw, group, paint or filter; no script, foreignObject, iframe,
//    embed, object, or anything from another namespace (removed with their content);
//  - no event handlers (on*), no xml:base, no attributes from other namespaces; xlink:href is
//    rewritten as href (SVG 2), and kept only on elements that reference (use, image,
//    gradients, pattern, filter, textPath, mpath, animations) when it is a same-document
//    fragment `#id`, or on image/feImage a data:image/(png|jpeg|gif|webp);base64 URL whose
//    bytes really start like one of those formats (so no SVG-in-SVG);
//  - <a> keeps its content but never its href/target: no links out of an image;
//  - every other attribute value, style="" and <style> text is treated as CSS: refused (the
//    attribute, or the whole <style>) when it has a backslash (CSS escapes could spell
//    anything), url( to anything but `#fragment`, @import, expression(, javascript:,
//    image-set(, image(, src(, cross-fade(, element(, -moz-binding or behavior;
//  - animate/set/animateTransform must animate a listed CSS-like attribute (not href, not
//    style, not on*), else the element goes; from/to/values are checked as CSS;
//  - comments, processing instructions (xml-stylesheet!), the DOCTYPE and the XML declaration
//    are dropped; CDATA becomes escaped text.
// The output is stable: sanitizeSvg(sanitizeSvg(x)) == sanitizeSvg(x) (the fuzz target
// fuzz/svg_sanitize.cc checks it) -- as long as the output itself is within kMaxSvgBytes
// (escaping can grow text, e.g. each '>' becomes "&gt;"). About 20 MB/s on one core; the reader
// is linear with its caps. Pure function: safe from any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace nubis::images {

inline constexpr size_t kMaxSvgBytes = 10 * 1024 * 1024;  // the upload limit (IMAGES.md A.11)

// The sanitised document, or nullopt when `svg` is refused; then `why` (if given) says why.
std::optional<std::string> sanitizeSvg(std::string_view svg, std::string* why = nullptr);

}  // namespace nubis::images
