#include "images/options/svg_allowlist.h"

#include <string_view>
#include <unordered_map>

namespace nubis::images::svg {
namespace {

const std::unordered_map<std::string_view, ElementKind>& elements() {
  static const auto* table = new std::unordered_map<std::string_view, ElementKind>{
      // <a> stays as a group, but its href and target never do: no links out of the image.
      {"a", ElementKind::kKeep},
      {"circle", ElementKind::kKeep},
      {"clipPath", ElementKind::kKeep},
      {"defs", ElementKind::kKeep},
      {"desc", ElementKind::kKeep},
      {"ellipse", ElementKind::kKeep},
      {"feBlend", ElementKind::kKeep},
      {"feColorMatrix", ElementKind::kKeep},
      {"feComponentTransfer", ElementKind::kKeep},
      {"feComposite", ElementKind::kKeep},
      {"feConvolveMatrix", ElementKind::kKeep},
      {"feDiffuseLighting", ElementKind::kKeep},
      {"feDisplacementMap", ElementKind::kKeep},
      {"feDistantLight", ElementKind::kKeep},
      {"feDropShadow", ElementKind::kKeep},
      {"feFlood", ElementKind::kKeep},
      {"feFuncA", ElementKind::kKeep},
      {"feFuncB", ElementKind::kKeep},
      {"feFuncG", ElementKind::kKeep},
      {"feFuncR", ElementKind::kKeep},
      {"feGaussianBlur", ElementKind::kKeep},
      {"feImage", ElementKind::kKeep},
      {"feMerge", ElementKind::kKeep},
      {"feMergeNode", ElementKind::kKeep},
      {"feMorphology", ElementKind::kKeep},
      {"feOffset", ElementKind::kKeep},
      {"fePointLight", ElementKind::kKeep},
      {"feSpecularLighting", ElementKind::kKeep},
      {"feSpotLight", ElementKind::kKeep},
      {"feTile", ElementKind::kKeep},
      {"feTurbulence", ElementKind::kKeep},
      {"filter", ElementKind::kKeep},
      {"g", ElementKind::kKeep},
      {"image", ElementKind::kKeep},
      {"line", ElementKind::kKeep},
      {"linearGradient", ElementKind::kKeep},
      {"marker", ElementKind::kKeep},
      {"mask", ElementKind::kKeep},
      {"mpath", ElementKind::kKeep},
      {"path", ElementKind::kKeep},
      {"pattern", ElementKind::kKeep},
      {"polygon", ElementKind::kKeep},
      {"polyline", ElementKind::kKeep},
      {"radialGradient", ElementKind::kKeep},
      {"rect", ElementKind::kKeep},
      {"stop", ElementKind::kKeep},
      {"svg", ElementKind::kKeep},
      {"switch", ElementKind::kKeep},
      {"symbol", ElementKind::kKeep},
      {"text", ElementKind::kKeep},
      {"textPath", ElementKind::kKeep},
      {"title", ElementKind::kKeep},
      {"tspan", ElementKind::kKeep},
      {"use", ElementKind::kKeep},
      {"view", ElementKind::kKeep},
      {"animate", ElementKind::kAnimation},
      {"animateMotion", ElementKind::kAnimation},
      {"animateTransform", ElementKind::kAnimation},
      {"set", ElementKind::kAnimation},
      {"style", ElementKind::kStyle},
  };
  return *table;
}

const std::unordered_map<std::string_view, AttributeKind>& attributes() {
  static const auto* table = [] {
    auto* t = new std::unordered_map<std::string_view, AttributeKind>;
    for (std::string_view name : {"id", "class", "lang", "systemLanguage"}) {
      (*t)[name] = AttributeKind::kText;
    }
    (*t)["href"] = AttributeKind::kHref;
    (*t)["attributeName"] = AttributeKind::kAttributeName;
    static constexpr std::string_view kCss[] = {
        // Geometry and structure.
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "rx",
        "ry",
        "fx",
        "fy",
        "fr",
        "width",
        "height",
        "d",
        "points",
        "pathLength",
        "viewBox",
        "preserveAspectRatio",
        "transform",
        "version",
        "style",
        // Presentation attributes (SVG 1.1 + 2).
        "alignment-baseline",
        "baseline-shift",
        "clip",
        "clip-path",
        "clip-rule",
        "color",
        "color-interpolation",
        "color-interpolation-filters",
        "color-rendering",
        "direction",
        "display",
        "dominant-baseline",
        "enable-background",
        "fill",
        "fill-opacity",
        "fill-rule",
        "filter",
        "flood-color",
        "flood-opacity",
        "font-family",
        "font-size",
        "font-size-adjust",
        "font-stretch",
        "font-style",
        "font-variant",
        "font-weight",
        "glyph-orientation-horizontal",
        "glyph-orientation-vertical",
        "image-rendering",
        "isolation",
        "kerning",
        "letter-spacing",
        "lighting-color",
        "marker-end",
        "marker-mid",
        "marker-start",
        "mask",
        "mask-type",
        "mix-blend-mode",
        "opacity",
        "overflow",
        "paint-order",
        "pointer-events",
        "shape-rendering",
        "stop-color",
        "stop-opacity",
        "stroke",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-opacity",
        "stroke-width",
        "text-anchor",
        "text-decoration",
        "text-rendering",
        "transform-origin",
        "unicode-bidi",
        "vector-effect",
        "visibility",
        "word-spacing",
        "writing-mode",
        // Paint servers, clipping, masking, markers.
        "gradientUnits",
        "gradientTransform",
        "spreadMethod",
        "offset",
        "patternUnits",
        "patternContentUnits",
        "patternTransform",
        "clipPathUnits",
        "maskUnits",
        "maskContentUnits",
        "markerUnits",
        "markerWidth",
        "markerHeight",
        "refX",
        "refY",
        "orient",
        // Text.
        "dx",
        "dy",
        "rotate",
        "textLength",
        "lengthAdjust",
        "startOffset",
        "method",
        "spacing",
        "side",
        "path",
        // Filters.
        "filterUnits",
        "primitiveUnits",
        "in",
        "in2",
        "result",
        "stdDeviation",
        "mode",
        "type",
        "values",
        "tableValues",
        "slope",
        "intercept",
        "amplitude",
        "exponent",
        "k1",
        "k2",
        "k3",
        "k4",
        "operator",
        "radius",
        "scale",
        "xChannelSelector",
        "yChannelSelector",
        "baseFrequency",
        "numOctaves",
        "seed",
        "stitchTiles",
        "kernelMatrix",
        "order",
        "divisor",
        "bias",
        "targetX",
        "targetY",
        "edgeMode",
        "preserveAlpha",
        "kernelUnitLength",
        "surfaceScale",
        "diffuseConstant",
        "specularConstant",
        "specularExponent",
        "azimuth",
        "elevation",
        "pointsAtX",
        "pointsAtY",
        "pointsAtZ",
        "limitingConeAngle",
        "z",
        // SMIL timing and values (what is animated is checked through attributeName).
        "attributeType",
        "begin",
        "dur",
        "end",
        "min",
        "max",
        "restart",
        "repeatCount",
        "repeatDur",
        "calcMode",
        "keyTimes",
        "keySplines",
        "keyPoints",
        "from",
        "to",
        "by",
        "additive",
        "accumulate",
        "origin",
    };
    for (std::string_view name : kCss) (*t)[name] = AttributeKind::kCss;
    return t;
  }();
  return *table;
}

}  // namespace

ElementKind elementKind(std::string_view local_name) {
  auto it = elements().find(local_name);
  return it == elements().end() ? ElementKind::kDrop : it->second;
}

AttributeKind attributeKind(std::string_view local_name) {
  auto it = attributes().find(local_name);
  return it == attributes().end() ? AttributeKind::kDrop : it->second;
}

bool mayReference(std::string_view element) {
  static constexpr std::string_view kElements[] = {
      "use",      "image", "feImage", "linearGradient", "radialGradient",   "pattern", "filter",
      "textPath", "mpath", "animate", "animateMotion",  "animateTransform", "set",
  };
  for (std::string_view e : kElements) {
    if (e == element) return true;
  }
  return false;
}

bool mayEmbedRaster(std::string_view element) { return element == "image" || element == "feImage"; }

}  // namespace nubis::images::svg
