// The SVG sanitiser's allow-lists (internal to svg_sanitize.cc and its tests): which SVG
// elements and attributes survive, and what kind of value each attribute holds. Anything not
// listed is removed. Modelled on cloudflare/svg-hush's lists, minus the obsolete SVG 1.1 font,
// flow and mesh elements.
#pragma once

#include <string_view>

namespace nubis::images::svg {

inline constexpr std::string_view kSvgNamespace = "http://www.w3.org/2000/svg";
inline constexpr std::string_view kXlinkNamespace = "http://www.w3.org/1999/xlink";

enum class ElementKind {
  kDrop,       // removed with everything inside it
  kKeep,       // kept; attributes filtered
  kAnimation,  // kept only if what it animates is harmless (attributeName)
  kStyle,      // kept only if its CSS passes the url()/@import checks
};
ElementKind elementKind(std::string_view local_name);

enum class AttributeKind {
  kDrop,
  kText,           // id, class, lang: free text, no URLs possible
  kCss,            // geometry, presentation and animation values: checked as CSS
  kHref,           // href / xlink:href: same-document fragments (and raster data: URLs)
  kAttributeName,  // SMIL attributeName: must name a kCss attribute other than style
};
AttributeKind attributeKind(std::string_view local_name);

// Elements on which href means something harmless (a reference inside the document).
bool mayReference(std::string_view element);
// Elements that may embed a raster image as a data: URL.
bool mayEmbedRaster(std::string_view element);

}  // namespace nubis::images::svg
