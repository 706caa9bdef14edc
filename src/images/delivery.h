// Delivery: serving an image variant the way imagedelivery.net does (IMAGES.md A.7-A.10):
// `/<account_hash>/<image_id>/<variant-or-options>` on the delivery listener, and
// `/cdn-cgi/imagedelivery/<account_hash>/<image_id>/<variant-or-options>` on the API port.
// Resolves the account, image and variant, checks signatures for private images, renders (or
// takes from the cache) and sets the caching headers. Blocking: callers run it on the worker pool.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "images/delivery_errors.h"
#include "images/images_service.h"

namespace nubis::images {

struct DeliveryRequest {
  bool head = false;
  // Everything after the prefix, still percent-encoded, starting with "/<hash>/" (as signed).
  std::string raw_path;
  std::string raw_query;  // without '?'
  std::string accept;
  std::string if_none_match;
  // Whether the request came through /cdn-cgi/imagedelivery (signatures over the prefixed path are
  // accepted too).
  std::string prefix;
};

struct Delivered {
  unsigned status = 200;
  std::string body;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
  // The same for every client that sends the same path and Accept class (public image, 200):
  // the hot cache may keep it, under these purge tags.
  bool shareable = false;
  std::vector<std::string> tags;
};

// The hot-cache key of a delivery request: path, query and the Accept class that format
// negotiation looks at.
std::string hotKey(std::string_view raw_path, std::string_view raw_query,
                   std::string_view accept_header);

class Delivery {
 public:
  explicit Delivery(ImagesService& svc) : svc_(svc) {}
  Delivered serve(const DeliveryRequest& req);

  // The text error imagedelivery.net answers.
  static Delivered error(DeliveryErr e, std::string_view detail = {});

 private:
  ImagesService& svc_;
};


}  // namespace nubis::images
