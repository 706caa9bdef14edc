#include "http/deadlines.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace nubis::http {
namespace asio = boost::asio;

asio::awaitable<void> Deadlines::run() {
  // The timer lives in this frame, not in the object: the frame dies with the io_context, and
  // Deadlines itself must outlive the sessions that the context destroys.
  asio::steady_timer timer(co_await asio::this_coro::executor);
  auto next = std::chrono::steady_clock::now();
  for (;;) {
    next += tick_;
    timer.expires_at(next);
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    ++now_;
    expire();
  }
}

void Deadlines::expire() {
  for (auto& e : entries_) {
    if (e.deadline > now_) continue;
    e.deadline = kNever;
    // Closing cancels the pending read or write, which completes with operation_aborted and
    // ends the session; the session removes its entry itself.
    boost::system::error_code ignored;
    e.socket->close(ignored);
  }
}

}  // namespace nubis::http
