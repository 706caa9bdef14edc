// CSS colours for the `background` option (IMAGES.md A.6: "any CSS colour").
//
// Accepted: `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa` (hex in either case); `rgb()`/`rgba()`
// with comma-separated (`rgb(255,0,0)`, `rgba(255,0,0,0.5)`) or CSS4 space-separated
// (`rgb(255 0 0)`, `rgb(255 0 0 / 50%)`) arguments, each channel 0..255 or 0%..100%, alpha
// 0..1 or 0%..100%; the 148 CSS Color 4 names and `transparent`, case-insensitive. Not
// accepted: hsl(), hwb(), lab(), color(), currentcolor, system colours -- the `background`
// docs only show hex, names and rgb().
//
// Pure function: safe from any thread.
#pragma once

#include <optional>
#include <string_view>

#include "images/options/options.h"

namespace nubis::images {

// The colour `text` names (already percent-decoded), or nullopt.
std::optional<Rgba> parseCssColor(std::string_view text);

}  // namespace nubis::images
