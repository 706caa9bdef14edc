// Fuzz target signed_url (RELIABILITY.md R3): the signed-URL check
// (src/images/options/signing.h) that guards private images. The input is
// "<path>\n<query>"; without a newline it is the query for a fixed path. Beyond ASan/UBSan the
// target traps when:
//  - the fuzzed URL verifies at all (forging HMAC-SHA-256 is not something a fuzzer does: a
//    pass means the check skipped the MAC), or a refusal has no reason;
//  - the URL signPath makes for the fuzzed path (with an exp taken from the input) does not
//    verify under its key, or still verifies with the wrong key, after exp, with a parameter
//    appended, or for a changed path.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "images/options/signing.h"

namespace {

namespace images = nubis::images;

// Not the keys of IMAGES.md's worked example, so a seed holding that URL does not verify.
const std::vector<std::string> kKeys = {"fuzz-key-one-0000000000000000000", "fuzz-key-two"};
constexpr int64_t kNow = 1631289275;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view path = "/cheeW4oKsx5ljh8e8BoL2A/bc27a117-9509-446b-8c69-c81bfeac0a01/mobile";
  std::string_view query = input;
  if (size_t nl = input.find('\n'); nl != std::string_view::npos) {
    path = input.substr(0, nl);
    query = input.substr(nl + 1);
  }
  if (images::checkSignature(path, query, kKeys, kNow).empty()) __builtin_trap();

  if (path.empty() || path.front() != '/') return 0;
  int64_t exp = kNow;
  for (size_t i = 0; i < size && i < 4; ++i) exp += data[i];
  std::string good = images::signPath(path, kKeys[1], exp);
  if (!images::checkSignature(path, good, kKeys, kNow).empty()) __builtin_trap();
  if (!images::checkSignature(path, good, kKeys, exp).empty()) __builtin_trap();
  if (images::checkSignature(path, good, {kKeys[0]}, kNow).empty()) __builtin_trap();
  if (images::checkSignature(path, good, kKeys, exp + 1).empty()) __builtin_trap();
  if (images::checkSignature(path, good + "&x=1", kKeys, kNow).empty()) __builtin_trap();
  std::string longer = std::string(path) + "x";
  if (images::checkSignature(longer, good, kKeys, kNow).empty()) __builtin_trap();
  std::string forever = images::signPath(path, kKeys[0], std::nullopt);
  if (!images::checkSignature(path, forever, kKeys, kNow + (int64_t{1} << 40)).empty()) {
    __builtin_trap();
  }
  return 0;
}
