// Which format a render produces (IMAGES.md A.9). Pure: safe from any thread.
//
//  - format=auto: AVIF when the client accepts it and the output's longest side is at most
//    1200 px, else WebP when accepted, else the original format (JPEG, PNG, GIF, WebP stay
//    themselves; AVIF/HEIC originals become PNG with alpha, JPEG without, since a client that
//    named neither AVIF nor WebP cannot be assumed to decode them).
//  - format=avif: AVIF up to 1600 px; above that, what format=auto would pick without AVIF.
//  - webp / jpeg / baseline-jpeg / png: as asked.
//  - Animation survives only into GIF and WebP (libheif 1.15 writes no AVIF sequences): an
//    animated render never picks AVIF, falling back as above; JPEG and PNG get the first frame.
#pragma once

#include "images/options/options.h"
#include "images/pipeline/accept.h"
#include "images/pipeline/format.h"

namespace nubis::images::pipeline::detail {

inline constexpr int kAvifAutoMaxSide = 1200;
inline constexpr int kAvifExplicitMaxSide = 1600;

struct OutputChoice {
  Format format = Format::kJpeg;
  bool animated = false;     // the output keeps every frame
  bool progressive = false;  // JPEG only
};

// `animated`: the source has several frames and the options keep them (anim=true).
// Never called for format=json.
OutputChoice chooseOutput(Format original, OutputFormat requested, Accept accept, int width,
                          int height, bool animated, bool has_alpha);

// Progressive JPEG, except below 50x50 or above 3000x3000 (compared by area), where Cloudflare
// uses baseline: tiny files gain nothing and huge ones cost decoder memory.
bool progressiveJpeg(int width, int height);

}  // namespace nubis::images::pipeline::detail
