#include "images/pipeline/source.h"

namespace nubis::images::pipeline::detail {

Source inspect(Format format, const BorrowedBlob& blob) {
  vips::VImage h =
      loadAs(format, blob, vips::VImage::option()->set("access", VIPS_ACCESS_SEQUENTIAL));
  Source s;
  s.format = format;
  s.width = h.width();
  s.height = h.height();  // the loader opened one page (n=1), so this is one frame
  // HEIF "pages" are separate top-level images (bursts, depth maps), not an animation: only the
  // primary image is ever shown.
  if (format == Format::kGif || format == Format::kWebp) s.pages = pageCount(h);
  if (h.get_typeof(VIPS_META_ORIENTATION)) {
    int o = h.get_int(VIPS_META_ORIENTATION);
    s.orientation = o >= 1 && o <= 8 ? o : 1;
  }
  s.alpha = h.has_alpha();
  s.icc = h.get_typeof(VIPS_META_ICC_NAME) != 0;
  return s;
}

}  // namespace nubis::images::pipeline::detail
