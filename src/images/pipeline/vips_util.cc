#include "images/pipeline/vips_util.h"

namespace nubis::images::pipeline::detail {

std::string takeBlob(VipsBlob* blob) {
  std::string out(static_cast<const char*>(VIPS_AREA(blob)->data), VIPS_AREA(blob)->length);
  vips_area_unref(VIPS_AREA(blob));
  return out;
}

std::string errorText(const vips::VError& e) {
  std::string_view text = e.what();
  vips_error_clear();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  size_t nl = text.rfind('\n');
  if (nl != std::string_view::npos) text = text.substr(nl + 1);
  if (text.empty()) return "libvips reported no detail";
  return std::string(text.substr(0, 300));
}

vips::VImage loadAs(Format format, const BorrowedBlob& blob, vips::VOption* options) {
  switch (format) {
    case Format::kJpeg:
      return vips::VImage::jpegload_buffer(blob.get(), options);
    case Format::kPng:
      return vips::VImage::pngload_buffer(blob.get(), options);
    case Format::kGif:
      return vips::VImage::gifload_buffer(blob.get(), options);
    case Format::kWebp:
      return vips::VImage::webpload_buffer(blob.get(), options);
    case Format::kAvif:
    case Format::kHeic:
      return vips::VImage::heifload_buffer(blob.get(), options);
    case Format::kSvg:
    case Format::kUnknown:
      break;
  }
  delete options;
  throw vips::VError("no raster loader for this format");
}

// Header fields libvips keeps in VipsImage itself rather than as metadata.
static bool builtinField(std::string_view name) {
  for (std::string_view f : {"width", "height", "bands", "format", "coding", "interpretation",
                             "xoffset", "yoffset", "xres", "yres", "filename"}) {
    if (name == f) return true;
  }
  return false;
}

void copyMetadata(VipsImage* from, VipsImage* to) {
  gchar** fields = vips_image_get_fields(from);
  for (gchar** f = fields; *f != nullptr; ++f) {
    if (builtinField(*f)) continue;
    GValue value = G_VALUE_INIT;
    if (vips_image_get(from, *f, &value) == 0) {
      vips_image_set(to, *f, &value);
      g_value_unset(&value);
    }
  }
  g_strfreev(fields);
}


int jpegShrink(int width, int height, int wanted) {
  int shrink = 8;
  while (shrink > 1 && (shrink > wanted || width < 8 * shrink || height < 8 * shrink)) {
    shrink /= 2;
  }
  return shrink;
}

int pageCount(const vips::VImage& image) {
  int n = vips_image_get_n_pages(image.get_image());
  return n < 1 ? 1 : n;
}

}  // namespace nubis::images::pipeline::detail
