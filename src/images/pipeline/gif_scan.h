// A walk over a GIF's block structure, no decoding. libnsgif (libvips' GIF loader) silently
// drops a frame that is cut off, so a truncated animation decodes "fine" with fewer frames;
// probe() uses this walk to see the cut.
//
// Pure function, safe from any thread.
#pragma once

#include <string_view>

namespace nubis::images::pipeline::detail {

enum class GifEnd {
  kTrailer,    // reached the 0x3B trailer
  kCleanEnd,   // data ends between blocks after at least one image (trailer missing: many
               // decoders and browsers accept this, and so do we)
  kTruncated,  // data ends inside a block, or before any image
  kMalformed,  // an unknown block before the first image
};

GifEnd scanGif(std::string_view bytes);

}  // namespace nubis::images::pipeline::detail
