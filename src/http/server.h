// Server: the Beast/Asio transport. One io_context per I/O thread; each listener binds one
// SO_REUSEPORT acceptor per thread so the kernel spreads connections without locks.
//
// Each connection is one coroutine (session.cc) that reads with per-phase timeouts and limits,
// refuses ambiguous framing (Content-Length with Transfer-Encoding, conflicting lengths) and
// closes, and supports keep-alive. drain() stops accepting, closes idle connections and lets
// in-flight requests finish with `Connection: close`.
//
// Thread-safety: listen() before start(); drain()/stop() from any thread.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/log.h"
#include "base/result.h"
#include "http/config.h"
#include "http/deadlines.h"
#include "http/types.h"

namespace nubis::http {

class ConnectionRegistry;

class Server {
 public:
  Server(size_t io_threads, HttpLimits limits, Logger& log);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds host:port (port 0 picks one) and serves it with `handler`. Returns the bound endpoint.
  Result<boost::asio::ip::tcp::endpoint> listen(const std::string& host, uint16_t port,
                                                Handler& handler);
  // Runs the I/O threads (returns at once).
  void start();
  // Stops accepting; idle keep-alive connections close; in-flight requests finish.
  void drain();
  // Number of open connections across listeners.
  size_t openConnections() const;
  // Stops every I/O thread and joins them.
  void stop();

  boost::asio::io_context& context(size_t i) { return *contexts_[i]; }
  size_t threads() const { return contexts_.size(); }

 private:
  struct Acceptor;
  HttpLimits limits_;
  Logger& log_;
  // Before contexts_: sessions destroyed with a context still deregister from their Deadlines.
  std::vector<std::unique_ptr<Deadlines>> deadlines_;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<std::unique_ptr<Acceptor>> acceptors_;
  std::vector<std::thread> threads_;
  std::shared_ptr<ConnectionRegistry> registry_;
  std::atomic<bool> stopped_{false};
};

}  // namespace nubis::http
