#include "images/pipeline/geometry.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

namespace nubis::images::pipeline::detail {
namespace {

int scaled(int n, double s) { return std::max(1, static_cast<int>(std::lround(n * s))); }

// The requested side in pixels after dpr; 0 when unset.
int target(const std::optional<int>& side, double dpr) {
  if (!side || *side < 1) return 0;
  double d = dpr > 0 ? dpr : 1.0;
  return std::max(1, static_cast<int>(std::lround(*side * d)));
}

// Where a crop_w x crop_h window sits in a w x h image for a gravity. A point gravity centres the
// window on the point as far as the image allows.
Box placeCrop(int w, int h, int crop_w, int crop_h, const Gravity& g) {
  int free_x = w - crop_w, free_y = h - crop_h;
  Box b{free_x / 2, free_y / 2, crop_w, crop_h};
  switch (g.kind) {
    case Gravity::Kind::kLeft:
      b.x = 0;
      break;
    case Gravity::Kind::kRight:
      b.x = free_x;
      break;
    case Gravity::Kind::kTop:
      b.y = 0;
      break;
    case Gravity::Kind::kBottom:
      b.y = free_y;
      break;
    case Gravity::Kind::kPoint:
      b.x = std::clamp(static_cast<int>(std::lround(g.x * w - crop_w / 2.0)), 0, free_x);
      b.y = std::clamp(static_cast<int>(std::lround(g.y * h - crop_h / 2.0)), 0, free_y);
      break;
    case Gravity::Kind::kCenter:
    case Gravity::Kind::kAuto:
      break;
  }
  return b;
}

}  // namespace

Outcome<Fit> planFit(int sw, int sh, const TransformOptions& o) {
  const int W = target(o.width, o.dpr), H = target(o.height, o.dpr);
  const bool never_enlarge = o.fit == images::Fit::kScaleDown || o.fit == images::Fit::kCrop;
  Fit f;
  if (!W && !H) {
    f.resize_width = sw;
    f.resize_height = sh;
  } else if (!W || !H) {
    // One side given: every fit keeps the aspect ratio; scale-down and crop never enlarge.
    double s = W ? static_cast<double>(W) / sw : static_cast<double>(H) / sh;
    if (never_enlarge && s >= 1) {
      f.resize_width = sw;
      f.resize_height = sh;
    } else {
      f.resize_width = W ? W : scaled(sw, s);
      f.resize_height = H ? H : scaled(sh, s);
    }
  } else {
    const double sx = static_cast<double>(W) / sw, sy = static_cast<double>(H) / sh;
    switch (o.fit) {
      case images::Fit::kScaleDown:
      case images::Fit::kContain:
      case images::Fit::kPad: {
        double s = std::min(sx, sy);
        if (o.fit == images::Fit::kScaleDown) s = std::min(s, 1.0);
        // The limiting side lands exactly on the box; the other follows the aspect ratio.
        f.resize_width = s == sx ? W : scaled(sw, s);
        f.resize_height = s == sy ? H : scaled(sh, s);
        if (o.fit == images::Fit::kPad && (f.resize_width != W || f.resize_height != H)) {
          f.pad = Box{(W - f.resize_width) / 2, (H - f.resize_height) / 2, W, H};
        }
        break;
      }
      case images::Fit::kSqueeze:
        f.resize_width = W;
        f.resize_height = H;
        break;
      case images::Fit::kCover:
      case images::Fit::kCrop: {
        double s = std::max(sx, sy);
        if (o.fit == images::Fit::kCrop && s >= 1) {
          f.resize_width = sw;  // crop never enlarges: a small image behaves as scale-down
          f.resize_height = sh;
        } else {
          // The covering side lands exactly on the box, the other overflows and is cropped.
          f.resize_width = std::max(W, s == sx ? W : scaled(sw, s));
          f.resize_height = std::max(H, s == sy ? H : scaled(sh, s));
        }
        int cw = std::min(W, f.resize_width), ch = std::min(H, f.resize_height);
        if (cw != f.resize_width || ch != f.resize_height) {
          f.crop = placeCrop(f.resize_width, f.resize_height, cw, ch, o.gravity);
          f.smart_crop = o.gravity.kind == Gravity::Kind::kAuto;
        }
        break;
      }
    }
  }
  f.width = f.pad ? f.pad->width : f.crop ? f.crop->width : f.resize_width;
  f.height = f.pad ? f.pad->height : f.crop ? f.crop->height : f.resize_height;
  const bool enlarged = f.width > sw || f.height > sh;
  if (enlarged && std::max(f.width, f.height) > kMaxEnlargedSide) {
    return fail(Failure::kTooLarge, "The image enlarged too much: " + std::to_string(f.width) +
                                        "x" + std::to_string(f.height) +
                                        ", but maximum dimension allowed is " +
                                        std::to_string(kMaxEnlargedSide));
  }
  // Cover enlarges the part it crops away too; bound that intermediate image like a source.
  if (static_cast<int64_t>(f.resize_width) * f.resize_height > kMaxResizeArea) {
    return fail(Failure::kTooLarge,
                "The image enlarged too much: resizing to " + std::to_string(f.resize_width) + "x" +
                    std::to_string(f.resize_height) + " before cropping is over 100 megapixels");
  }
  return f;
}

Outcome<Plan> makePlan(int dw, int dh, const TransformOptions& o) {
  Plan p;
  p.source_width = dw;
  p.source_height = dh;
  if (o.trim) {
    Trim t = *o.trim;
    t.left = std::clamp(t.left, 0, dw - 1);
    t.right = std::clamp(t.right, 0, dw - 1 - t.left);
    t.top = std::clamp(t.top, 0, dh - 1);
    t.bottom = std::clamp(t.bottom, 0, dh - 1 - t.top);
    p.trim = t;
  }
  const int tw = dw - p.trim.left - p.trim.right, th = dh - p.trim.top - p.trim.bottom;
  p.rotate = (o.rotate == 90 || o.rotate == 180 || o.rotate == 270) ? o.rotate : 0;
  const bool quarter = p.rotate == 90 || p.rotate == 270;

  auto fit = planFit(quarter ? th : tw, quarter ? tw : th, o);
  if (!fit) return std::move(fit).error();
  p.fit = *fit;

  // Back from rotated axes to displayed axes: the size the trimmed region must have.
  const int pw = quarter ? p.fit.resize_height : p.fit.resize_width;
  const int ph = quarter ? p.fit.resize_width : p.fit.resize_height;
  const double kx = static_cast<double>(pw) / tw, ky = static_cast<double>(ph) / th;
  p.load_width = tw == dw ? pw : std::max(pw, scaled(dw, kx));
  p.load_height = th == dh ? ph : std::max(ph, scaled(dh, ky));
  p.trim_box = Box{
      std::clamp(static_cast<int>(std::lround(p.trim.left * kx)), 0, p.load_width - pw),
      std::clamp(static_cast<int>(std::lround(p.trim.top * ky)), 0, p.load_height - ph), pw, ph};
  return p;
}

}  // namespace nubis::images::pipeline::detail
