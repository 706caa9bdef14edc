// What the client's Accept header allows beyond the baseline formats every browser decodes.
// Format negotiation (format=auto, IMAGES.md A.9) only sends AVIF or WebP to a client that names
// them: wildcards (*/*, image/*) do not count, as browsers that decode AVIF say so explicitly.
//
// Pure functions: safe from any thread.
#pragma once

#include <string_view>

namespace nubis::images::pipeline {

struct Accept {
  bool avif = false;
  bool webp = false;
};

// Reads comma-separated media ranges, case-insensitively, ignoring parameters other than q; a
// range with q=0 is refused ("image/webp;q=0" means no WebP). Malformed ranges are skipped.
Accept parseAccept(std::string_view accept_header);

}  // namespace nubis::images::pipeline
