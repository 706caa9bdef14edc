#include "images/pipeline/limits_check.h"

#include <cstdint>
#include <string>

namespace nubis::images::pipeline::detail {
namespace {

std::string megapixels(int64_t px) {
  // One decimal is enough to see why a limit was hit.
  int64_t tenths = (px + 50'000) / 100'000;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " megapixels";
}

}  // namespace

std::optional<Error> checkPixels(int width, int height, int frames, const Limits& limits) {
  const std::string size = std::to_string(width) + "x" + std::to_string(height);
  if (width > limits.max_side || height > limits.max_side) {
    return fail(Failure::kTooManyPixels, "image is " + size +
                                             " px; the longest side may be at most " +
                                             std::to_string(limits.max_side) + " px");
  }
  const int64_t area = static_cast<int64_t>(width) * height;
  if (area > limits.max_area) {
    return fail(Failure::kTooManyPixels, "image is " + size + " px (" + megapixels(area) +
                                             "); the area may be at most " +
                                             megapixels(limits.max_area));
  }
  if (frames > 1) {
    if (limits.max_frames > 0 && frames > limits.max_frames) {
      return fail(Failure::kAnimationTooLarge,
                  "animation has " + std::to_string(frames) + " frames; at most " +
                      std::to_string(limits.max_frames) + " are allowed");
    }
    const int64_t total = area * frames;
    if (total > limits.max_animation_area) {
      return fail(Failure::kAnimationTooLarge,
                  "animation has " + std::to_string(frames) + " frames of " + size + " px (" +
                      megapixels(total) + " in all); the sum of frame areas may be at most " +
                      megapixels(limits.max_animation_area));
    }
  }
  return std::nullopt;
}

}  // namespace nubis::images::pipeline::detail
