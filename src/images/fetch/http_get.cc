#include "images/fetch/http_get.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <exception>
#include <type_traits>
#include <utility>

namespace nubis::images {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// Response headers beyond this are not an image origin's.
constexpr uint32_t kHeaderLimit = 16 * 1024;

FetchError failure(const error_code& ec, const FetchTarget& t, std::string_view step,
                   uint64_t max_bytes) {
  if (ec == beast::error::timeout) {
    return {FetchError::Kind::kTimeout, "fetching " + t.url + " timed out"};
  }
  if (ec == http::error::body_limit) {
    return {FetchError::Kind::kTooLarge,
            "the image at " + t.url + " is larger than " + std::to_string(max_bytes) + " bytes"};
  }
  return {FetchError::Kind::kNetwork,
          std::string(step) + " " + t.hostHeader() + " failed: " + ec.message()};
}

tcp::endpoint endpoint(const auth::IpAddress& a, uint16_t port) {
  if (a.family == auth::IpAddress::kV4) {
    asio::ip::address_v4::bytes_type b{};
    std::copy(a.bytes.begin(), a.bytes.begin() + 4, b.begin());
    return {asio::ip::address_v4(b), port};
  }
  asio::ip::address_v6::bytes_type b{};
  std::copy(a.bytes.begin(), a.bytes.end(), b.begin());
  return {asio::ip::address_v6(b), port};
}

struct Exchange {
  const FetchTarget& target;
  std::vector<tcp::endpoint> endpoints;
  uint64_t max_bytes;
  std::chrono::steady_clock::time_point deadline;
  std::variant<HopResponse, FetchError> out =
      FetchError{FetchError::Kind::kNetwork, "the exchange did not run"};

  // Each step re-arms the same absolute deadline: the sum of all steps, not each one, is
  // bounded, which is what stops a slow-drip origin.
  template <class Stream>
  asio::awaitable<void> run(Stream& stream) {
    error_code ec;
    auto on_error = asio::redirect_error(asio::use_awaitable, ec);
    beast::tcp_stream& tcp_layer = beast::get_lowest_layer(stream);
    tcp_layer.expires_at(deadline);
    co_await tcp_layer.async_connect(endpoints, on_error);
    if (ec) co_return fail(ec, "connecting to");
    if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
      tcp_layer.expires_at(deadline);
      co_await stream.async_handshake(ssl::stream_base::client, on_error);
      if (ec) co_return fail(ec, "TLS handshake with");
    }

    http::request<http::empty_body> req{http::verb::get, target.target, 11};
    req.set(http::field::host, target.hostHeader());
    req.set(http::field::user_agent, "Nubis/" NUBIS_VERSION " (image upload by URL)");
    req.set(http::field::accept, "image/*,*/*;q=0.8");
    req.set(http::field::connection, "close");
    if (!target.authorization.empty()) req.set(http::field::authorization, target.authorization);
    tcp_layer.expires_at(deadline);
    co_await http::async_write(stream, req, on_error);
    if (ec) co_return fail(ec, "sending the request to");

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.header_limit(kHeaderLimit);
    // No limit while reading the header: a 404 with a huge Content-Length is a 404 (kStatus),
    // not kTooLarge. The limit is set below, before any body byte is read.
    parser.body_limit(boost::none);
    tcp_layer.expires_at(deadline);
    co_await http::async_read_header(stream, buffer, parser, on_error);
    if (ec) co_return fail(ec, "reading the response of");

    HopResponse response;
    response.status = static_cast<int>(parser.get().result_int());
    if (response.status / 100 != 2) {
      response.location = std::string(parser.get()[http::field::location]);
      out = std::move(response);
      co_return;
    }
    if (parser.content_length() && *parser.content_length() > max_bytes) {
      co_return fail(http::error::body_limit, "");
    }
    parser.body_limit(max_bytes);
    tcp_layer.expires_at(deadline);
    co_await http::async_read(stream, buffer, parser, on_error);
    if (ec) co_return fail(ec, "reading the body from");

    response.content_type = std::string(parser.get()[http::field::content_type]);
    response.body = std::move(parser.get().body());
    out = std::move(response);
  }

  void fail(const error_code& ec, std::string_view step) {
    out = failure(ec, target, step, max_bytes);
  }
};

// The client TLS context of one https hop: the system's CAs plus the policy's, peer and host name
// verified, TLS 1.2 or later. Throws boost::system::system_error on a bad extra_ca_pem.
ssl::context clientContext(const FetchTarget& target, const FetchPolicy& policy) {
  ssl::context ctx(ssl::context::tls_client);
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                  ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  ctx.set_default_verify_paths();
  if (!policy.extra_ca_pem.empty()) {
    ctx.add_certificate_authority(asio::buffer(policy.extra_ca_pem));
  }
  ctx.set_verify_mode(ssl::verify_peer);
  ctx.set_verify_callback(ssl::host_name_verification(target.host));
  return ctx;
}

}  // namespace

std::variant<HopResponse, FetchError> httpGet(const FetchTarget& target,
                                              const std::vector<auth::IpAddress>& addresses,
                                              const FetchPolicy& policy,
                                              std::chrono::steady_clock::time_point deadline) {
  Exchange exchange{target, {}, policy.max_bytes, deadline};
  for (const auth::IpAddress& a : addresses) exchange.endpoints.push_back(endpoint(a, target.port));

  auto on_done = [&](std::exception_ptr e) {
    // Asio and Beast report through error codes here; what still throws is allocation failure
    // or a bug, and it must not leave the worker thread.
    if (e)
      exchange.out = FetchError{FetchError::Kind::kNetwork, "fetching " + target.url + " failed"};
  };
  try {
    asio::io_context io(1);
    if (!target.tls) {
      beast::tcp_stream stream(io);
      asio::co_spawn(io, exchange.run(stream), on_done);
      io.run();
    } else {
      ssl::context ctx = clientContext(target, policy);
      beast::ssl_stream<beast::tcp_stream> stream(io, ctx);
      // SNI for names only: RFC 6066 forbids literal addresses in server_name.
      // (SSL_set_tlsext_host_name is this call behind a C cast.)
      if (!target.address &&
          SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                   const_cast<char*>(target.host.c_str())) != 1) {
        return FetchError{FetchError::Kind::kNetwork, "TLS setup for " + target.url + " failed"};
      }
      asio::co_spawn(io, exchange.run(stream), on_done);
      io.run();
    }
  } catch (const std::exception&) {
    return FetchError{FetchError::Kind::kNetwork, "fetching " + target.url + " failed"};
  }
  return std::move(exchange.out);
}

}  // namespace nubis::images
