#include "images/pipeline/jpeg_to_size.h"

#include <csetjmp>
#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

// After <cstdio> and <cstddef> (jpeglib.h uses FILE and size_t).
// clang-format off
#include <jpeglib.h>
// clang-format on

#include "images/pipeline/resample.h"
#include "images/pipeline/vips_util.h"

namespace nubis::images::pipeline::detail {
namespace {

// libjpeg reports errors by calling error_exit, which must not return: it longjmps back to
// run(). Everything run() touches lives in this heap object, so the jump skips no destructor
// and leaves no automatic variable that is read afterwards.
struct Decode {
  jpeg_decompress_struct cinfo{};
  jpeg_error_mgr pub{};
  std::jmp_buf jump{};
  char message[JMSG_LENGTH_MAX] = {};
  std::unique_ptr<Resampler> resampler;
  bool created = false;

  ~Decode() {
    if (created) jpeg_destroy_decompress(&cinfo);
  }
};

[[noreturn]] void onError(j_common_ptr cinfo) {
  auto* d = static_cast<Decode*>(cinfo->client_data);
  (*cinfo->err->format_message)(cinfo, d->message);
  std::longjmp(d->jump, 1);
}

// Warnings (damaged or truncated data) do not stop the decode, as libvips' loader with
// fail=false: an upload's structure was checked (jpeg_scan.h); damage inside complete scans
// is drawn grey, as browsers do.
void onMessage(j_common_ptr, int) {}
void silent(j_common_ptr) {}

int ceilDiv(int64_t a, int64_t b) { return static_cast<int>((a + b - 1) / b); }

enum class Status { kDone, kNotHandled, kFailed };

Status run(Decode& d, std::string_view bytes, int target_width, int target_height, bool icc,
           uint64_t max_memory) {
  if (setjmp(d.jump) != 0) return Status::kFailed;
  d.cinfo.mem->max_memory_to_use = static_cast<long>(max_memory);
  jpeg_mem_src(&d.cinfo, reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&d.cinfo, TRUE);
  switch (d.cinfo.jpeg_color_space) {
    case JCS_YCbCr:
    case JCS_RGB:
      break;
    case JCS_GRAYSCALE:
      if (icc) return Status::kNotHandled;  // a grey profile cannot apply to RGB output
      break;
    default:
      return Status::kNotHandled;  // CMYK, YCCK: libvips' loader and its CMYK profile
  }
  const int width = static_cast<int>(d.cinfo.image_width);
  const int height = static_cast<int>(d.cinfo.image_height);
  if (target_width > width || target_height > height) return Status::kNotHandled;
  d.cinfo.out_color_space = JCS_EXT_RGBX;  // 4 bytes a pixel: what resample.h reads
  d.cinfo.scale_num = static_cast<unsigned>(jpegScaleEighths(width, height, target_width,
                                                              target_height));
  d.cinfo.scale_denom = 8;
  jpeg_start_decompress(&d.cinfo);
  const int out_width = static_cast<int>(d.cinfo.output_width);
  const int out_height = static_cast<int>(d.cinfo.output_height);
  if (d.cinfo.output_components != 4 || out_width < target_width ||
      out_height < target_height) {
    return Status::kNotHandled;
  }
  d.resampler = std::make_unique<Resampler>(out_width, out_height, target_width, target_height);
  while (d.cinfo.output_scanline < d.cinfo.output_height) {
    JSAMPROW row = d.resampler->rowBuffer();
    if (jpeg_read_scanlines(&d.cinfo, &row, 1) != 1) break;
    d.resampler->pushRow();
  }
  // Not jpeg_finish_decompress: what follows the last scan (trailing bytes) is not needed.
  return d.resampler->done() ? Status::kDone : Status::kFailed;
}

void freePixels(VipsImage*, uint8_t* pixels) { delete[] pixels; }

}  // namespace

int jpegScaleEighths(int width, int height, int target_width, int target_height) {
  // Only 1/8, 1/4 and 1/2: libjpeg-turbo has SIMD IDCTs for those (and the 8x8 one its chroma
  // then uses), while 3/8, 5/8 ... run plain C IDCTs that cost more than the extra pixels save
  // (measured on the bench corpus: 1/2 decodes 4000x3000 in 27 ms where 3/8 takes 36).
  for (int m : {1, 2, 4}) {
    if (ceilDiv(int64_t{width} * m, 8) >= target_width &&
        ceilDiv(int64_t{height} * m, 8) >= target_height) {
      return m;
    }
  }
  return 8;
}

std::optional<vips::VImage> decodeJpegToSize(std::string_view bytes, const vips::VImage& header,
                                             int target_width, int target_height,
                                             uint64_t max_memory) {
  if (target_width < 1 || target_height < 1) return std::nullopt;
  const bool icc = vips_image_get_typeof(header.get_image(), VIPS_META_ICC_NAME) != 0;
  auto d = std::make_unique<Decode>();
  d->cinfo.err = jpeg_std_error(&d->pub);
  d->pub.error_exit = onError;
  d->pub.emit_message = onMessage;
  d->pub.output_message = silent;
  d->cinfo.client_data = d.get();
  jpeg_create_decompress(&d->cinfo);
  d->created = true;

  switch (run(*d, bytes, target_width, target_height, icc, max_memory)) {
    case Status::kNotHandled:
      return std::nullopt;
    case Status::kFailed:
      throw vips::VError(std::string("JPEG decode failed: ") +
                         (d->message[0] != '\0' ? d->message : "the data ended early"));
    case Status::kDone:
      break;
  }

  const size_t size = d->resampler->outputBytes();
  uint8_t* pixels = d->resampler->takeOutput().release();
  d.reset();  // libjpeg's memory goes before libvips builds on the result
  VipsImage* out = vips_image_new_from_memory(pixels, size, target_width, target_height, 3,
                                              VIPS_FORMAT_UCHAR);
  if (out == nullptr) {
    delete[] pixels;
    throw vips::VError("libvips could not wrap the decoded JPEG");
  }
  g_signal_connect(out, "postclose", G_CALLBACK(freePixels), pixels);
  out->Type = VIPS_INTERPRETATION_sRGB;
  out->Xres = header.xres();
  out->Yres = header.yres();
  copyMetadata(header.get_image(), out);
  return vips::VImage(out);
}

}  // namespace nubis::images::pipeline::detail
