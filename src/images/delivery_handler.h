// DeliveryHandler: the delivery listener (the imagedelivery.net form, ARCHITECTURE.md):
//   GET|HEAD /<account_hash>/<image_id>/<variant-or-options>   an image variant (Delivery)
//   POST     /upload/<account_hash>/<image_id>                 a direct creator upload's bytes
//   OPTIONS  /upload/...                                       CORS preflight for browsers
// Blocking work runs on the worker pool; a full queue answers 9529 "busy". With an access log,
// one JSON line per request, as the API listener writes (listener "delivery", the bytes sent,
// whether the answer came from memory).
#pragma once

#include "base/clock.h"
#include "base/log.h"
#include "http/types.h"
#include "http/worker_pool.h"
#include "images/delivery.h"

namespace nubis::images {

class DeliveryHandler final : public http::Handler {
 public:
  // `pool`: uploads (database, fsync); `render_pool`: deliveries (libvips), bounded on its own so
  // that a flood of renders answers 9529 "busy" instead of starving the API.
  // `access_log`: null for none.
  DeliveryHandler(ImagesService& svc, Delivery& delivery, http::WorkerPool& pool,
                  http::WorkerPool& render_pool, const Clock& clock, Logger* access_log)
      : svc_(svc),
        delivery_(delivery),
        pool_(pool),
        render_pool_(render_pool),
        clock_(clock),
        access_log_(access_log) {}

  uint64_t bodyLimit(const http::RequestHeader& header) const override;
  boost::asio::awaitable<http::Response> handle(http::Request& req,
                                                const http::ConnInfo& conn) override;
  http::Response transportError(unsigned status, std::string_view reason,
                                std::string_view target) const override;

  // Delivered -> the wire, for both listeners.
  static http::Response toResponse(unsigned version, Delivered d);

 private:
  boost::asio::awaitable<http::Response> upload(http::Request& req, std::string_view path);
  // handle() without the access log; `hot` tells whether the answer came from memory.
  boost::asio::awaitable<http::Response> serve(http::Request& req, bool& hot);
  void logAccess(const http::Request& req, const http::ConnInfo& conn,
                 const http::Response& res, int64_t elapsed_us, bool hot) const;

  ImagesService& svc_;
  Delivery& delivery_;
  http::WorkerPool& pool_;
  http::WorkerPool& render_pool_;
  const Clock& clock_;
  Logger* access_log_;
};

}  // namespace nubis::images
