#include "images/pipeline/steps.h"

#include <vector>

namespace nubis::images::pipeline::detail {
namespace {

vips::VImage runFrame(vips::VImage frame, std::span<const Step> steps, const StepContext& ctx) {
  for (const Step& step : steps) frame = step.run(frame, ctx);
  return frame;
}

}  // namespace

Rgba backgroundOf(const TransformOptions& o) { return o.background.value_or(Rgba{}); }

vips::VImage runSteps(vips::VImage image, std::span<const Step> steps, const StepContext& ctx) {
  const int page_height = vips_image_get_page_height(image.get_image());
  const int pages = image.height() / page_height;
  if (pages <= 1) return runFrame(image, steps, ctx);

  std::vector<vips::VImage> frames;
  frames.reserve(static_cast<size_t>(pages));
  for (int i = 0; i < pages; ++i) {
    frames.push_back(
        runFrame(image.extract_area(0, i * page_height, image.width(), page_height), steps, ctx));
  }
  const int out_page_height = frames.front().height();
  vips::VImage joined =
      vips::VImage::arrayjoin(frames, vips::VImage::option()->set("across", 1)).copy();
  joined.set(VIPS_META_PAGE_HEIGHT, out_page_height);
  return joined;
}

}  // namespace nubis::images::pipeline::detail
