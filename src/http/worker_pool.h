// WorkerPool: the bounded pool where blocking work (SQLite, hashing, file I/O) runs, so that
// I/O threads never block. A coroutine awaits run(f) and resumes on its own executor.
//
// Thread-safety: run() may be called from any thread. The queue is bounded: past
// `max_queue` waiting jobs run() throws PoolBusy, which the API turns into a 503 "busy".
#pragma once

#include <atomic>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace nubis::http {

struct PoolBusy : std::runtime_error {
  PoolBusy() : std::runtime_error("worker pool queue is full") {}
};

class WorkerPool {
 public:
  WorkerPool(size_t threads, size_t max_queue) : pool_(threads), max_queue_(max_queue) {}
  ~WorkerPool() { stop(); }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F&>> run(F f) {
    using R = std::invoke_result_t<F&>;
    if (queued_.fetch_add(1) >= max_queue_) {
      queued_.fetch_sub(1);
      throw PoolBusy();
    }
    std::optional<R> out;
    std::exception_ptr ep;
    co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void()>(
        [&](auto handler) {
          boost::asio::post(pool_, [&, handler = std::move(handler)]() mutable {
            queued_.fetch_sub(1);
            try {
              out.emplace(f());
            } catch (...) {
              ep = std::current_exception();
            }
            auto ex = boost::asio::get_associated_executor(handler);
            boost::asio::post(ex, std::move(handler));
          });
        },
        boost::asio::use_awaitable);
    if (ep) std::rethrow_exception(ep);
    co_return std::move(*out);
  }

  // Fire-and-forget background work (e.g. flushing last_used_on).
  template <class F>
  void post(F f) {
    boost::asio::post(pool_, std::move(f));
  }

  void stop() {
    pool_.stop();
    pool_.join();
  }

 private:
  boost::asio::thread_pool pool_;
  std::atomic<size_t> queued_{0};
  size_t max_queue_;
};

}  // namespace nubis::http
