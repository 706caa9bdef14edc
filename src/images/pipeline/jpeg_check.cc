#include "images/pipeline/jpeg_check.h"

#include <csetjmp>
#include <cstddef>
#include <cstdio>
#include <memory>

// After <cstdio> and <cstddef> (jpeglib.h uses FILE and size_t); jerror.h after jpeglib.h
// (which of its messages exist depends on jpeglib.h's JPEG_LIB_VERSION).
// clang-format off
#include <jpeglib.h>
#include <jerror.h>
// clang-format on

namespace nubis::images::pipeline::detail {
namespace {

constexpr int kMaxWarnings = 100;

// libjpeg's error manager, extended. libjpeg calls error_exit on errors and must not get
// control back, so the handlers longjmp to decodeJpegOnce (libjpeg is C and keeps no state
// that the jump would skip; jpeg_destroy_decompress frees everything afterwards).
struct ErrorState {
  jpeg_error_mgr pub;  // first: libjpeg hands us a jpeg_error_mgr*
  std::jmp_buf jump;
  int warnings = 0;
  char message[JMSG_LENGTH_MAX] = {};
};

bool meansMissingOrDamagedData(int code) {
  switch (code) {
    case JWRN_HIT_MARKER:      // a scan ended before its blocks did
    case JWRN_JPEG_EOF:        // the file ended before EOI
    case JWRN_MUST_RESYNC:     // a restart interval is missing or out of place
    case JWRN_HUFF_BAD_CODE:   // the entropy-coded data is damaged
#if JPEG_LIB_VERSION >= 70 || defined(D_ARITH_CODING_SUPPORTED)
    case JWRN_ARITH_BAD_CODE:  // the same, arithmetic coding (declared only when supported)
#endif
      return true;
    default:
      return false;
  }
}

[[noreturn]] void stop(j_common_ptr cinfo) {
  auto* state = reinterpret_cast<ErrorState*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, state->message);
  std::longjmp(state->jump, 1);
}

void onError(j_common_ptr cinfo) { stop(cinfo); }

void onMessage(j_common_ptr cinfo, int level) {
  if (level >= 0) return;  // trace messages
  auto* state = reinterpret_cast<ErrorState*>(cinfo->err);
  ++state->warnings;
  if (meansMissingOrDamagedData(cinfo->err->msg_code) || state->warnings > kMaxWarnings) {
    stop(cinfo);
  }
}

void silent(j_common_ptr) {}

}  // namespace

JpegDecodeCheck decodeJpegOnce(std::string_view bytes, uint64_t max_memory) {
  // Everything the longjmp returns to lives on the heap or was built before setjmp, so no
  // automatic object is modified between setjmp and longjmp, and none has a destructor the jump
  // could skip.
  auto cinfo = std::make_unique<jpeg_decompress_struct>();
  auto state = std::make_unique<ErrorState>();
  cinfo->err = jpeg_std_error(&state->pub);
  state->pub.error_exit = onError;
  state->pub.emit_message = onMessage;
  state->pub.output_message = silent;
  jpeg_create_decompress(cinfo.get());
  JpegDecodeCheck result;
  if (setjmp(state->jump) != 0) {
    jpeg_destroy_decompress(cinfo.get());
    result.why = state->message;
    return result;
  }
  // Larger coefficient arrays than this fail with "Backing store not supported" instead of
  // being allocated.
  cinfo->mem->max_memory_to_use = static_cast<long>(max_memory);
  jpeg_mem_src(cinfo.get(), reinterpret_cast<const unsigned char*>(bytes.data()),
               static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(cinfo.get(), TRUE);
  cinfo->scale_num = 1;
  cinfo->scale_denom = 8;
  cinfo->dct_method = JDCT_IFAST;
  cinfo->do_fancy_upsampling = FALSE;
  cinfo->do_block_smoothing = FALSE;
  jpeg_start_decompress(cinfo.get());
  JSAMPARRAY row =
      (*cinfo->mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(cinfo.get()), JPOOL_IMAGE,
                                  cinfo->output_width * cinfo->output_components, 1);
  while (cinfo->output_scanline < cinfo->output_height) jpeg_read_scanlines(cinfo.get(), row, 1);
  jpeg_finish_decompress(cinfo.get());
  jpeg_destroy_decompress(cinfo.get());
  result.ok = true;
  return result;
}

}  // namespace nubis::images::pipeline::detail
