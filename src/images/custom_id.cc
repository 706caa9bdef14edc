#include "images/custom_id.h"

#include <array>
#include <cctype>

namespace nubis::images {
namespace {

bool validUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < n; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 0x2) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      return false;
    i += n;
  }
  return true;
}

// Extensions an image ID may end in; any other extension is "a non-image file name extension".
constexpr std::array<std::string_view, 11> kImageExtensions = {
    "jpg", "jpeg", "png", "gif", "webp", "svg", "avif", "heic", "heif", "jfif", "ico"};

}  // namespace

bool isUuid(std::string_view id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? id[i] != '-' : !std::isxdigit(static_cast<unsigned char>(id[i]))) return false;
  }
  return true;
}

std::string customIdProblem(std::string_view id) {
  if (id.empty()) return "Must not be empty";
  if (id.size() > 1024) return "Must be 1024 characters or less";
  if (!validUtf8(id)) return "Must be valid UTF-8";
  if (id.front() == '/' || id.back() == '/') return "Must not start or end with a slash";
  if (isUuid(id)) return "Must not be UUID";
  for (unsigned char c : id) {
    // Control characters, and the characters that would end the path of a delivery URL.
    if (c < 0x20 || c == 0x7F) return "Must not contain control characters";
    if (c == '?' || c == '#') return "Must not contain '?' or '#'";
    if (c == '\\') return "Must not contain a backslash";
  }
  if (id.find("//") != std::string_view::npos) return "Must not contain empty subpaths";
  // "." and ".." segments would be rewritten by any URL normaliser on the way to delivery.
  size_t start = 0;
  while (start <= id.size()) {
    size_t end = id.find('/', start);
    if (end == std::string_view::npos) end = id.size();
    std::string_view seg = id.substr(start, end - start);
    if (seg == "." || seg == "..") return "Must not contain '.' or '..' subpaths";
    start = end + 1;
  }
  size_t slash = id.rfind('/');
  std::string_view last = slash == std::string_view::npos ? id : id.substr(slash + 1);
  size_t dot = last.rfind('.');
  if (dot != std::string_view::npos && dot + 1 < last.size()) {
    std::string ext(last.substr(dot + 1));
    for (auto& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    bool image = false;
    for (auto e : kImageExtensions) image = image || ext == e;
    if (!image) return "Must not use a non-image file name extension";
  }
  return "";
}

}  // namespace nubis::images
