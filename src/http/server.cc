#include "http/server.h"

#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/socket_base.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "http/session.h"

namespace nubis::http {
namespace asio = boost::asio;
using asio::ip::tcp;

struct Server::Acceptor {
  Acceptor(asio::io_context& ctx, Handler& h) : acceptor(ctx), handler(h) {}
  tcp::acceptor acceptor;
  Handler& handler;
};

namespace {

using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

asio::awaitable<void> acceptLoop(tcp::acceptor& acceptor, Handler& handler,
                                 const HttpLimits& limits,
                                 std::shared_ptr<ConnectionRegistry> registry, Deadlines& deadlines,
                                 Logger& log) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      // Out of descriptors or similar: back off briefly instead of spinning.
      asio::steady_timer t(acceptor.get_executor(), std::chrono::milliseconds(50));
      co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    if (registry->draining || registry->size() >= limits.max_connections) {
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    asio::co_spawn(acceptor.get_executor(),
                   runSession(std::move(socket), handler, limits, registry, deadlines, log), asio::detached);
  }
}

}  // namespace

Server::Server(size_t io_threads, HttpLimits limits, Logger& log)
    : limits_(limits), log_(log), registry_(std::make_shared<ConnectionRegistry>()) {
  if (io_threads == 0) io_threads = 1;
  for (size_t i = 0; i < io_threads; ++i) {
    contexts_.push_back(std::make_unique<asio::io_context>(1));
    deadlines_.push_back(std::make_unique<Deadlines>());
    asio::co_spawn(*contexts_.back(), deadlines_.back()->run(), asio::detached);
  }
}

Server::~Server() { stop(); }

Result<tcp::endpoint> Server::listen(const std::string& host, uint16_t port, Handler& handler) {
  boost::system::error_code ec;
  std::string h = host == "localhost" ? "127.0.0.1" : host;
  auto addr = asio::ip::make_address(h, ec);
  if (ec) return ApiError::internal("invalid listen address: " + host);
  tcp::endpoint ep(addr, port);
  for (size_t i = 0; i < contexts_.size(); ++i) {
    auto& ctx = contexts_[i];
    auto acc = std::make_unique<Acceptor>(*ctx, handler);
    acc->acceptor.open(ep.protocol(), ec);
    if (!ec) acc->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acc->acceptor.set_option(ReusePort(true), ec);
    if (!ec) acc->acceptor.bind(ep, ec);
    if (!ec) acc->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return ApiError::internal("cannot listen on " + host + ":" + std::to_string(ep.port()) +
                                      ": " + ec.message());
    // Port 0: every further acceptor joins the port the first one got.
    ep = acc->acceptor.local_endpoint();
    asio::co_spawn(*ctx, acceptLoop(acc->acceptor, handler, limits_, registry_, *deadlines_[i], log_),
                   asio::detached);
    acceptors_.push_back(std::move(acc));
  }
  return ep;
}

void Server::start() {
  for (auto& ctx : contexts_) {
    threads_.emplace_back([c = ctx.get()] {
      auto guard = asio::make_work_guard(*c);
      c->run();
    });
  }
}

void Server::drain() {
  registry_->draining = true;
  for (auto& acc : acceptors_) {
    asio::post(acc->acceptor.get_executor(), [a = acc.get()] {
      boost::system::error_code ignored;
      a->acceptor.close(ignored);
    });
  }
  registry_->closeIdle();
}

size_t Server::openConnections() const { return registry_->size(); }

void Server::stop() {
  if (stopped_.exchange(true)) return;
  for (auto& ctx : contexts_) ctx->stop();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

}  // namespace nubis::http
