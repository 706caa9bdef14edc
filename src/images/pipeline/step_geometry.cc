// Steps that move pixels: trim, flip, rotate, fit (crop / pad). Sizes come from the Plan, so
// the frame that reaches fitStep must already be exactly the size the plan resized to.
#include <string>
#include <vector>

#include "images/pipeline/steps.h"

namespace nubis::images::pipeline::detail {

vips::VImage trimStep(vips::VImage frame, const StepContext& ctx) {
  const Box& b = ctx.plan.trim_box;
  if (b.x == 0 && b.y == 0 && b.width == frame.width() && b.height == frame.height()) {
    return frame;
  }
  return frame.extract_area(b.x, b.y, b.width, b.height);
}

vips::VImage flipStep(vips::VImage frame, const StepContext& ctx) {
  if (ctx.options.flip_h) frame = frame.flip(VIPS_DIRECTION_HORIZONTAL);
  if (ctx.options.flip_v) frame = frame.flip(VIPS_DIRECTION_VERTICAL);
  return frame;
}

vips::VImage rotateStep(vips::VImage frame, const StepContext& ctx) {
  switch (ctx.plan.rotate) {
    case 90:
      return frame.rot(VIPS_ANGLE_D90);  // clockwise, as libvips and Cloudflare
    case 180:
      return frame.rot(VIPS_ANGLE_D180);
    case 270:
      return frame.rot(VIPS_ANGLE_D270);
    default:
      return frame;
  }
}

vips::VImage fitStep(vips::VImage frame, const StepContext& ctx) {
  const Fit& f = ctx.plan.fit;
  if (frame.width() != f.resize_width || frame.height() != f.resize_height) {
    // The loader was asked for exactly this size; anything else is a bug in geometry.cc.
    throw vips::VError("geometry: frame is " + std::to_string(frame.width()) + "x" +
                       std::to_string(frame.height()) + ", plan expected " +
                       std::to_string(f.resize_width) + "x" + std::to_string(f.resize_height));
  }
  if (f.crop) {
    if (f.smart_crop && !ctx.animated) {
      frame =
          frame.smartcrop(f.crop->width, f.crop->height,
                          vips::VImage::option()->set("interesting", VIPS_INTERESTING_ATTENTION));
    } else {
      frame = frame.extract_area(f.crop->x, f.crop->y, f.crop->width, f.crop->height);
    }
  }
  if (f.pad) {
    const Rgba bg = backgroundOf(ctx.options);
    // A translucent background needs an alpha band to show through, when the output has one.
    if (bg.a < 255 && !frame.has_alpha() && ctx.output != Format::kJpeg) {
      frame = frame.bandjoin_const({255});
    }
    std::vector<double> ink{double(bg.r), double(bg.g), double(bg.b)};
    if (frame.has_alpha()) ink.push_back(bg.a);
    frame = frame.embed(
        f.pad->x, f.pad->y, f.pad->width, f.pad->height,
        vips::VImage::option()->set("extend", VIPS_EXTEND_BACKGROUND)->set("background", ink));
  }
  return frame;
}

}  // namespace nubis::images::pipeline::detail
