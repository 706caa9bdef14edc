// The transport's vocabulary: Beast request/response types and what a handler is told about
// the connection. Knows nothing about Cloudflare.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <string_view>

namespace nubis::http {

namespace bhttp = boost::beast::http;
using Request = bhttp::request<bhttp::string_body>;
using RequestHeader = bhttp::request_header<>;
using Response = bhttp::response<bhttp::string_body>;

struct ConnInfo {
  boost::asio::ip::address peer;
  uint16_t peer_port = 0;
};

// What a listener serves. Implementations must be safe to call from every I/O thread.
class Handler {
 public:
  virtual ~Handler() = default;
  // Largest body accepted for this request (chosen from the route); 0 refuses any body.
  virtual uint64_t bodyLimit(const RequestHeader& header) const = 0;
  // Answers one request. May suspend (e.g. to run blocking work on the worker pool).
  virtual boost::asio::awaitable<Response> handle(Request& req, const ConnInfo& conn) = 0;
  // The response for a request the transport refused before the handler saw it
  // (malformed, too large, smuggling attempt). `status` is 400, 413 or 431.
  virtual Response transportError(unsigned status, std::string_view reason,
                                  std::string_view target) const = 0;
};

}  // namespace nubis::http
