// A walk over a GIF's block structure, decoding no pixel. libnsgif (libvips' GIF loader)
// silently drops a frame that is cut off, so a truncated animation decodes "fine" with fewer
// frames; and it fills whatever a frame's LZW data does not cover, so 42 bytes can claim (and
// cost, at render) a 12000x8000 frame. probe() uses this walk to see both.
//
// Each frame's LZW codes are followed far enough to count the pixels they expand to (only the
// string lengths of the code table are kept, 8 KB, never the pixels).
//
// Pure function, safe from any thread.
#pragma once

#include <string_view>

namespace nubis::images::pipeline::detail {

enum class GifEnd {
  kTrailer,     // reached the 0x3B trailer
  kCleanEnd,    // data ends between blocks after at least one image (trailer missing: many
                // decoders and browsers accept this, and so do we)
  kTruncated,   // data ends inside a block, or before any image
  kMalformed,   // an unknown block before the first image
  kShortFrame,  // a frame's LZW data expands to fewer pixels than its width x height (it ends,
                // or breaks with an invalid code, early), or its LZW code size is invalid
};

GifEnd scanGif(std::string_view bytes);

}  // namespace nubis::images::pipeline::detail
