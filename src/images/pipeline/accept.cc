#include "images/pipeline/accept.h"

#include <cctype>
#include <string>

namespace nubis::images::pipeline {
namespace {

std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

std::string lower(std::string_view v) {
  std::string out;
  for (char c : v) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// RFC 9110 qvalue: "0", "0.", "0.0" ... "0.000" all mean "not acceptable".
bool isZeroQ(std::string_view q) {
  if (q.empty() || q[0] != '0') return false;
  if (q.size() == 1) return true;
  if (q[1] != '.') return false;
  for (char c : q.substr(2)) {
    if (c != '0') return false;
  }
  return true;
}

}  // namespace

Accept parseAccept(std::string_view header) {
  Accept accept;
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view range = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);

    size_t semi = range.find(';');
    std::string type = lower(trim(range.substr(0, semi)));
    bool refused = false;
    while (semi != std::string_view::npos) {
      std::string_view params = range.substr(semi + 1);
      semi = params.find(';');
      std::string_view param = trim(params.substr(0, semi));
      range = params;
      size_t eq = param.find('=');
      if (eq != std::string_view::npos && lower(trim(param.substr(0, eq))) == "q") {
        refused = isZeroQ(trim(param.substr(eq + 1)));
      }
      if (semi == std::string_view::npos) break;
    }
    if (refused) continue;
    if (type == "image/avif") accept.avif = true;
    if (type == "image/webp") accept.webp = true;
  }
  return accept;
}

}  // namespace nubis::images::pipeline
