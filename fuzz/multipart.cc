// Fuzz target multipart (RELIABILITY.md R3): the multipart/form-data parser of image uploads
// (src/api/multipart.h). The input's first line (up to '\n') also goes through formBoundary; the
// whole input is the body, with the fixed boundary "AaB03x" (RFC 7578's example, so seeds are
// easy to write) and small limits so the limit paths are reachable. The body is parsed twice:
// fed whole, then in pieces whose sizes come from the input's first byte. Beyond ASan/UBSan the
// target traps when:
//  - the two feedings disagree: success, error message, fileTooLarge(), or the parts;
//  - a success has no parts, more than max_parts parts, or a part over its size limit;
//  - fileTooLarge() is set without an error;
//  - formBoundary accepts a boundary outside RFC 2046 (1..70 bchars, not ending in a space), or
//    one that does not come back unchanged when written quoted.
#include "api/multipart.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace api = nubis::api;

constexpr std::string_view kBoundary = "AaB03x";

api::MultipartLimits limits() {
  api::MultipartLimits l;
  l.max_parts = 8;
  l.max_part_header_bytes = 128;
  l.max_field_bytes = 64;
  l.max_file_bytes = 256;
  return l;
}

struct Outcome {
  bool ok = false;
  std::string error;
  bool file_too_large = false;
  std::vector<api::FormPart> parts;
};

bool samePart(const api::FormPart& a, const api::FormPart& b) {
  return a.name == b.name && a.filename == b.filename && a.content_type == b.content_type &&
         a.data == b.data;
}

bool sameOutcome(const Outcome& a, const Outcome& b) {
  if (a.ok != b.ok || a.error != b.error || a.file_too_large != b.file_too_large) return false;
  if (a.parts.size() != b.parts.size()) return false;
  for (size_t i = 0; i < a.parts.size(); ++i) {
    if (!samePart(a.parts[i], b.parts[i])) return false;
  }
  return true;
}

// `piece(i)` is the size of the i-th feed (0 = everything left).
template <class Piece>
Outcome parse(std::string_view body, Piece piece) {
  api::MultipartParser parser{std::string(kBoundary), limits()};
  nubis::Status s = nubis::Ok{};
  size_t pos = 0;
  for (size_t i = 0; s && pos < body.size(); ++i) {
    size_t n = piece(i);
    if (n == 0 || n > body.size() - pos) n = body.size() - pos;
    s = parser.feed(body.substr(pos, n));
    pos += n;
  }
  if (s) s = parser.finish();
  Outcome out;
  out.ok = s.ok();
  if (!s) out.error = s.error().message;
  out.file_too_large = parser.fileTooLarge();
  out.parts = parser.parts();
  return out;
}

bool isBchar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

void checkBoundary(std::string_view content_type) {
  nubis::Result<std::string> b = api::formBoundary(content_type);
  if (!b) return;
  if (b->empty() || b->size() > 70 || b->back() == ' ') __builtin_trap();
  for (char c : *b) {
    if (!isBchar(c)) __builtin_trap();
  }
  nubis::Result<std::string> again =
      api::formBoundary("multipart/form-data; boundary=\"" + *b + "\"");
  if (!again || *again != *b) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  checkBoundary(input.substr(0, input.find('\n')));

  Outcome whole = parse(input, [](size_t) { return size_t{0}; });
  // Piece sizes 1..16 cycling from a seed in the first byte: small pieces cut delimiters, CRLFs
  // and header lines at every position.
  unsigned seed = size > 0 ? data[0] : 0;
  Outcome split = parse(input, [seed](size_t i) { return 1 + (seed + i * 7) % 16; });
  if (!sameOutcome(whole, split)) __builtin_trap();

  const api::MultipartLimits l = limits();
  if (whole.file_too_large && whole.ok) __builtin_trap();
  if (whole.ok) {
    if (whole.parts.empty() || whole.parts.size() > l.max_parts) __builtin_trap();
    for (const api::FormPart& p : whole.parts) {
      if (p.name.empty()) __builtin_trap();
      if (p.data.size() > (p.filename ? l.max_file_bytes : l.max_field_bytes)) __builtin_trap();
    }
  }
  return 0;
}
