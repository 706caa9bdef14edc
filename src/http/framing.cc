#include "http/framing.h"

#include <string_view>

namespace nubis::http {

const char* framingProblem(const RequestHeader& h) {
  size_t cl = h.count(bhttp::field::content_length);
  size_t te = h.count(bhttp::field::transfer_encoding);
  if (cl > 0 && te > 0) return "Content-Length and Transfer-Encoding together";
  if (cl > 1) return "more than one Content-Length";
  if (te > 1) return "more than one Transfer-Encoding";
  if (te == 1) {
    std::string_view v = h[bhttp::field::transfer_encoding];
    if (v != "chunked") return "unsupported Transfer-Encoding";
  }
  return nullptr;
}

}  // namespace nubis::http
