// Pointwise colour steps: brightness/contrast, gamma, saturation, and flattening alpha onto the
// background. Alpha is never touched by tone changes.
#include "images/pipeline/frame_util.h"
#include "images/pipeline/steps.h"

namespace nubis::images::pipeline::detail {
namespace {

// Cloudflare: "0 is ignored" for brightness, contrast and gamma.
double factor(double v) { return v > 0 ? v : 1.0; }

}  // namespace

vips::VImage toneStep(vips::VImage frame, const StepContext& ctx) {
  const double brightness = factor(ctx.options.brightness);
  const double contrast = factor(ctx.options.contrast);
  const double gamma = factor(ctx.options.gamma);
  if (brightness == 1 && contrast == 1 && gamma == 1) return frame;
  SplitFrame parts = splitAlpha(frame);
  vips::VImage c = parts.colour;
  if (brightness != 1 || contrast != 1) {
    // Contrast pivots on mid-grey, then brightness scales: out = ((in - 128) * c + 128) * b.
    c = c.linear(contrast * brightness, 128 * (1 - contrast) * brightness)
            .cast(VIPS_FORMAT_UCHAR);  // cast clips to 0..255
  }
  if (gamma != 1) {
    // gamma 2 lightens, 0.5 darkens: out = 255 * (in / 255) ^ (1 / gamma).
    c = c.linear(1.0 / 255, 0.0).pow(1.0 / gamma).linear(255.0, 0.0);
  }
  return joinAlpha(c, parts.alpha);
}

vips::VImage saturationStep(vips::VImage frame, const StepContext& ctx) {
  const double s = ctx.options.saturation;
  if (s == 1 || s < 0) return frame;
  SplitFrame parts = splitAlpha(frame);
  // Chroma scaled in LCh keeps lightness and hue; 0 is greyscale.
  vips::VImage lch = parts.colour.colourspace(VIPS_INTERPRETATION_LCH);
  vips::VImage out =
      lch.linear({1.0, s, 1.0}, {0.0, 0.0, 0.0})
          .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_LCH))
          .colourspace(VIPS_INTERPRETATION_sRGB);
  return joinAlpha(out, parts.alpha);
}

vips::VImage backgroundStep(vips::VImage frame, const StepContext& ctx) {
  if (!frame.has_alpha()) return frame;
  const bool opaque_background = ctx.options.background && ctx.options.background->a == 255;
  if (ctx.output != Format::kJpeg && !opaque_background) return frame;
  const Rgba bg = backgroundOf(ctx.options);
  return frame
      .flatten(vips::VImage::option()->set(
          "background", std::vector<double>{double(bg.r), double(bg.g), double(bg.b)}))
      .cast(VIPS_FORMAT_UCHAR)
      .copy(vips::VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
}

}  // namespace nubis::images::pipeline::detail
