#include "images/fetch/test_origin.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <utility>

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>

namespace nubis::images {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

const tcp::endpoint kLoopback(asio::ip::make_address_v4("127.0.0.1"), 0);

}  // namespace

TestOrigin::TestOrigin() : acceptor_(io_, kLoopback) {
  port_ = acceptor_.local_endpoint().port();
  thread_ = std::thread([this] { serve(); });
}

TestOrigin::TestOrigin(std::string cert_pem, std::string key_pem)
    : acceptor_(io_, kLoopback), cert_pem_(std::move(cert_pem)), key_pem_(std::move(key_pem)) {
  port_ = acceptor_.local_endpoint().port();
  thread_ = std::thread([this] { serve(); });
}

TestOrigin::~TestOrigin() {
  stopping_ = true;
  // Wake the blocking accept() with one last connection.
  boost::system::error_code ec;
  tcp::socket wake(io_);
  wake.connect(tcp::endpoint(kLoopback.address(), port_), ec);
  thread_.join();
}

std::string TestOrigin::url(std::string_view path) const {
  return (cert_pem_.empty() ? "http://127.0.0.1:" : "https://127.0.0.1:") +
         std::to_string(port_) + std::string(path);
}

void TestOrigin::route(const std::string& target, std::string raw, std::chrono::milliseconds drip) {
  std::lock_guard lock(mutex_);
  routes_[target] = Route{std::move(raw), drip};
}

std::vector<std::string> TestOrigin::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void TestOrigin::serve() {
  while (true) {
    tcp::socket socket(io_);
    boost::system::error_code ec;
    acceptor_.accept(socket, ec);
    if (stopping_) return;
    if (ec) continue;
    ++accepts_;
    handle(socket);
  }
}

void TestOrigin::handle(tcp::socket& socket) {
  // A client that never sends must not wedge the origin for the next test.
  timeval tv{2, 0};
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  boost::system::error_code ec;
  if (cert_pem_.empty()) {
    exchange(socket);
  } else {
    asio::ssl::context ctx(asio::ssl::context::tls_server);
    ctx.use_certificate_chain(asio::buffer(cert_pem_));
    ctx.use_private_key(asio::buffer(key_pem_), asio::ssl::context::pem);
    asio::ssl::stream<tcp::socket&> tls(socket, ctx);
    tls.handshake(asio::ssl::stream_base::server, ec);
    if (!ec) exchange(tls);
  }
  socket.shutdown(tcp::socket::shutdown_both, ec);
}

template <class Stream>
void TestOrigin::exchange(Stream& socket) {
  std::string head;
  char buf[4096];
  boost::system::error_code ec;
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < 64 * 1024) {
    size_t n = socket.read_some(asio::buffer(buf), ec);
    if (ec) return;
    head.append(buf, n);
  }
  head = head.substr(0, head.find("\r\n\r\n"));
  size_t sp1 = head.find(' ');
  size_t sp2 = head.find(' ', sp1 + 1);
  std::string target = sp1 == std::string::npos ? "" : head.substr(sp1 + 1, sp2 - sp1 - 1);

  Route route{statusResponse(404), std::chrono::milliseconds(0)};
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(head);
    if (auto it = routes_.find(target); it != routes_.end()) route = it->second;
  }
  if (route.drip.count() == 0) {
    asio::write(socket, asio::buffer(route.raw), ec);
  } else {
    for (char c : route.raw) {
      asio::write(socket, asio::buffer(&c, 1), ec);
      if (ec || stopping_) break;
      std::this_thread::sleep_for(route.drip);
    }
  }
}

std::string okResponse(std::string_view body, std::string_view content_type) {
  return "HTTP/1.1 200 OK\r\nContent-Type: " + std::string(content_type) +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

std::string redirectResponse(int status, std::string_view location) {
  return "HTTP/1.1 " + std::to_string(status) + " Moved\r\nLocation: " + std::string(location) +
         "\r\nContent-Length: 0\r\n\r\n";
}

std::string statusResponse(int status) {
  return "HTTP/1.1 " + std::to_string(status) + " Nope\r\nContent-Type: text/plain\r\n" +
         "Content-Length: 4\r\n\r\nnope";
}

}  // namespace nubis::images
