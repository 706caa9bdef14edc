// One HTTP/1.1 connection as a coroutine; see server.h for the contract.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "base/log.h"
#include "http/config.h"
#include "http/deadlines.h"
#include "http/types.h"

namespace nubis::http {

// Tracks live connections so drain() can close idle ones. Each entry's close function is
// posted to the connection's own io_context, so no socket is touched from a foreign thread.
class ConnectionRegistry {
 public:
  uint64_t add(std::function<void()> close_if_idle);
  void remove(uint64_t id);
  void closeIdle();
  size_t size() const;
  std::atomic<bool> draining{false};

 private:
  mutable std::mutex mu_;
  uint64_t next_ = 1;
  std::unordered_map<uint64_t, std::function<void()>> entries_;
};

boost::asio::awaitable<void> runSession(boost::asio::ip::tcp::socket socket, Handler& handler,
                                        const HttpLimits& limits,
                                        std::shared_ptr<ConnectionRegistry> registry,
                                        Deadlines& deadlines, Logger& log);

}  // namespace nubis::http
