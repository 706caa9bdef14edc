// DeliveryHandler: the delivery listener (the imagedelivery.net form, ARCHITECTURE.md):
//   GET|HEAD /<account_hash>/<image_id>/<variant-or-options>   an image variant (Delivery)
//   POST     /upload/<account_hash>/<image_id>                 a direct creator upload's bytes
//   OPTIONS  /upload/...                                       CORS preflight for browsers
// Blocking work runs on the worker pool; a full queue answers 9529 "busy".
#pragma once

#include "base/log.h"
#include "http/types.h"
#include "http/worker_pool.h"
#include "images/delivery.h"

namespace nubis::images {

class DeliveryHandler final : public http::Handler {
 public:
  // `pool`: uploads (database, fsync); `render_pool`: deliveries (libvips), bounded on its own so
  // that a flood of renders answers 9529 "busy" instead of starving the API.
  DeliveryHandler(ImagesService& svc, Delivery& delivery, http::WorkerPool& pool,
                  http::WorkerPool& render_pool)
      : svc_(svc), delivery_(delivery), pool_(pool), render_pool_(render_pool) {}

  uint64_t bodyLimit(const http::RequestHeader& header) const override;
  boost::asio::awaitable<http::Response> handle(http::Request& req,
                                                const http::ConnInfo& conn) override;
  http::Response transportError(unsigned status, std::string_view reason,
                                std::string_view target) const override;

  // Delivered -> the wire, for both listeners.
  static http::Response toResponse(unsigned version, Delivered d);

 private:
  boost::asio::awaitable<http::Response> upload(http::Request& req, std::string_view path);

  ImagesService& svc_;
  Delivery& delivery_;
  http::WorkerPool& pool_;
  http::WorkerPool& render_pool_;
};

}  // namespace nubis::images
