// Config: every setting of `nubis serve`, with its default in the declaration. Filled from
// flags and NUBIS_* environment variables by cli/, validated once in App::create.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "http/config.h"

namespace nubis::app {

struct Config {
  // Where the database, the pepper and bootstrap.json live.
  std::string data_dir = "./nubis-data";
  // API (and dashboard) listener, host:port; port 0 picks a free port.
  std::string listen = "127.0.0.1:8700";
  // Image delivery listener (the imagedelivery.net form).
  std::string delivery_listen = "127.0.0.1:8701";
  // Public base of the API ("http://host:port"); default: derived from the bound listener.
  std::string public_url;
  // Base of delivery URLs shown in API responses; default: derived from the delivery listener.
  std::string delivery_url;
  // Private ranges upload-by-URL may reach (CIDR list); empty: public addresses only.
  std::string image_fetch_allow;
  std::string image_fetch_ca;  // a PEM file; empty: the system store only
  // Bytes of rendered variants kept on disk (DATA_DIR/cache), least recently used out first.
  uint64_t image_cache_bytes = 1ULL << 30;
  // stats.count.allowed: how many images an account may hold.
  int64_t image_allowance = 100000;
  // Cloudflare's rate limits; "off" for load tests and benchmarks.
  bool rate_limit = true;
  // Peers whose X-Forwarded-For is believed (CIDR list); empty: none.
  std::string trusted_proxies;
  // The dashboard's files read from this directory on each request instead of the embedded
  // copies (a development aid); empty: the embedded copies.
  std::string dashboard_dir;
  // One JSON line per request on stderr.
  bool access_log = true;
  // I/O threads (0 = one per core) and blocking-work threads.
  size_t io_threads = 0;
  size_t workers = 4;
  // Jobs that may wait for a worker before requests get 503 "busy".
  size_t worker_queue = 1024;
  // Transport limits and timeouts (header size and count, slowloris guards).
  http::HttpLimits http;
};

}  // namespace nubis::app
