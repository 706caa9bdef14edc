#include "images/pipeline/metadata.h"

#include <string_view>

namespace nubis::images::pipeline::detail {
namespace {

constexpr const char* kCopyrightField = "exif-ifd0-Copyright";

void removeAll(vips::VImage& img) {
  char** fields = vips_image_get_fields(img.get_image());
  for (char** f = fields; *f; ++f) {
    std::string_view name = *f;
    if (name.starts_with("exif-") || name.starts_with("xmp-") || name.starts_with("iptc-") ||
        name.starts_with("photoshop-") || name == VIPS_META_ICC_NAME ||
        name == VIPS_META_ORIENTATION) {
      img.remove(*f);
    }
  }
  g_strfreev(fields);
}

}  // namespace

MetadataPolicy effectivePolicy(std::optional<MetadataPolicy> requested, Format output) {
  if (output == Format::kPng || output == Format::kWebp || output == Format::kGif) {
    return MetadataPolicy::kNone;
  }
  if (requested) return *requested;
  return output == Format::kJpeg ? MetadataPolicy::kCopyright : MetadataPolicy::kNone;
}

PreparedMetadata prepareMetadata(const vips::VImage& image, MetadataPolicy policy, Format output) {
  policy = effectivePolicy(policy, output);
  // A private copy: removing fields must not touch an image another reference shares.
  vips::VImage out = image.copy();
  if (policy == MetadataPolicy::kNone) {
    // strip=TRUE alone is not enough: libvips 8.14's WebP saver writes EXIF regardless.
    removeAll(out);
    return {out, true};
  }
  // The pixels are already upright; no tag may ask a viewer to turn them again.
  out.remove(VIPS_META_ORIENTATION);
  out.remove("exif-ifd0-Orientation");
  if (policy == MetadataPolicy::kKeep) return {out, false};

  if (!out.get_typeof(kCopyrightField)) return {out, true};
  // libvips rebuilds the EXIF block on save from the exif-ifd* fields: a tag whose field is gone
  // is dropped, so removing every field but Copyright leaves only Copyright (and the structural
  // tags libvips writes itself).
  char** fields = vips_image_get_fields(out.get_image());
  for (char** f = fields; *f; ++f) {
    std::string_view name = *f;
    if (name.starts_with("exif-ifd") && name != kCopyrightField) out.remove(*f);
  }
  g_strfreev(fields);
  out.remove(VIPS_META_XMP_NAME);
  out.remove(VIPS_META_IPTC_NAME);
  out.remove(VIPS_META_PHOTOSHOP_NAME);
  out.remove(VIPS_META_ICC_NAME);
  return {out, false};
}

}  // namespace nubis::images::pipeline::detail
