// Fuzz target flexible_options (RELIABILITY.md R3): the flexible-variant option grammar
// (src/images/options/options.h), which reads the last path segment of every delivery URL.
// Beyond ASan/UBSan the target traps when:
//  - parseFlexible sets both or neither of options/error, or an error has no message or
//    bytes that are not printable ASCII (messages go back in a text body);
//  - the canonical form of accepted options does not parse back to equal options with the
//    same canonical form (canonical() keys the variant cache: it must be a fixed point);
//  - accepted options break the documented ranges.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "images/options/options.h"

namespace {

namespace images = nubis::images;

void checkRanges(const images::TransformOptions& o) {
  if (o.width && (*o.width < 1 || *o.width > 12000)) __builtin_trap();
  if (o.height && (*o.height < 1 || *o.height > 12000)) __builtin_trap();
  if (o.quality && (*o.quality < 1 || *o.quality > 100)) __builtin_trap();
  if (!(o.dpr > 0 && o.dpr <= 2)) __builtin_trap();
  if (!(o.blur == 0 || (o.blur >= 1 && o.blur <= 250))) __builtin_trap();
  if (!(o.sharpen >= 0 && o.sharpen <= 10)) __builtin_trap();
  for (double f : {o.brightness, o.contrast, o.gamma}) {
    if (!(f > 0 && f <= 10)) __builtin_trap();
  }
  if (!(o.saturation >= 0 && o.saturation <= 10)) __builtin_trap();
  if (o.rotate != 0 && o.rotate != 90 && o.rotate != 180 && o.rotate != 270) __builtin_trap();
  if (o.gravity.kind == images::Gravity::Kind::kPoint &&
      !(o.gravity.x >= 0 && o.gravity.x <= 1 && o.gravity.y >= 0 && o.gravity.y <= 1)) {
    __builtin_trap();
  }
  if (o.trim && *o.trim == images::Trim{}) __builtin_trap();  // all-zero trim is normalised away
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)images::looksLikeOptions(input);
  images::ParsedOptions parsed = images::parseFlexible(input);
  if (parsed.options.has_value() == parsed.error.has_value()) __builtin_trap();
  if (parsed.error) {
    if (parsed.error->message.empty()) __builtin_trap();
    for (char c : parsed.error->message) {
      if (c < 0x20 || c > 0x7e) __builtin_trap();
    }
    return 0;
  }
  checkRanges(*parsed.options);
  std::string canonical = parsed.options->canonical();
  images::ParsedOptions again = images::parseFlexible(canonical);
  if (!again.options) __builtin_trap();
  if (!(*again.options == *parsed.options)) __builtin_trap();
  if (again.options->canonical() != canonical) __builtin_trap();
  return 0;
}
