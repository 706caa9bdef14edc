// Fuzz target rfc3339 (RELIABILITY.md R3): timeutil::parse, which reads a token's not_before /
// expires_on, and the formatters that write timestamps back. Beyond ASan/UBSan the target traps
// when, for an accepted input x with v = parse(x):
//  - parse(formatMicros(v)) != v (what we write must read back as the same instant);
//  - parse(formatSeconds(v)) != v rounded down to the second.
// formatHttpDate(v) must not crash.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/time_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace tu = nubis::timeutil;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::optional<int64_t> v = tu::parse(input);
  if (!v) return 0;

  std::optional<int64_t> again = tu::parse(tu::formatMicros(*v));
  if (!again || *again != *v) __builtin_trap();

  int64_t floor_s = *v >= 0 ? *v / 1000000 : -((-*v + 999999) / 1000000);
  std::optional<int64_t> seconds = tu::parse(tu::formatSeconds(*v));
  if (!seconds || *seconds != floor_s * 1000000) __builtin_trap();

  (void)tu::formatHttpDate(*v);
  return 0;
}
