// What the header of a raster image says, read without decoding pixels (access=sequential: the
// loader parses the header and stops). Shared by probe() and render().
#pragma once

#include "images/pipeline/format.h"
#include "images/pipeline/vips_util.h"

namespace nubis::images::pipeline::detail {

struct Source {
  Format format = Format::kUnknown;
  int width = 0, height = 0;  // one frame, as stored (before EXIF orientation)
  int pages = 1;              // frames of a GIF/WebP animation; 1 for everything else
  int orientation = 1;        // EXIF 1..8
  bool alpha = false;
  bool icc = false;  // an embedded ICC profile (render converts it to sRGB)

  int displayedWidth() const { return orientation >= 5 ? height : width; }
  int displayedHeight() const { return orientation >= 5 ? width : height; }
};

// Throws vips::VError when the header cannot be read.
Source inspect(Format format, const BorrowedBlob& blob);

}  // namespace nubis::images::pipeline::detail
