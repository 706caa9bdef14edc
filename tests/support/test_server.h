// TestServer: boots the real App in-process on 127.0.0.1:0 (both listeners) over a fresh temp
// data dir, with a FakeClock and a SeededRandom, and talks HTTP/1.1 to it.
//
//   nubis::testing::TestServer srv;              // rate limits off, no trusted proxies
//   auto r = srv.call("GET", "/user/tokens/verify", srv.boot().api_token);
//   EXPECT_EQ(r.status, 200);
//
// HttpConnection is a small blocking client over Boost.Asio/Beast: one TCP connection, kept alive
// across requests (reconnects when the server closed it), plus raw-byte send/read for transport
// tests. Every read has a timeout, so a misbehaving server fails a test instead of hanging it.
//
// Thread-safety: a TestServer may be used from several threads only through separate
// HttpConnections; TestServer::request/call use one shared connection guarded by a mutex.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/app.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/random.h"

namespace nubis::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;
using namespace std::chrono_literals;

// 2026-01-01T00:00:00Z, where every TestServer's FakeClock starts unless told otherwise.
inline constexpr int64_t kStartMicros = 1767225600LL * 1000000;
inline constexpr int64_t kSecond = 1000000;

struct Response {
  unsigned status = 0;
  bool keep_alive = false;
  boost::beast::http::fields headers;
  std::string body;
  boost::json::value json;  // null unless the body parsed as JSON
  std::string transport_error;  // set (and status 0) when no response arrived

  bool hasHeader(std::string_view name) const;
  std::string header(std::string_view name) const;  // "" when absent
  bool success() const;                             // json.success == true
  const boost::json::value& result() const;         // json.result (null when absent)
  std::vector<int64_t> errorCodes() const;          // json.errors[].code in order
  int64_t errorCode() const;                        // first code, or -1
  std::string errorMessage() const;                 // first message, or ""
  // Status, first error and a body excerpt: for assertion messages.
  std::string describe() const;
};

// One blocking HTTP/1.1 connection.
class HttpConnection {
 public:
  explicit HttpConnection(uint16_t port, std::string host = "127.0.0.1",
                          std::string bind_address = "");
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Sends a request and reads its response. Adds Host, and Content-Length when there is a body
  // (or the method is POST/PUT/PATCH). Reconnects first when not connected. On a transport
  // failure (refused, reset, timeout) returns a Response with status 0 and `error` set.
  Response request(std::string_view method, std::string_view target, const Headers& headers = {},
                   std::string_view body = {});

  // Raw access, for transport tests.
  bool connect();  // false when refused
  bool connected() const { return socket_ != nullptr; }
  bool send(std::string_view bytes);
  // Reads one response off the connection (pipelining-safe: keeps unread bytes buffered).
  std::optional<Response> readResponse(std::chrono::milliseconds timeout = 5000ms);
  // Waits for the peer to close (EOF or reset). Discards any bytes that arrive meanwhile and
  // reports whether any did via `*extra_bytes`. False on timeout.
  bool waitClosed(std::chrono::milliseconds timeout = 3000ms, size_t* extra_bytes = nullptr);
  void close();

  size_t connectCount() const { return connects_; }
  const std::string& lastError() const { return error_; }
  uint16_t localPort() const;

 private:
  boost::asio::io_context ioc_;
  std::unique_ptr<boost::asio::ip::tcp::socket> socket_;
  boost::beast::flat_buffer buffer_;
  uint16_t port_;
  std::string host_, bind_address_, error_;
  size_t connects_ = 0;
};

// Logger that keeps every line (the access log is off by default; errors still arrive here).
class RecordingLogger final : public Logger {
 public:
  void write(std::string_view json_line) override;
  std::vector<std::string> lines() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
};

struct Bootstrap {
  std::string email, password, global_api_key, api_token, api_token_id, user_id, account_id,
      account_hash;
};

struct TestServerOptions {
  // Off by default: every test's requests happen in one fake second, which the per-IP limit
  // (200/s) would otherwise cut short. rate_limit_test turns it on.
  bool rate_limit = false;
  std::string trusted_proxies;
  std::string public_url;  // Config::public_url (empty: derived from the listener)
  // The JSON access log, into log() (off: tests that scan it turn it on).
  bool access_log = false;
  std::string host = "127.0.0.1";  // "::1" for an IPv6 listener
  int64_t start_micros = kStartMicros;
  uint64_t seed = 0x5eed;
  size_t io_threads = 2;
  http::HttpLimits http;
  int64_t image_allowance = 100000;
};

class TestServer {
 public:
  TestServer() : TestServer(TestServerOptions{}) {}
  explicit TestServer(TestServerOptions options);
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  const Bootstrap& boot() const { return boot_; }
  uint16_t port() const { return port_; }
  const std::string& host() const { return options_.host; }
  FakeClock& clock() { return clock_; }
  app::App& app() { return *app_; }
  RecordingLogger& log() { return log_; }
  const std::string& dataDir() const { return dir_; }
  void drain() { app_->drain(); }

  // A new connection to the API listener.
  std::unique_ptr<HttpConnection> connect(std::string bind_address = "") const;

  // Full target ("/client/v4/...", "/healthz"), on the shared keep-alive connection.
  Response request(std::string_view method, std::string_view target, const Headers& headers = {},
                   std::string_view body = {});
  // `path` below /client/v4, with "Authorization: Bearer <token>" (when token is non-empty) and a
  // JSON body (when `body` is not null).
  Response call(std::string_view method, std::string_view path, std::string_view token,
                const boost::json::value& body = nullptr, Headers extra = {});

  // Sets the fake clock to `micros` since the epoch, or moves it by `micros`.
  void setTime(int64_t micros) { clock_.set(micros); }
  void advance(int64_t micros) { clock_.advance(micros); }

 private:
  TestServerOptions options_;
  std::string dir_;
  FakeClock clock_;
  SeededRandom rng_;
  RecordingLogger log_;
  std::unique_ptr<app::App> app_;
  Bootstrap boot_;
  uint16_t port_ = 0;
  std::mutex mu_;
  std::unique_ptr<HttpConnection> shared_;
};

// Parses a JSON body; null when it is not JSON.
boost::json::value parseJson(std::string_view text);

}  // namespace nubis::testing
