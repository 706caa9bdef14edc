#include "images/delivery_handler.h"

#include <boost/json/serialize.hpp>

#include "api/envelope.h"
#include "api/errors.h"
#include "base/percent.h"

namespace nubis::images {
namespace asio = boost::asio;
using http::bhttp::field;
using http::bhttp::verb;

namespace {

constexpr std::string_view kUploadPrefix = "/upload/";
constexpr uint64_t kUploadBodyLimit = 10 * 1024 * 1024 + 256 * 1024;

void cors(http::Response& res) {
  res.set(field::access_control_allow_origin, "*");
  res.set(field::access_control_allow_methods, "POST, OPTIONS");
  res.set(field::access_control_allow_headers, "Content-Type");
  res.set(field::access_control_max_age, "86400");
}

http::Response envelope(unsigned version, const Result<api::Reply>& r) {
  http::Response res;
  res.version(version);
  res.set(field::content_type, "application/json");
  if (r) {
    res.result(r->status);
    res.body() = api::successBody(*r);
  } else {
    res.result(static_cast<unsigned>(r.error().http_status));
    res.body() = api::errorBody(r.error());
  }
  cors(res);
  return res;
}

}  // namespace

uint64_t DeliveryHandler::bodyLimit(const http::RequestHeader& header) const {
  if (header.method() == verb::post && header.target().starts_with(kUploadPrefix))
    return kUploadBodyLimit;
  return 0;
}

http::Response DeliveryHandler::toResponse(unsigned version, Delivered d) {
  http::Response res;
  res.version(version);
  res.result(d.status);
  if (!d.content_type.empty() && d.status != 304) res.set(field::content_type, d.content_type);
  for (auto& [k, v] : d.headers) res.set(k, v);
  res.body() = std::move(d.body);
  return res;
}

http::Response DeliveryHandler::transportError(unsigned status, std::string_view reason,
                                               std::string_view) const {
  Delivered d = Delivery::error(status == 413 ? DeliveryErr::TooLarge : DeliveryErr::BadPath,
                                std::string(reason));
  d.status = status;
  http::Response res = toResponse(11, std::move(d));
  res.set(field::connection, "close");
  return res;
}

asio::awaitable<http::Response> DeliveryHandler::upload(http::Request& req, std::string_view path) {
  // /upload/<hash>/<id...>
  std::string_view rest = path.substr(kUploadPrefix.size());
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= rest.size())
    co_return envelope(req.version(), api::error(api::Err::ImageNotFound));
  auto hash = percentDecode(rest.substr(0, slash));
  auto id = percentDecode(rest.substr(slash + 1));
  if (!hash || !id) co_return envelope(req.version(), api::error(api::Err::ImageNotFound));
  std::string content_type(req[field::content_type]);
  Result<api::Reply> result = api::error(api::Err::Internal);
  try {
    result = co_await pool_.run([&]() -> Result<api::Reply> {
      auto in = svc_.readForm(content_type, req.body(), ImagesService::FormKind::kClientUpload);
      if (!in) return in.error();
      auto row = svc_.completeDirectUpload(*hash, *id, std::move(*in));
      if (!row) return row.error();
      auto j = svc_.imageJson(*row);
      if (!j) return j.error();
      api::Reply r;
      r.null_result_info = true;
      r.result = std::move(*j);
      return r;
    });
  } catch (const http::PoolBusy&) {
    result = api::error(api::Err::ImagesBusy);
  }
  co_return envelope(req.version(), result);
}

asio::awaitable<http::Response> DeliveryHandler::handle(http::Request& req,
                                                        const http::ConnInfo& conn) {
  const int64_t t0 = clock_.nowMicros();
  bool hot = false;
  http::Response res = co_await serve(req, hot);
  if (access_log_ != nullptr) logAccess(req, conn, res, clock_.nowMicros() - t0, hot);
  co_return res;
}

void DeliveryHandler::logAccess(const http::Request& req, const http::ConnInfo& conn,
                                const http::Response& res, int64_t elapsed_us, bool hot) const {
  std::string_view target = req.target();
  // The query may carry a signature (sig=...): the path alone is logged.
  std::string_view path = target.substr(0, target.find('?'));
  std::string line;
  line.reserve(256);
  line.append("{\"event\":\"access\",\"listener\":\"delivery\",\"method\":\"")
      .append(jsonEscape(req.method_string()))
      .append("\",\"path\":\"")
      .append(jsonEscape(path))
      .append("\",\"status\":")
      .append(std::to_string(res.result_int()))
      .append(",\"bytes\":")
      .append(std::to_string(res.body().size()))
      .append(",\"from\":\"")
      .append(hot ? "memory" : "pipeline")
      .append("\",\"duration_us\":")
      .append(std::to_string(elapsed_us))
      .append(",\"ip\":\"")
      .append(jsonEscape(conn.peer.to_string()))
      .append("\"}");
  access_log_->access(line);
}

asio::awaitable<http::Response> DeliveryHandler::serve(http::Request& req, bool& hot) {
  std::string_view target = req.target();
  size_t q = target.find('?');
  std::string_view path = target.substr(0, q);
  std::string_view query = q == std::string_view::npos ? "" : target.substr(q + 1);
  if (path.starts_with(kUploadPrefix)) {
    if (req.method() == verb::options) {
      http::Response res;
      res.version(req.version());
      res.result(200);
      res.set(field::content_type, "text/plain; charset=utf-8");
      cors(res);
      co_return res;
    }
    if (req.method() == verb::post) co_return co_await upload(req, path);
    co_return toResponse(req.version(), Delivery::error(DeliveryErr::MethodNotAllowed));
  }
  if (req.method() != verb::get && req.method() != verb::head)
    co_return toResponse(req.version(), Delivery::error(DeliveryErr::MethodNotAllowed));
  DeliveryRequest dr;
  dr.head = req.method() == verb::head;
  dr.raw_path = std::string(path);
  dr.raw_query = std::string(query);
  dr.accept = std::string(req[field::accept]);
  dr.if_none_match = std::string(req[field::if_none_match]);
  // Warm path: the whole response from memory, on this I/O thread.
  const std::string key = hotKey(dr.raw_path, dr.raw_query, dr.accept);
  if (auto hit = svc_.hot().get(key)) {
    Delivered d;
    d.status = hit->status;
    d.content_type = hit->content_type;
    d.headers = hit->headers;
    std::string_view etag;
    for (const auto& [k, v] : hit->headers)
      if (k == "ETag") etag = v;
    if (!dr.if_none_match.empty() &&
        (dr.if_none_match == "*" || dr.if_none_match.find(etag) != std::string::npos)) {
      d.status = 304;
    } else {
      d.body = hit->body;
    }
    hot = true;
    co_return toResponse(req.version(), std::move(d));
  }
  const uint64_t epoch = svc_.hot().epoch();
  Delivered d;
  try {
    d = co_await render_pool_.run([&] { return delivery_.serve(dr); });
  } catch (const http::PoolBusy&) {
    d = Delivery::error(DeliveryErr::Busy);
  }
  if (d.shareable && d.status == 200) svc_.hot().put(key, d.tags, std::make_shared<const Delivered>(d), epoch);
  co_return toResponse(req.version(), std::move(d));
}

}  // namespace nubis::images
