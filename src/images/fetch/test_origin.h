// TestOrigin: a tiny HTTP origin on 127.0.0.1 (port 0) for the fetch tests. It serves canned raw
// responses by request target, optionally one byte at a time (slow drip), counts accepted
// connections (the proof that a refused fetch never connected) and records each request head.
//
// Connections are served one at a time on the origin's own thread; a fetch is sequential, so
// that is enough and keeps the order of requests() exact. Given a certificate and key (PEM),
// it speaks https instead (a failed handshake is a connection that got nothing).
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace nubis::images {

class TestOrigin {
 public:
  TestOrigin();
  TestOrigin(std::string cert_pem, std::string key_pem);  // https
  ~TestOrigin();
  TestOrigin(const TestOrigin&) = delete;
  TestOrigin& operator=(const TestOrigin&) = delete;

  uint16_t port() const { return port_; }
  // "http://127.0.0.1:<port>" + path ("https://..." for an https origin)
  std::string url(std::string_view path) const;
  // `raw` is written as is for GET `target`; unknown targets get a 404.
  void route(const std::string& target, std::string raw,
             std::chrono::milliseconds drip = std::chrono::milliseconds(0));
  int accepts() const { return accepts_.load(); }
  // Request heads (request line and headers) in arrival order.
  std::vector<std::string> requests() const;

 private:
  struct Route {
    std::string raw;
    std::chrono::milliseconds drip;
  };
  void serve();
  void handle(boost::asio::ip::tcp::socket& socket);
  template <class Stream>
  void exchange(Stream& stream);

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  uint16_t port_ = 0;
  std::atomic<int> accepts_{0};
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::map<std::string, Route> routes_;  // guarded by mutex_
  std::vector<std::string> requests_;    // guarded by mutex_
  std::string cert_pem_, key_pem_;  // empty: plain http
  std::thread thread_;
};

// Raw responses for routes.
std::string okResponse(std::string_view body, std::string_view content_type = "image/png");
std::string redirectResponse(int status, std::string_view location);
std::string statusResponse(int status);

}  // namespace nubis::images
