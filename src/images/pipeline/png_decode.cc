#include "images/pipeline/png_decode.h"

#include <png.h>

#include <cstring>
#include <memory>
#include <string>

#include "images/pipeline/vips_util.h"

namespace nubis::images::pipeline::detail {
namespace {

constexpr int kPasses = 7;  // Adam7; the last one holds exactly the odd rows

// Everything libpng's callbacks and the generate callback reach. Owned by the generated image
// (freed on its "close" signal). On the heap because libpng reports errors by longjmp, and
// nothing modified between setjmp and longjmp may be a local.
struct PngState {
  std::string_view bytes;
  size_t pos = 0;
  char message[200] = "libpng failed";
  png_structp png = nullptr;
  png_infop info = nullptr;
  png_uint_32 width = 0, height = 0;
  int channels = 0;
  size_t rowbytes = 0;
  std::unique_ptr<png_byte[]> even_rows;  // row 2k at k * rowbytes
  png_uint_32 next_row = 0;               // the row libpng reads next, in pass 7

  ~PngState() {
    if (png != nullptr) png_destroy_read_struct(&png, info != nullptr ? &info : nullptr, nullptr);
  }
};

void onRead(png_structp png, png_bytep out, size_t n) {
  auto* s = static_cast<PngState*>(png_get_io_ptr(png));
  if (s->bytes.size() - s->pos < n) png_error(png, "PNG data ends early");
  std::memcpy(out, s->bytes.data() + s->pos, n);
  s->pos += n;
}

[[noreturn]] void onError(png_structp png, png_const_charp message) {
  auto* s = static_cast<PngState*>(png_get_error_ptr(png));
  std::strncpy(s->message, message, sizeof s->message - 1);
  png_longjmp(png, 1);
}

void onWarning(png_structp, png_const_charp) {}

// The functions that call into libpng each set their own setjmp and keep nothing but trivially
// destructible locals, so a longjmp out of libpng skips no destructor.
bool readInfo(PngState& s) {
  if (setjmp(png_jmpbuf(s.png))) return false;
  png_set_read_fn(s.png, &s, onRead);
  png_read_info(s.png, s.info);
  png_set_strip_16(s.png);
  png_set_expand(s.png);  // palette -> RGB, grey 1/2/4 -> 8 bits, tRNS -> alpha
  if (png_set_interlace_handling(s.png) != kPasses) png_error(s.png, "not an Adam7 image");
  png_read_update_info(s.png, s.info);
  s.width = png_get_image_width(s.png, s.info);
  s.height = png_get_image_height(s.png, s.info);
  s.channels = png_get_channels(s.png, s.info);
  s.rowbytes = png_get_rowbytes(s.png, s.info);
  return true;
}

// Passes 1-6 into even_rows. With interlace handling libpng takes `height` rows in every pass
// and writes only the pixels of the current pass into each: odd rows get nothing before pass 7,
// so they need no buffer.
bool readEvenRows(PngState& s) {
  if (setjmp(png_jmpbuf(s.png))) return false;
  for (int pass = 0; pass < kPasses - 1; ++pass) {
    for (png_uint_32 y = 0; y < s.height; ++y) {
      png_bytep row = (y & 1) == 0 ? s.even_rows.get() + size_t{y / 2} * s.rowbytes : nullptr;
      png_read_row(s.png, row, nullptr);
    }
  }
  return true;
}

// Pass 7 up to odd row `y`, which lands in `out`.
bool readOddRow(PngState& s, png_uint_32 y, png_bytep out) {
  if (setjmp(png_jmpbuf(s.png))) return false;
  while (s.next_row < y) {
    png_read_row(s.png, nullptr, nullptr);
    ++s.next_row;
  }
  png_read_row(s.png, out, nullptr);
  ++s.next_row;
  return true;
}

int generate(VipsRegion* region, void*, void* a, void*, gboolean*) {
  auto* s = static_cast<PngState*>(a);
  const VipsRect& r = region->valid;
  for (int y = r.top; y < r.top + r.height; ++y) {
    auto* q = reinterpret_cast<png_bytep>(VIPS_REGION_ADDR(region, 0, y));
    const auto row = static_cast<png_uint_32>(y);
    if ((row & 1) == 0) {
      std::memcpy(q, s->even_rows.get() + size_t{row / 2} * s->rowbytes, s->rowbytes);
    } else if (row < s->next_row) {
      vips_error("pngload", "interlaced PNG: row %d requested out of order", y);
      return -1;
    } else if (!readOddRow(*s, row, q)) {
      vips_error("pngload", "interlaced PNG: %s", s->message);
      return -1;
    }
  }
  return 0;
}

void freeState(VipsImage*, PngState* s) { delete s; }

[[noreturn]] void fail(const std::string& why) { throw vips::VError("interlaced PNG: " + why); }

}  // namespace

uint64_t interlacedPngBytes(const PngHeader& h, bool alpha) {
  const bool colour = h.color_type == 2 || h.color_type == 3 || h.color_type == 6;
  const uint64_t bands = (colour ? 3 : 1) + (alpha ? 1 : 0);
  return (uint64_t{h.height} + 1) / 2 * h.width * bands;
}

vips::VImage decodeInterlacedPng(std::string_view bytes, const vips::VImage& header) {
  auto s = std::make_unique<PngState>();
  s->bytes = bytes;
  s->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, s.get(), onError, onWarning);
  if (s->png == nullptr) fail("libpng could not start");
  s->info = png_create_info_struct(s->png);
  if (s->info == nullptr) fail("libpng could not start");
  if (!readInfo(*s)) fail(s->message);
  if (s->channels < 1 || s->channels > 4 || s->rowbytes != size_t{s->width} * s->channels ||
      s->width > 0x7FFFFFFFu || s->height > 0x7FFFFFFFu) {
    fail("unexpected row layout after conversion to 8 bits");
  }
  s->even_rows.reset(new png_byte[(size_t{s->height} + 1) / 2 * s->rowbytes]);
  if (!readEvenRows(*s)) fail(s->message);

  // Built as libvips builds its own sequential PNG loader: a generated image in thin strips,
  // behind vips_sequential, which hands out rows in order to whichever thread asks.
  vips::VImage generated(vips_image_new());
  VipsImage* out = generated.get_image();
  vips_image_init_fields(out, static_cast<int>(s->width), static_cast<int>(s->height), s->channels,
                         VIPS_FORMAT_UCHAR, VIPS_CODING_NONE,
                         s->channels >= 3 ? VIPS_INTERPRETATION_sRGB : VIPS_INTERPRETATION_B_W,
                         header.xres(), header.yres());
  copyMetadata(header.get_image(), out);
  if (vips_image_pipelinev(out, VIPS_DEMAND_STYLE_THINSTRIP, nullptr) != 0) {
    fail("libvips could not set up the image");
  }
  PngState* state = s.release();
  g_signal_connect(out, "close", G_CALLBACK(freeState), state);
  if (vips_image_generate(out, nullptr, generate, nullptr, state, nullptr) != 0) {
    fail("libvips could not set up the image");
  }
  VipsImage* sequential = nullptr;
  if (vips_sequential(out, &sequential, "tile_height", 8, nullptr) != 0) {
    fail("libvips could not set up the image");
  }
  return vips::VImage(sequential);
}

}  // namespace nubis::images::pipeline::detail
