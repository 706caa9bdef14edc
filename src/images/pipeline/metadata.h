// The metadata step (IMAGES.md A.6, A.9): what of EXIF/XMP/IPTC/ICC survives into the output.
//
//  - none: nothing (the saver strips everything).
//  - copyright: only the EXIF Copyright tag (plus the structural tags libvips always writes into
//    an EXIF block: resolution, pixel dimensions, version); XMP, IPTC and the ICC profile go.
//    Without a Copyright tag this is the same as none. The default for JPEG output.
//  - keep: everything the source had, except the orientation, which is already applied to the
//    pixels (libvips' autorot resets it), and a converted ICC profile is replaced by sRGB.
//  - WebP, PNG and GIF output never carry EXIF, whatever the policy (Cloudflare strips them).
#pragma once

#include <optional>
#include <vips/vips8>

#include "images/options/options.h"
#include "images/pipeline/format.h"

namespace nubis::images::pipeline::detail {

MetadataPolicy effectivePolicy(std::optional<MetadataPolicy> requested, Format output);

struct PreparedMetadata {
  vips::VImage image;
  bool strip = true;  // pass strip=TRUE to the saver
};

PreparedMetadata prepareMetadata(const vips::VImage& image, MetadataPolicy policy, Format output);

}  // namespace nubis::images::pipeline::detail
