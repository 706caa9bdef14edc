#include "images/pipeline/outcome.h"

namespace nubis::images::pipeline {

std::string_view failureName(Failure f) {
  switch (f) {
    case Failure::kUnsupportedFormat:
      return "unsupported_format";
    case Failure::kCorrupt:
      return "corrupt";
    case Failure::kTooLarge:
      return "too_large";
    case Failure::kTooManyPixels:
      return "too_many_pixels";
    case Failure::kAnimationTooLarge:
      return "animation_too_large";
    case Failure::kNotRenderable:
      return "not_renderable";
    case Failure::kBusy:
      return "busy";
    case Failure::kInternal:
      break;
  }
  return "internal";
}

}  // namespace nubis::images::pipeline
