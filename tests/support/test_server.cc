#include "test_server.h"

#include <stdlib.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <system_error>

namespace nubis::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace json = boost::json;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

// Starts one async operation through `start(handler)` and runs the io_context until it completes
// or `timeout` passes (then cancels it and reports timed_out).
template <class Start>
error_code runFor(asio::io_context& ioc, tcp::socket& socket, std::chrono::milliseconds timeout,
                  size_t* transferred, Start start) {
  error_code result = asio::error::would_block;
  bool done = false;
  ioc.restart();
  start([&](error_code ec, size_t n = 0) {
    result = ec;
    done = true;
    if (transferred) *transferred = n;
  });
  ioc.run_for(timeout);
  if (!done) {
    error_code ignored;
    socket.cancel(ignored);
    ioc.restart();
    ioc.run();
    return asio::error::timed_out;
  }
  return result;
}

}  // namespace

json::value parseJson(std::string_view text) {
  std::error_code ec;
  json::value v = json::parse(json::string_view(text.data(), text.size()), ec);
  return ec ? json::value(nullptr) : v;
}

// ---- Response ------------------------------------------------------------------------------

bool Response::hasHeader(std::string_view name) const { return headers.count(name) > 0; }

std::string Response::header(std::string_view name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : std::string(it->value());
}

bool Response::success() const {
  const json::object* o = json.if_object();
  if (!o) return false;
  const json::value* s = o->if_contains("success");
  return s && s->is_bool() && s->get_bool();
}

const json::value& Response::result() const {
  static const json::value kNull;
  const json::object* o = json.if_object();
  const json::value* r = o ? o->if_contains("result") : nullptr;
  return r ? *r : kNull;
}

std::vector<int64_t> Response::errorCodes() const {
  std::vector<int64_t> out;
  const json::object* o = json.if_object();
  const json::value* e = o ? o->if_contains("errors") : nullptr;
  if (!e || !e->is_array()) return out;
  for (const auto& item : e->get_array()) {
    const json::object* io = item.if_object();
    const json::value* c = io ? io->if_contains("code") : nullptr;
    out.push_back(c && c->is_int64() ? c->get_int64() : -1);
  }
  return out;
}

int64_t Response::errorCode() const {
  auto codes = errorCodes();
  return codes.empty() ? -1 : codes.front();
}

std::string Response::errorMessage() const {
  const json::object* o = json.if_object();
  const json::value* e = o ? o->if_contains("errors") : nullptr;
  if (!e || !e->is_array() || e->get_array().empty()) return "";
  const json::object* first = e->get_array()[0].if_object();
  const json::value* m = first ? first->if_contains("message") : nullptr;
  return m && m->is_string() ? std::string(m->get_string()) : "";
}

std::string Response::describe() const {
  if (status == 0) return "no response (" + transport_error + ")";
  std::string excerpt = body.size() > 400 ? body.substr(0, 400) + "..." : body;
  return "HTTP " + std::to_string(status) + " " + excerpt;
}

// ---- HttpConnection ------------------------------------------------------------------------

HttpConnection::HttpConnection(uint16_t port, std::string host, std::string bind_address)
    : port_(port), host_(std::move(host)), bind_address_(std::move(bind_address)) {}

HttpConnection::~HttpConnection() { close(); }

void HttpConnection::close() {
  if (socket_) {
    error_code ignored;
    socket_->shutdown(tcp::socket::shutdown_both, ignored);
    socket_->close(ignored);
    socket_.reset();
  }
  buffer_.clear();
}

uint16_t HttpConnection::localPort() const {
  if (!socket_) return 0;
  error_code ec;
  auto ep = socket_->local_endpoint(ec);
  return ec ? 0 : ep.port();
}

bool HttpConnection::connect() {
  close();
  error_.clear();
  error_code ec;
  auto addr = asio::ip::make_address(host_, ec);
  if (ec) {
    error_ = "bad host " + host_;
    return false;
  }
  tcp::endpoint ep(addr, port_);
  auto sock = std::make_unique<tcp::socket>(ioc_);
  sock->open(ep.protocol(), ec);
  if (!ec && !bind_address_.empty())
    sock->bind(tcp::endpoint(asio::ip::make_address(bind_address_), 0), ec);
  if (!ec)
    ec = runFor(ioc_, *sock, 5000ms, nullptr,
                [&](auto handler) { sock->async_connect(ep, [handler](error_code e) mutable { handler(e); }); });
  if (ec) {
    error_ = "connect: " + ec.message();
    return false;
  }
  sock->set_option(tcp::no_delay(true), ec);
  socket_ = std::move(sock);
  ++connects_;
  return true;
}

bool HttpConnection::send(std::string_view bytes) {
  if (!socket_) {
    error_ = "send: not connected";
    return false;
  }
  error_code ec = runFor(ioc_, *socket_, 5000ms, nullptr, [&](auto handler) {
    asio::async_write(*socket_, asio::buffer(bytes.data(), bytes.size()), handler);
  });
  if (ec) {
    error_ = "send: " + ec.message();
    return false;
  }
  return true;
}

std::optional<Response> HttpConnection::readResponse(std::chrono::milliseconds timeout) {
  if (!socket_) {
    error_ = "read: not connected";
    return std::nullopt;
  }
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit((std::numeric_limits<std::uint64_t>::max)());
  parser.header_limit(1024 * 1024);
  error_code ec = runFor(ioc_, *socket_, timeout, nullptr, [&](auto handler) {
    bhttp::async_read(*socket_, buffer_, parser, handler);
  });
  if (ec) {
    error_ = "read: " + ec.message();
    return std::nullopt;
  }
  auto msg = parser.release();
  Response r;
  r.status = msg.result_int();
  r.keep_alive = msg.keep_alive();
  for (const auto& f : msg) r.headers.insert(f.name_string(), f.value());
  r.body = std::move(msg.body());
  r.json = parseJson(r.body);
  return r;
}

bool HttpConnection::waitClosed(std::chrono::milliseconds timeout, size_t* extra_bytes) {
  size_t extra = buffer_.size();
  buffer_.clear();
  bool closed = !socket_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!closed) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    char tmp[4096];
    size_t n = 0;
    error_code ec = runFor(ioc_, *socket_, left, &n, [&](auto handler) {
      socket_->async_read_some(asio::buffer(tmp), handler);
    });
    extra += n;
    if (ec == asio::error::timed_out) break;
    if (ec) closed = true;  // EOF or reset
  }
  if (extra_bytes) *extra_bytes = extra;
  if (closed) close();
  return closed;
}

Response HttpConnection::request(std::string_view method, std::string_view target,
                                 const Headers& headers, std::string_view body) {
  Response failed;
  if (!socket_ && !connect()) {
    failed.transport_error = error_;
    return failed;
  }
  std::string wire;
  wire.reserve(256 + body.size());
  wire.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  bool has_host = false;
  for (const auto& [k, v] : headers) has_host = has_host || beast::iequals(k, "host");
  if (!has_host) {
    std::string h = host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_;
    wire.append("Host: ").append(h).append(":").append(std::to_string(port_)).append("\r\n");
  }
  for (const auto& [k, v] : headers) wire.append(k).append(": ").append(v).append("\r\n");
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")
    wire.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  wire.append("\r\n").append(body);
  if (!send(wire)) {
    failed.transport_error = error_;
    close();
    return failed;
  }
  auto res = readResponse(10000ms);
  if (!res) {
    failed.transport_error = error_;
    close();
    return failed;
  }
  if (!res->keep_alive) close();
  return std::move(*res);
}

// ---- RecordingLogger -----------------------------------------------------------------------

void RecordingLogger::write(std::string_view json_line) {
  std::lock_guard lock(mu_);
  lines_.emplace_back(json_line);
}

std::vector<std::string> RecordingLogger::lines() const {
  std::lock_guard lock(mu_);
  return lines_;
}

// ---- TestServer ----------------------------------------------------------------------------

TestServer::TestServer(TestServerOptions options)
    : options_(std::move(options)), clock_(options_.start_micros), rng_(options_.seed) {
  char tmpl[] = "/tmp/nubis-it-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  try {
    app::Config cfg;
    cfg.data_dir = dir_;
    std::string host = options_.host.find(':') != std::string::npos ? "[" + options_.host + "]"
                                                                    : options_.host;
    cfg.listen = host + ":0";
    cfg.delivery_listen = host + ":0";
    cfg.rate_limit = options_.rate_limit;
    cfg.trusted_proxies = options_.trusted_proxies;
    cfg.public_url = options_.public_url;
    cfg.access_log = options_.access_log;
    cfg.io_threads = options_.io_threads;
    cfg.http = options_.http;
    cfg.image_allowance = options_.image_allowance;
    cfg.workers = 4;
    auto created = app::App::create(cfg, clock_, rng_, log_);
    if (!created) throw std::runtime_error("App::create: " + created.error().message + " " +
                                           created.error().detail);
    app_ = std::move(*created);
    if (Status st = app_->start(); !st)
      throw std::runtime_error("App::start: " + st.error().message + " " + st.error().detail);
    port_ = app_->apiPort();
    json::value b = parseJson(app_->bootstrapJson());
    if (!b.is_object()) throw std::runtime_error("bootstrapJson() is not a JSON object");
    auto str = [&](const char* k) {
      const json::value* v = b.as_object().if_contains(k);
      return v && v->is_string() ? std::string(v->get_string()) : std::string();
    };
    boot_ = Bootstrap{str("email"),        str("password"),     str("global_api_key"),
                      str("api_token"),    str("api_token_id"), str("user_id"),
                      str("account_id"),   str("account_hash")};
    shared_ = connect();
  } catch (...) {
    if (app_) app_->stop();
    app_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    throw;
  }
}

TestServer::~TestServer() {
  shared_.reset();
  if (app_) app_->stop();
  app_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::unique_ptr<HttpConnection> TestServer::connect(std::string bind_address) const {
  return std::make_unique<HttpConnection>(port_, options_.host, std::move(bind_address));
}

Response TestServer::request(std::string_view method, std::string_view target,
                             const Headers& headers, std::string_view body) {
  std::lock_guard lock(mu_);
  return shared_->request(method, target, headers, body);
}

Response TestServer::call(std::string_view method, std::string_view path, std::string_view token,
                          const json::value& body, Headers extra) {
  if (!token.empty()) extra.emplace_back("Authorization", "Bearer " + std::string(token));
  std::string payload;
  if (!body.is_null()) {
    extra.emplace_back("Content-Type", "application/json");
    payload = json::serialize(body);
  }
  return request(method, "/client/v4" + std::string(path), extra, payload);
}

}  // namespace nubis::testing
