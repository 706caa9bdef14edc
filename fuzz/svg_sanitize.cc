// Fuzz target svg_sanitize (RELIABILITY.md R3): the SVG sanitiser and the strict XML reader
// under it (src/images/options/svg_sanitize.h), which see every uploaded SVG. Beyond
// ASan/UBSan (and libFuzzer's timeouts: the reader must stay linear) the target traps when:
//  - a sanitised document, sanitised again, is refused or comes out different (the output
//    must be a fixed point, or what it means could change between two readers);
//  - the output contains "<script" in any letter case, or a comment, CDATA section,
//    processing instruction or DOCTYPE ("<!", "<?").
#include "images/options/svg_sanitize.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string why;
  std::optional<std::string> out = nubis::images::sanitizeSvg(input, &why);
  if (!out) {
    if (why.empty()) __builtin_trap();
    return 0;
  }
  std::string lower = *out;
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  if (lower.find("<script") != std::string::npos) __builtin_trap();
  if (out->find("<!") != std::string::npos || out->find("<?") != std::string::npos) {
    __builtin_trap();
  }
  std::optional<std::string> again = nubis::images::sanitizeSvg(*out);
  if (!again || *again != *out) __builtin_trap();
  return 0;
}
