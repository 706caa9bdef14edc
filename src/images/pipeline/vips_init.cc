#include "images/pipeline/vips_init.h"

#include <vips/vips.h>

#include <mutex>
#include <string>

namespace nubis::images::pipeline {
namespace {

// Class names as registered by libvips 8.14 (each the abstract base of its file/buffer/source
// loaders, so unblocking it unblocks all three).
constexpr const char* kAcceptedLoaders[] = {
    "VipsForeignLoadJpeg", "VipsForeignLoadPng",  "VipsForeignLoadNsgif",
    "VipsForeignLoadWebp", "VipsForeignLoadHeif",
};

void dropLog(const gchar*, GLogLevelFlags, const gchar*, gpointer) {}

Status doInit(int threads_per_op) {
  if (VIPS_INIT("nubis") != 0) {
    std::string why = vips_error_buffer();
    vips_error_clear();
    return ApiError::internal("libvips failed to start: " + why);
  }
  g_log_set_handler("VIPS", static_cast<GLogLevelFlags>(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE),
                    dropLog, nullptr);
  vips_concurrency_set(threads_per_op > 0 ? threads_per_op : 1);
  vips_cache_set_max(0);
  vips_block_untrusted_set(TRUE);
  vips_operation_block_set("VipsForeignLoad", TRUE);
  for (const char* loader : kAcceptedLoaders) {
    if (g_type_from_name(loader) == 0) {
      return ApiError::internal(std::string("libvips has no loader class ") + loader);
    }
    vips_operation_block_set(loader, FALSE);
  }
  return Ok{};
}

}  // namespace

Status initVips(int threads_per_op) {
  static std::once_flag once;
  static Status result = Ok{};
  std::call_once(once, [&] { result = doInit(threads_per_op); });
  return result;
}

}  // namespace nubis::images::pipeline
