// Removes EXIF and XMP chunks from a WebP file. libvips 8.14's WebP saver ignores strip=TRUE and
// always writes an EXIF chunk (it rebuilds one from the image header even when the source had
// none), while Cloudflare never sends EXIF in WebP: the encoder's output goes through this.
//
// Pure function, safe from any thread. Input that is not a well-formed RIFF/WEBP file comes back
// unchanged.
#pragma once

#include <string>

namespace nubis::images::pipeline::detail {

std::string stripWebpMetadata(std::string webp);

}  // namespace nubis::images::pipeline::detail
