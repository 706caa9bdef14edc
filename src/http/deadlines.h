// Deadlines: coarse per-thread socket timeouts. One timer per io_context ticks every `tick`
// and closes the sockets whose deadline has passed; a session arms its deadline before each read
// or write and disarms it while its handler runs. This replaces beast::tcp_stream's timer per
// operation, which cost a timerfd_settime system call on most requests (nginx does the same:
// one timer tree per worker, no kernel timer per read). Precision is one tick, which is plenty
// for slowloris guards measured in seconds.
//
// Not thread-safe by design: a Deadlines object belongs to one io_context, which runs on one
// thread, and is only touched by coroutines running there.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <list>

namespace nubis::http {

class Deadlines {
 public:
  struct Entry {
    boost::asio::ip::tcp::socket* socket;
    uint64_t deadline;  // in ticks; kNever when disarmed
  };
  using Handle = std::list<Entry>::iterator;
  static constexpr uint64_t kNever = UINT64_MAX;

  explicit Deadlines(std::chrono::milliseconds tick = std::chrono::milliseconds(250))
      : tick_(tick) {}

  Handle add(boost::asio::ip::tcp::socket& socket) {
    entries_.push_front(Entry{&socket, kNever});
    return entries_.begin();
  }
  void remove(Handle h) { entries_.erase(h); }
  // The socket closes once `timeout` has passed (rounded up to whole ticks, plus one so that a
  // deadline armed just before a tick still gets its full time).
  void arm(Handle h, std::chrono::milliseconds timeout) {
    h->deadline = now_ + static_cast<uint64_t>((timeout + tick_ - std::chrono::milliseconds(1)) /
                                               tick_) +
                  1;
  }
  void disarm(Handle h) { h->deadline = kNever; }
  size_t size() const { return entries_.size(); }

  // The ticking loop; co_spawn it once on the owning io_context. It ends when the context stops.
  boost::asio::awaitable<void> run();

 private:
  void expire();

  std::chrono::milliseconds tick_;
  uint64_t now_ = 0;
  std::list<Entry> entries_;
};

}  // namespace nubis::http
