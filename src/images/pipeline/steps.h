// The per-frame image steps of render(), as one named, ordered list. Each step takes the frame
// and returns it changed, or unchanged when its option is absent. An animation runs the list on
// each frame separately (a flip or crop must not mix frames) and joins the frames again.
//
// Frames arrive in sRGB, 8 bits per band, 3 bands or 4 with alpha (render.cc normalises them).
// Steps throw vips::VError; render() turns it into kInternal.
#pragma once

#include <span>
#include <string_view>
#include <vips/vips8>

#include "images/options/options.h"
#include "images/pipeline/format.h"
#include "images/pipeline/geometry.h"

namespace nubis::images::pipeline::detail {

struct StepContext {
  const TransformOptions& options;
  const Plan& plan;
  Format output;  // the chosen output format
  bool animated;  // the frame is one of several (no attention crop: frames must agree)
};

using StepFn = vips::VImage (*)(vips::VImage frame, const StepContext& ctx);

struct Step {
  std::string_view name;
  StepFn run;
};

// step_geometry.cc
vips::VImage trimStep(vips::VImage frame, const StepContext& ctx);
vips::VImage flipStep(vips::VImage frame, const StepContext& ctx);
vips::VImage rotateStep(vips::VImage frame, const StepContext& ctx);
vips::VImage fitStep(vips::VImage frame, const StepContext& ctx);
// step_filter.cc
vips::VImage blurStep(vips::VImage frame, const StepContext& ctx);
vips::VImage sharpenStep(vips::VImage frame, const StepContext& ctx);
// step_tone.cc
vips::VImage toneStep(vips::VImage frame, const StepContext& ctx);
vips::VImage saturationStep(vips::VImage frame, const StepContext& ctx);
vips::VImage backgroundStep(vips::VImage frame, const StepContext& ctx);

// In order. Geometry first (trim is in source pixels, width/height are in rotated axes), then
// filters at output size (sharpen is meant for the downscaled image), then tone, then alpha.
inline constexpr Step kSteps[] = {
    {"trim", trimStep},
    {"flip", flipStep},
    {"rotate", rotateStep},
    {"fit", fitStep},
    {"blur", blurStep},
    {"sharpen", sharpenStep},
    {"tone", toneStep},
    {"saturation", saturationStep},
    {"background", backgroundStep},
};

// Runs `steps` on every frame of `image` (one frame unless it carries page-height with several
// pages) and joins the frames, setting page-height to the new frame height.
vips::VImage runSteps(vips::VImage image, std::span<const Step> steps, const StepContext& ctx);

// The background for pad and alpha flattening: options.background or opaque white.
Rgba backgroundOf(const TransformOptions& o);

}  // namespace nubis::images::pipeline::detail
