// The image pipeline: pure image work with libvips for Cloudflare Images (IMAGES.md §A).
// Bytes and typed options in (images/options), bytes and metadata out. No HTTP, no SQL, no
// Cloudflare error codes: callers map Failure to their own errors.
//
//   initVips()      once per process, before anything else       vips_init.h
//   sniff()         format by magic bytes                        format.h
//   probe()         the upload gate: limits, header, data check  probe.h
//   parseAccept()   Accept header -> AVIF/WebP allowed           accept.h
//   render()        one variant as bytes                         render.h
//
// Everything here is thread-safe after initVips(); render() and probe() run on the calling
// thread. Their decodes that must hold a whole image share one process-wide memory budget
// (memory_budget.h): 512 MB, kBusy after a second's wait.
#pragma once

#include "images/pipeline/accept.h"
#include "images/pipeline/format.h"
#include "images/pipeline/outcome.h"
#include "images/pipeline/probe.h"
#include "images/pipeline/render.h"
#include "images/pipeline/vips_init.h"
