// Fuzz target http1_request (RELIABILITY.md R3): the HTTP/1.1 read path of src/http/session.cc,
// in memory. The input is the byte stream a client sends on one connection (seeds are plain
// requests, so the corpus doubles as raw-request material for R1).
//
// Each input is served twice, the way runSession reads it (keep this in step with session.cc):
// request_parser<empty_body> with our header limit and no body limit (eager off, as
// async_read_header does); the header-size check on the bytes the parser consumed, the
// header-count and framing checks (http/framing.h) and the route body limit; then
// request_parser<string_body> moved from the header parser (eager on, as async_read does); then
// parseTarget and parseCredentials on what the handler would see; up to kMaxRequests pipelined
// requests while keep-alive holds. Pass one delivers the bytes in one read, pass two in small
// reads (size chosen from the input), exercising Beast's need_more path. Beyond ASan/UBSan the
// target traps when:
//  - a body longer than the route limit, or not matching Content-Length, reaches the handler, or
//    a request without Content-Length/Transfer-Encoding carries a body (smuggling shapes);
//  - a header longer than the limit reaches the handler;
//  - the two passes disagree on the requests handed to the handler, or on a decision our own
//    code makes after a complete header (framing, body limit, header count, keep-alive).
//    Refusals before that point are one class: how Beast refuses bad or truncated bytes depends
//    on how they arrive (read whole, a bad field line is reported at once; in pieces, Beast
//    waits for the end of the header, so the same bytes get 400, or 431, or a close at EOF), and
//    Beast's header_limit does not count the request line when the header arrives in one read,
//    which session.cc's own size check then refuses.
#include <algorithm>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "api/credentials.h"
#include "api/query.h"
#include "http/config.h"
#include "http/framing.h"
#include "http/types.h"

namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::system::error_code;

// The largest route body limit that takes JSON (token create/update: 64 KiB).
constexpr uint64_t kRouteBodyLimit = 64 * 1024;
// Pipelined requests served per input.
constexpr int kMaxRequests = 4;

// The client side of the connection: hands out the input `first` bytes on the first read_some,
// then `chunk` bytes per read_some.
class Wire {
 public:
  Wire(std::string_view bytes, size_t first, size_t chunk)
      : rest_(bytes), first_(first), chunk_(chunk) {}
  // Appends the next piece to `buf`; false at end of stream.
  bool read(beast::flat_buffer& buf) {
    if (rest_.empty()) return false;
    size_t n = std::min(rest_.size(), reads_++ == 0 ? first_ : chunk_);
    auto mb = buf.prepare(n);
    std::memcpy(mb.data(), rest_.data(), n);
    buf.commit(n);
    rest_.remove_prefix(n);
    return true;
  }

 private:
  std::string_view rest_;
  size_t first_;
  size_t chunk_;
  size_t reads_ = 0;
};

// As http::read_some (beast/http/impl/read.hpp): parse what is buffered, read more on need_more;
// at end of stream the parser decides (put_eof) once it has seen anything. `consumed` counts the
// bytes the parser took, as the bytes_transferred of Beast's reads.
error_code readSome(Wire& wire, beast::flat_buffer& buf, bhttp::basic_parser<true>& p,
                    size_t& consumed) {
  error_code ec;
  for (;;) {
    if (buf.size() > 0) {
      size_t used = p.put(buf.data(), ec);
      buf.consume(used);
      consumed += used;
      if (ec != bhttp::error::need_more) return ec;
    }
    if (!wire.read(buf)) {
      if (!p.got_some()) return bhttp::error::end_of_stream;
      ec = {};
      p.put_eof(ec);
      return ec;
    }
  }
}

// As http::read_header / http::read: read_some until the condition holds or an error.
template <class Done>
error_code readUntil(Wire& wire, beast::flat_buffer& buf, bhttp::basic_parser<true>& p, Done done,
                     size_t& consumed) {
  error_code ec;
  consumed = 0;
  while (!done(p)) {
    ec = readSome(wire, buf, p, consumed);
    if (ec) break;
  }
  return ec;
}

// session.cc's isParseError.
bool isParseError(const error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

// What session.cc answers when Beast's read fails.
std::string refusal(const char* stage, const error_code& ec) {
  if (ec == bhttp::error::header_limit) return std::string(stage) + ": 431";
  if (ec == bhttp::error::body_limit && std::string_view(stage) == "body") return "body: 413";
  if (isParseError(ec)) return std::string(stage) + ": 400 " + ec.message();
  return std::string(stage) + ": closed (" + ec.message() + ")";
}

// Every refusal or close before a complete request within the limits (see the top comment).
constexpr const char* kReadRefused = "refused or closed while reading";

// What the handler sees, in a form two passes can compare.
std::string dump(const nubis::http::Request& req) {
  std::string out(req.method_string());
  out += ' ';
  out += req.target();
  out += ' ';
  out += std::to_string(req.version());
  out += '\n';
  for (const auto& f : req) {
    out += f.name_string();
    out += ": ";
    out += f.value();
    out += '\n';
  }
  out += '\n';
  out += req.body();
  return out;
}

// What the request goes through after the transport (dispatcher.cc): target, then credentials.
void handle(const nubis::http::Request& req) {
  if (auto t = nubis::api::parseTarget(req.target())) {
    // The router matches segments; a trailing empty one is dropped ("/zones/" is "/zones").
    if (!t->segments.empty() && t->segments.back().empty()) __builtin_trap();
  }
  auto cred = nubis::api::parseCredentials(req);
  if (cred) {
    if (const auto* bearer = std::get_if<nubis::api::BearerToken>(&*cred)) {
      if (!nubis::api::isB64Token(bearer->secret)) __builtin_trap();
    }
  }
}

struct Outcome {
  std::vector<std::string> requests;  // dump() of every request the handler received
  std::string end;                    // how the connection ended (compared)
  std::string detail;                 // Beast's reason, when Beast refused (not compared)
  bool operator==(const Outcome& o) const { return requests == o.requests && end == o.end; }
};

Outcome serve(std::string_view bytes, size_t first, size_t chunk, bool run_handler) {
  const nubis::http::HttpLimits limits;
  Wire wire(bytes, first, chunk);
  beast::flat_buffer buffer;
  Outcome out;
  for (int n = 0; n < kMaxRequests; ++n) {
    if (buffer.size() == 0 && !wire.read(buffer)) {
      out.end = "closed";
      return out;
    }

    bhttp::request_parser<bhttp::empty_body> head;
    head.header_limit(static_cast<std::uint32_t>(limits.header_limit_bytes));
    head.body_limit(std::numeric_limits<std::uint64_t>::max());
    head.eager(false);
    size_t header_bytes = 0;
    error_code ec = readUntil(
        wire, buffer, head, [](const auto& p) { return p.is_header_done(); }, header_bytes);
    if (ec) {
      out.end = kReadRefused;
      out.detail = refusal("header", ec);
      return out;
    }
    const nubis::http::RequestHeader& h = head.get();
    if (header_bytes > limits.header_limit_bytes) {
      out.end = kReadRefused;
      out.detail = "431 request header too large (session.cc size check)";
      return out;
    }
    if (static_cast<size_t>(std::distance(h.begin(), h.end())) > limits.max_header_count) {
      out.end = "431 too many header fields";
      return out;
    }
    if (const char* problem = nubis::http::framingProblem(h)) {
      out.end = std::string("400 ") + problem;
      return out;
    }
    const bool has_cl = h.count(bhttp::field::content_length) > 0;
    const bool has_body = has_cl || h.count(bhttp::field::transfer_encoding) > 0;
    const uint64_t limit = has_body ? kRouteBodyLimit : 0;
    if (head.content_length() && *head.content_length() > limit) {
      out.end = "413 content-length";
      return out;
    }
    const auto declared = head.content_length();

    bhttp::request_parser<bhttp::string_body> parser(std::move(head));
    parser.body_limit(limit);
    if (!parser.is_done()) {
      parser.eager(true);
      size_t body_bytes = 0;
      ec = readUntil(
          wire, buffer, parser, [](const auto& p) { return p.is_done(); }, body_bytes);
      if (ec) {
        out.end = kReadRefused;
        out.detail = refusal("body", ec);
        return out;
      }
    }
    nubis::http::Request req = parser.release();

    // The transport's promises to the handler.
    if (req.body().size() > limit) __builtin_trap();
    if (!has_body && !req.body().empty()) __builtin_trap();
    if (has_cl && (!declared || req.body().size() != *declared)) __builtin_trap();
    if (header_bytes > limits.header_limit_bytes) __builtin_trap();

    out.requests.push_back(dump(req));
    if (run_handler) handle(req);
    if (!req.keep_alive()) {
      out.end = "closed after response";
      return out;
    }
  }
  out.end = "request limit";
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  Outcome whole = serve(bytes, size + 1, size + 1, true);
  // Small reads: 1..16 bytes, picked from the size so every input keeps its plain-request form.
  Outcome pieces = serve(bytes, 1 + size % 16, 1 + size % 16, false);
  if (!(whole == pieces)) __builtin_trap();
  // As the session reads a new connection: 8 KiB first (its idle read), then up to 64 KiB.
  if (size > 8192) {
    Outcome session = serve(bytes, 8192, 65536, false);
    if (!(whole == session)) __builtin_trap();
  }
  return 0;
}
