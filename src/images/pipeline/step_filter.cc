// Convolution steps at output size: Gaussian blur and sharpen.
#include <algorithm>
#include <cmath>

#include "images/pipeline/frame_util.h"
#include "images/pipeline/steps.h"

namespace nubis::images::pipeline::detail {
namespace {

// Beyond this sigma a direct Gaussian gets slow (the mask grows with sigma and blur reaches
// 250): blur a smaller copy instead and scale back up, which looks the same at that strength.
constexpr double kDirectBlurMaxSigma = 10;

// `img` resized to exactly width x height (vips_resize rounds).
vips::VImage toSize(const vips::VImage& img, int width, int height) {
  vips::VImage out =
      img.resize(static_cast<double>(width) / img.width(),
                 vips::VImage::option()->set("vscale", static_cast<double>(height) / img.height()));
  if (out.width() > width || out.height() > height) {
    out = out.extract_area(0, 0, std::min(width, out.width()), std::min(height, out.height()));
  }
  if (out.width() < width || out.height() < height) {
    out = out.embed(0, 0, width, height, vips::VImage::option()->set("extend", VIPS_EXTEND_COPY));
  }
  return out;
}

}  // namespace

vips::VImage blurStep(vips::VImage frame, const StepContext& ctx) {
  if (ctx.options.blur <= 0) return frame;
  // Cloudflare calls blur a radius; a Gaussian's visible reach is about two sigmas.
  const double sigma = ctx.options.blur / 2;
  const bool alpha = frame.has_alpha();
  // Premultiplied, so transparent pixels do not bleed their (invisible) colour into the edge.
  vips::VImage in = alpha ? frame.premultiply() : frame.cast(VIPS_FORMAT_FLOAT);
  vips::VImage out;
  // Shrink so that the remaining sigma is about kDirectBlurMaxSigma / 2, keeping >= 4 px a side.
  double factor = std::floor(sigma / (kDirectBlurMaxSigma / 2));
  factor = std::min(factor, std::floor(std::min(frame.width(), frame.height()) / 4.0));
  if (sigma <= kDirectBlurMaxSigma || factor < 2) {
    out = in.gaussblur(sigma);
  } else {
    vips::VImage small = toSize(in, std::max(1, static_cast<int>(frame.width() / factor)),
                                std::max(1, static_cast<int>(frame.height() / factor)));
    out = toSize(small.gaussblur(sigma / factor), frame.width(), frame.height());
  }
  if (alpha) out = out.unpremultiply();
  return out.cast(VIPS_FORMAT_UCHAR)
      .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

vips::VImage sharpenStep(vips::VImage frame, const StepContext& ctx) {
  if (ctx.options.sharpen <= 0) return frame;
  SplitFrame parts = splitAlpha(frame);
  // libvips sharpens lightness only (in LabS), comparing with a sigma-1 blur (fine detail, as
  // after downscaling). The amount 0..10 is the slope applied to edges (m2; libvips' default is
  // 3) and a quarter of it to gentle detail (m1), so a soft edge gains contrast too.
  const double amount = ctx.options.sharpen;
  vips::VImage sharp = parts.colour.sharpen(
      vips::VImage::option()->set("sigma", 1.0)->set("m1", amount / 4)->set("m2", amount));
  return joinAlpha(sharp.colourspace(VIPS_INTERPRETATION_sRGB), parts.alpha);
}

}  // namespace nubis::images::pipeline::detail
