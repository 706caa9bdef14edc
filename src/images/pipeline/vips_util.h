// Small adapters between libvips' C++ binding and the pipeline: borrowed buffers, saved blobs,
// loaders by format, and turning a VError into one readable line.
//
// libvips keeps one error buffer for the whole process, shared by every thread. A VError copies
// it when thrown; errorText() takes the last line of that copy and clears the shared buffer so it
// cannot fill up (it is fixed-size). Under concurrency a message may therefore be another
// request's or empty: error text is for people only, never used to decide anything, except
// the one documented case in probe.cc (libheif's "Unsupported" for HEIC without a decoder).
#pragma once

#include <string>
#include <string_view>
#include <vips/vips8>

#include "images/pipeline/format.h"

namespace nubis::images::pipeline::detail {

// A VipsBlob that borrows `bytes` (no copy, nothing freed): the bytes must outlive every image
// loaded from it, which holds within one probe()/render() call.
class BorrowedBlob {
 public:
  explicit BorrowedBlob(std::string_view bytes)
      : blob_(vips_blob_new(nullptr, bytes.data(), bytes.size())) {}
  ~BorrowedBlob() { vips_area_unref(VIPS_AREA(blob_)); }
  BorrowedBlob(const BorrowedBlob&) = delete;
  BorrowedBlob& operator=(const BorrowedBlob&) = delete;

  VipsBlob* get() const { return blob_; }

 private:
  VipsBlob* blob_;
};

// Copies a saver's output blob into a string and releases the blob.
std::string takeBlob(VipsBlob* blob);

// The last line of the libvips error text, without trailing whitespace; clears the process-wide
// error buffer (see above).
std::string errorText(const vips::VError& e);

// Opens `bytes` with the loader for `format` (jpegload_buffer, pngload_buffer, gifload_buffer,
// webpload_buffer, heifload_buffer), never by libvips' own detection, so bytes sniffed as one
// format cannot reach another decoder. Throws VError; kSvg and kUnknown throw too.
vips::VImage loadAs(Format format, const BorrowedBlob& blob, vips::VOption* options);

// Copies every metadata field of `from` (EXIF, ICC profile, XMP, orientation, ...) onto `to`,
// for images built outside libvips' loaders from a loader's header image.
void copyMetadata(VipsImage* from, VipsImage* to);

// A JPEG shrink-on-load factor (1, 2, 4 or 8) no larger than `wanted`, and small enough that
// each side keeps at least 8 pixels. libvips 8.14 sizes a shrunk JPEG by integer division and
// then aborts the process (g_assert "bad dimensions" in vips_image_generate) when a side comes
// out 0, e.g. a 3 px wide JPEG at shrink 4: found by fuzz/image_probe.cc.
int jpegShrink(int width, int height, int wanted);

// Frames in a (possibly animated) image's header: "n-pages", 1 when absent.
int pageCount(const vips::VImage& image);

}  // namespace nubis::images::pipeline::detail
