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
    // HTTP/1.0 has no chunked coding: a 1.0 peer would read the body differently (RFC 9112 §6.1).
    if (h.version() < 11) return "Transfer-Encoding in an HTTP/1.0 request";
  }
  // RFC 9112 §3.2: an HTTP/1.1 request carries exactly one valid Host.
  size_t hosts = h.count(bhttp::field::host);
  if (hosts > 1) return "more than one Host header";
  if (hosts == 0 && h.version() >= 11) return "missing Host header";
  if (hosts == 1) {
    std::string_view host = h[bhttp::field::host];
    for (char c : host) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                std::string_view("-._~!$&'()*+,;=:%[]").find(c) != std::string_view::npos;
      if (!ok) return "invalid Host header";
    }
  }
  return nullptr;
}

}  // namespace nubis::http
