#include "http/session.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <array>
#include <iterator>
#include <limits>
#include <string>

#include "http/deadlines.h"
#include "http/framing.h"

namespace nubis::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::as_tuple;
using asio::use_awaitable;

uint64_t ConnectionRegistry::add(std::function<void()> close_if_idle) {
  std::lock_guard lock(mu_);
  uint64_t id = next_++;
  entries_.emplace(id, std::move(close_if_idle));
  return id;
}

void ConnectionRegistry::remove(uint64_t id) {
  std::lock_guard lock(mu_);
  entries_.erase(id);
}

void ConnectionRegistry::closeIdle() {
  std::lock_guard lock(mu_);
  for (auto& [id, fn] : entries_) fn();
}

size_t ConnectionRegistry::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

namespace {

// Shared between the session coroutine and the drain path; only touched on the session's own
// single-threaded io_context.
struct SessionState {
  asio::ip::tcp::socket* socket = nullptr;
  bool idle = true;
};

struct Deregister {
  std::shared_ptr<ConnectionRegistry> registry;
  uint64_t id;
  Deadlines& deadlines;
  Deadlines::Handle deadline;
  ~Deregister() {
    registry->remove(id);
    deadlines.remove(deadline);
  }
};

bool isParseError(const boost::system::error_code& ec) {
  return ec.category() == beast::http::make_error_code(beast::http::error::bad_method).category() &&
         ec != beast::http::error::end_of_stream && ec != beast::http::error::partial_message;
}

asio::awaitable<void> sendAndClose(asio::ip::tcp::socket& stream, Response res,
                                   const HttpLimits& limits, Deadlines& deadlines,
                                   Deadlines::Handle deadline) {
  res.keep_alive(false);
  res.prepare_payload();
  deadlines.arm(deadline, limits.write_timeout);
  auto [wec, wn] = co_await bhttp::async_write(stream, res, as_tuple(use_awaitable));
  if (wec) co_return;
  // Lingering close: closing with unread bytes in the socket makes the kernel send a reset,
  // which can destroy the answer before the client reads it (a client uploading a body too
  // large gets EPIPE instead of the 413). Half-close, then read and drop, bounded.
  boost::system::error_code ec;
  stream.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  deadlines.arm(deadline, limits.linger_timeout);
  std::array<char, 16 * 1024> scratch;
  uint64_t dropped = 0;
  while (dropped < limits.linger_bytes) {
    auto [rec, rn] = co_await stream.async_read_some(asio::buffer(scratch), as_tuple(use_awaitable));
    if (rec) break;
    dropped += rn;
  }
}

}  // namespace

asio::awaitable<void> runSession(asio::ip::tcp::socket socket, Handler& handler,
                                 const HttpLimits& limits,
                                 std::shared_ptr<ConnectionRegistry> registry, Deadlines& deadlines,
                                 Logger& log) {
  asio::ip::tcp::socket stream(std::move(socket));
  ConnInfo info;
  boost::system::error_code ec;
  auto remote = stream.remote_endpoint(ec);
  if (ec) co_return;
  info.peer = remote.address();
  info.peer_port = remote.port();

  auto state = std::make_shared<SessionState>();
  state->socket = &stream;
  auto ex = co_await asio::this_coro::executor;
  Deregister dereg{registry, registry->add([state, ex] {
                     asio::post(ex, [state] {
                       if (state->idle && state->socket) {
                         boost::system::error_code ignored;
                         state->socket->close(ignored);
                       }
                     });
                   }),
                   deadlines, deadlines.add(stream)};
  const Deadlines::Handle deadline = dereg.deadline;
  auto arm = [&](std::chrono::milliseconds t) { deadlines.arm(deadline, t); };

  beast::flat_buffer buffer;
  for (;;) {
    state->idle = true;
    if (registry->draining) break;
    if (buffer.size() == 0) {
      // Waiting for the next request on a kept-alive connection.
      arm(limits.idle_timeout);
      auto [rec, n] = co_await stream.async_read_some(buffer.prepare(8192), as_tuple(use_awaitable));
      if (rec) break;
      buffer.commit(n);
    }
    state->idle = false;

    bhttp::request_parser<bhttp::empty_body> head;
    head.header_limit(static_cast<std::uint32_t>(limits.header_limit_bytes));
    // The body limit is the route's, applied below; Beast's 1 MiB default must not pre-empt it.
    head.body_limit(std::numeric_limits<std::uint64_t>::max());
    arm(limits.header_timeout);
    auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, head, as_tuple(use_awaitable));
    if (hec) {
      if (hec == bhttp::error::header_limit) {
        co_await sendAndClose(stream, handler.transportError(431, "request header too large", ""),
                              limits, deadlines, deadline);
      } else if (isParseError(hec)) {
        co_await sendAndClose(
            stream, handler.transportError(400, "malformed HTTP request: " + hec.message(), ""),
            limits, deadlines, deadline);
      }
      break;
    }
    const RequestHeader& h = head.get();
    std::string target(h.target());
    // Beast bounds what it scans per read; bytes already buffered can carry a longer header.
    if (hn > limits.header_limit_bytes) {
      co_await sendAndClose(stream, handler.transportError(431, "request header too large", target),
                            limits, deadlines, deadline);
      break;
    }
    if (static_cast<size_t>(std::distance(h.begin(), h.end())) > limits.max_header_count) {
      co_await sendAndClose(stream, handler.transportError(431, "too many header fields", target),
                            limits, deadlines, deadline);
      break;
    }
    if (const char* problem = framingProblem(h)) {
      co_await sendAndClose(stream, handler.transportError(400, problem, target), limits, deadlines, deadline);
      break;
    }
    // Only requests that carry a body need the route's limit (saves a route lookup per GET).
    const bool has_body = h.count(bhttp::field::content_length) > 0 ||
                          h.count(bhttp::field::transfer_encoding) > 0;
    uint64_t limit = has_body ? handler.bodyLimit(h) : 0;
    if (head.content_length() && *head.content_length() > limit) {
      co_await sendAndClose(stream, handler.transportError(413, "request body too large", target),
                            limits, deadlines, deadline);
      break;
    }
    if (h[bhttp::field::expect] == "100-continue" && !head.is_done()) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      arm(limits.write_timeout);
      auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(kContinue),
                                                  as_tuple(use_awaitable));
      if (wec) break;
    }

    bhttp::request_parser<bhttp::string_body> parser(std::move(head));
    parser.body_limit(limit);
    if (!parser.is_done()) {
      arm(limits.body_timeout);
      auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser, as_tuple(use_awaitable));
      if (bec) {
        if (bec == bhttp::error::body_limit) {
          co_await sendAndClose(stream,
                                handler.transportError(413, "request body too large", target),
                                limits, deadlines, deadline);
        } else if (isParseError(bec)) {
          co_await sendAndClose(
              stream, handler.transportError(400, "malformed request body: " + bec.message(), target),
              limits, deadlines, deadline);
        }
        break;
      }
    }

    // The handler's own time is not the client's: no deadline while it runs.
    deadlines.disarm(deadline);
    Request req = parser.release();
    bool keep_alive = req.keep_alive();
    Response res;
    try {
      res = co_await handler.handle(req, info);
    } catch (const std::exception& e) {
      log.error("handler_exception", e.what());
      res = handler.transportError(500, "internal error", target);
      keep_alive = false;
    }
    res.keep_alive(keep_alive && !registry->draining);
    if (req.method() == bhttp::verb::head) {
      // HEAD: the headers of the GET, Content-Length included, and no body.
      const auto length = res.body().size();
      res.body().clear();
      res.prepare_payload();
      res.content_length(length);
    } else {
      res.prepare_payload();
    }
    arm(limits.write_timeout);
    auto [wec, wn] = co_await bhttp::async_write(stream, res, as_tuple(use_awaitable));
    if (wec || !res.keep_alive()) break;
  }
  state->socket = nullptr;
  stream.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  stream.close(ec);
}

}  // namespace nubis::http
