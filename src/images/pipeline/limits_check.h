// The pixel limits of IMAGES.md A.11, checked from header values only. Shared by probe() (the
// upload gate) and render() (bytes that may not have come through probe()).
#pragma once

#include <optional>

#include "images/pipeline/outcome.h"
#include "images/pipeline/probe.h"

namespace nubis::images::pipeline::detail {

// kTooManyPixels for a side or the area of one frame; kAnimationTooLarge for frames x area or
// the frame count (only when frames > 1). nullopt when within every limit.
std::optional<Error> checkPixels(int width, int height, int frames, const Limits& limits);

}  // namespace nubis::images::pipeline::detail
