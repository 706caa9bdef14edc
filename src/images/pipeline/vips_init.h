// initVips(): process-wide libvips setup. Call once before any other pipeline function (later
// calls return the first call's result and change nothing).
//
//  - vips_concurrency_set(threads_per_op): 1 by default. Parallelism comes from requests running
//    in parallel on the worker pool, not from threads inside one request.
//  - vips_cache_set_max(0): no operation cache; rendered bytes are cached by the Images layer.
//  - vips_block_untrusted_set(TRUE), then every loader blocked except the five we accept:
//    VipsForeignLoadJpeg, VipsForeignLoadPng, VipsForeignLoadNsgif (GIF), VipsForeignLoadWebp,
//    VipsForeignLoadHeif (AVIF/HEIC). TIFF, BMP (magick), SVG (librsvg), PDF, matrix, CSV... can
//    no longer be reached, even by libvips' own format detection.
//  - libvips warnings (GLib domain "VIPS") are dropped: untrusted input produces them at will
//    and they would flood stderr; errors still reach the caller as values.
#pragma once

#include "base/result.h"

namespace nubis::images::pipeline {

Status initVips(int threads_per_op = 1);

}  // namespace nubis::images::pipeline
