#include "app/app.h"

#include <malloc.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <cstring>
#include <thread>

#include "api/dispatcher.h"
#include "api/metrics.h"
#include "api/rate_limiter.h"
#include "api/router.h"
#include "app/bootstrap.h"
#include "app/ops_routes.h"
#include "app/routes.h"
#include "auth/authenticator.h"
#include "auth/secrets.h"
#include "http/server.h"
#include "http/worker_pool.h"
#include "images/delivery_handler.h"
#include "images/pipeline/pipeline.h"
#include "ssl/local_ca.h"
#include "store/fs/blob_store.h"
#include "store/fs/file_io.h"
#include "store/fs/variant_cache.h"
#include "store/sqlite/sqlite_store.h"

namespace nubis::app {
namespace asio = boost::asio;

bool splitHostPort(const std::string& s, std::string& host, uint16_t& port) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = s.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  std::string p = s.substr(colon + 1);
  if (p.empty() || p.size() > 5) return false;
  unsigned long v = 0;
  for (char c : p) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned long>(c - '0');
  }
  if (v > 65535) return false;
  port = static_cast<uint16_t>(v);
  return true;
}

namespace {

std::string urlFor(const std::string& host, uint16_t port) {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (h == "0.0.0.0") h = "127.0.0.1";
  return "http://" + h + ":" + std::to_string(port);
}

Result<std::vector<auth::Cidr>> parseCidrList(const std::string& list, const char* what) {
  std::vector<auth::Cidr> out;
  size_t pos = 0;
  while (pos < list.size()) {
    size_t comma = list.find(',', pos);
    if (comma == std::string::npos) comma = list.size();
    std::string item = list.substr(pos, comma - pos);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) {
      auto c = auth::parseCidr(item);
      if (!c) return ApiError::internal(std::string(what) + ": \"" + item + "\" is not a CIDR");
      out.push_back(*c);
    }
    pos = comma + 1;
  }
  return out;
}

std::string envOr(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

}  // namespace

struct App::Impl {
  Config config;
  const Clock& clock;
  Random& rng;
  Logger& log;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<auth::SecretHasher> hasher;
  std::unique_ptr<auth::Authenticator> authn;
  std::unique_ptr<http::WorkerPool> pool;
  std::unique_ptr<api::RateLimiter> limiter;
  api::Metrics metrics;
  api::Router router;
  std::unique_ptr<store::BlobStore> blobs;
  std::unique_ptr<store::VariantCache> variant_cache;
  std::unique_ptr<images::ImagesService> images;
  std::unique_ptr<images::Delivery> delivery_core;
  std::unique_ptr<http::WorkerPool> render_pool;
  std::unique_ptr<images::DeliveryHandler> delivery;
  std::unique_ptr<ssl::LocalCa> ca;
  std::unique_ptr<Services> services;
  std::unique_ptr<api::Dispatcher> dispatcher;
  std::unique_ptr<http::Server> server;
  std::string api_base, delivery_base, bootstrap_json;
  uint16_t api_port = 0;
  std::atomic<bool> ready{false};
  std::atomic<bool> stopping{false};

  Impl(const Config& c, const Clock& cl, Random& r, Logger& l) : config(c), clock(cl), rng(r), log(l) {}
};

namespace {

// The certificate packs' CA: DIR/ca.key (0600) and DIR/ca.pem, made on the first start and kept,
// so certificates issued before a restart still chain to it.
Result<std::unique_ptr<ssl::LocalCa>> openLocalCa(const std::string& dir, const Clock& clock) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return ApiError::internal("cannot create " + dir + ": " + std::strerror(errno));
  }
  auto key = store::fsio::readFile(dir + "/ca.key");
  if (!key) return key.error();
  auto cert = store::fsio::readFile(dir + "/ca.pem");
  if (!cert) return cert.error();
  ssl::LocalCa::Pem pem;
  if (*key && *cert) {
    pem = {std::move(**key), std::move(**cert)};
  } else {
    auto made = ssl::LocalCa::generate(clock.nowMicros());
    if (!made) return made.error();
    pem = std::move(*made);
    // The certificate last: a start that dies in between makes a new pair next time.
    if (Status st = writeFileDurably(dir + "/ca.key", pem.key, 0600); !st) return st.error();
    if (Status st = writeFileDurably(dir + "/ca.pem", pem.cert, 0644); !st) return st.error();
  }
  return ssl::LocalCa::load(pem);
}

}  // namespace

App::App(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
App::~App() { stop(); }

Result<std::unique_ptr<App>> App::create(const Config& config, const Clock& clock, Random& rng,
                                         Logger& log) {
  auto impl = std::make_unique<Impl>(config, clock, rng, log);
  Impl& s = *impl;
  if (::mkdir(config.data_dir.c_str(), 0700) != 0 && errno != EEXIST)
    return ApiError::internal("cannot create data dir " + config.data_dir + ": " + std::strerror(errno));
  auto pepper = auth::loadOrCreatePepper(config.data_dir + "/pepper", rng);
  if (!pepper) return pepper.error();
  auto db = store::sqlite::SqliteStore::open(config.data_dir + "/nubis.db");
  if (!db) return db.error();
  store::ImageStore& image_store = (*db)->images();  // same database and connection
  store::DnsStore& dns_store = (*db)->dns();
  store::SslStore& ssl_store = (*db)->ssl();
  s.store = std::move(*db);
  s.hasher = std::make_unique<auth::SecretHasher>(*pepper);
  s.authn = std::make_unique<auth::Authenticator>(*s.store, *s.hasher);
  s.pool = std::make_unique<http::WorkerPool>(config.workers, config.worker_queue);
  s.limiter = std::make_unique<api::RateLimiter>(clock, api::RateLimitConfig{config.rate_limit});
  auto proxies = parseCidrList(config.trusted_proxies, "--trusted-proxies");
  if (!proxies) return proxies.error();
  if (Status st = images::pipeline::initVips(); !st) return st.error();
  auto blobs = store::BlobStore::open(config.data_dir + "/images");
  if (!blobs) return blobs.error();
  s.blobs = std::move(*blobs);
  auto cache = store::VariantCache::open(config.data_dir + "/cache", config.image_cache_bytes);
  if (!cache) return cache.error();
  s.variant_cache = std::move(*cache);
  auto fetch_allow = parseCidrList(config.image_fetch_allow, "--image-fetch-allow");
  if (!fetch_allow) return fetch_allow.error();
  images::ImagesSettings img;
  img.fetch.allow = std::move(*fetch_allow);
  if (!config.image_fetch_ca.empty()) {
    auto pem = store::fsio::readFile(config.image_fetch_ca);
    if (!pem) return pem.error();
    if (!*pem || (*pem)->find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
      return ApiError::internal("--image-fetch-ca: " + config.image_fetch_ca +
                                " is not a readable PEM certificate file");
    }
    img.fetch.extra_ca_pem = std::move(**pem);
  }
  img.allowance = config.image_allowance;
  s.images = std::make_unique<images::ImagesService>(*s.store, image_store, *s.blobs,
                                                     *s.variant_cache, clock, rng, std::move(img));
  s.delivery_core = std::make_unique<images::Delivery>(*s.images);
  // One render per core at a time; a short queue, then 9529 "busy" (IMAGES.md A.13).
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  s.render_pool = std::make_unique<http::WorkerPool>(cores, 64);
  s.delivery = std::make_unique<images::DeliveryHandler>(
      *s.images, *s.delivery_core, *s.pool, *s.render_pool, clock,
      config.access_log ? &log : nullptr);
  auto ca = openLocalCa(config.data_dir + "/ca", clock);
  if (!ca) return ca.error();
  s.ca = std::move(*ca);
  s.services = std::make_unique<Services>(*s.store, dns_store, ssl_store, *s.ca, *s.authn,
                                          clock, rng, *s.images, *s.delivery_core);
  s.services->dashboard_dir = config.dashboard_dir;
  s.services->https = config.public_url.rfind("https://", 0) == 0;
  registerAllRoutes(s.router, *s.services);
  Impl* raw = impl.get();
  registerOpsRoutes(s.router, s.metrics, [raw] { return raw->ready.load(); });
  s.dispatcher = std::make_unique<api::Dispatcher>(
      s.router, *s.authn, *s.store, *s.pool, *s.limiter, s.metrics, log, clock,
      api::DispatcherConfig{std::move(*proxies), config.access_log});
  s.dispatcher->setSessions(&s.services->sessions);
  size_t threads = config.io_threads ? config.io_threads : std::max(1u, std::thread::hardware_concurrency());
  s.server = std::make_unique<http::Server>(threads, config.http, log);
  return std::unique_ptr<App>(new App(std::move(impl)));
}

Status App::start() {
  Impl& s = *impl_;
  std::string host, dhost;
  uint16_t port = 0, dport = 0;
  if (!splitHostPort(s.config.listen, host, port))
    return ApiError::internal("--listen must be HOST:PORT, got \"" + s.config.listen + "\"");
  if (!splitHostPort(s.config.delivery_listen, dhost, dport))
    return ApiError::internal("--delivery-listen must be HOST:PORT, got \"" + s.config.delivery_listen + "\"");
  auto api_ep = s.server->listen(host, port, *s.dispatcher);
  if (!api_ep) return api_ep.error();
  auto del_ep = s.server->listen(dhost, dport, *s.delivery);
  if (!del_ep) return del_ep.error();
  s.api_port = api_ep->port();
  std::string public_url = s.config.public_url.empty() ? urlFor(host, api_ep->port()) : s.config.public_url;
  while (!public_url.empty() && public_url.back() == '/') public_url.pop_back();
  s.api_base = public_url + "/client/v4";
  s.delivery_base = s.config.delivery_url.empty() ? urlFor(dhost, del_ep->port()) : s.config.delivery_url;
  while (!s.delivery_base.empty() && s.delivery_base.back() == '/') s.delivery_base.pop_back();
  s.images->setDeliveryBase(s.delivery_base);

  BootstrapPresets presets;
  presets.email = envOr("NUBIS_ADMIN_EMAIL", presets.email);
  presets.password = envOr("NUBIS_ADMIN_PASSWORD", "");
  presets.api_token = envOr("NUBIS_ADMIN_API_TOKEN", "");
  auto boot = bootstrapIfEmpty(*s.store, *s.authn, s.clock, s.rng, presets, s.config.data_dir,
                               s.api_base, s.delivery_base);
  if (!boot) return boot.error();
  s.bootstrap_json = boot->json;

  boost::json::object info{{"api_base_url", s.api_base},
                           {"delivery_base_url", s.delivery_base},
                           {"pid", static_cast<int64_t>(::getpid())}};
  if (Status w = writeFileDurably(s.config.data_dir + "/server.json",
                                  boost::json::serialize(info) + "\n", 0644);
      !w)
    return w.error();

  // last_used_on is flushed in batches, never written per request.
  Impl* raw = impl_.get();
  asio::co_spawn(
      s.server->context(0),
      [raw]() -> asio::awaitable<void> {
        asio::steady_timer t(co_await asio::this_coro::executor);
        while (!raw->stopping) {
          t.expires_after(std::chrono::seconds(2));
          co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
          if (raw->stopping) break;
          raw->pool->post([raw] {
            if (Status st = raw->authn->flushUses(); !st) raw->log.error("flush_uses", st.error().detail);
            // Direct uploads whose URL expired unused disappear (IMAGES.md A.3).
            auto gone = raw->images->imageStore().deleteExpiredDrafts(raw->clock.nowMicros());
            if (!gone) raw->log.error("expire_drafts", gone.error().detail);
            // Freed image buffers stay in malloc's arenas (an AVIF encode alone holds ~100 MB
            // while it runs): give them back to the system between bursts, so resident memory
            // follows the renders in flight rather than the largest burst so far.
            malloc_trim(0);
          });
        }
      },
      asio::detached);

  s.ready = true;
  s.server->start();
  return Ok{};
}

void App::drain() { impl_->server->drain(); }
size_t App::openConnections() const { return impl_->server->openConnections(); }

void App::stop() {
  Impl& s = *impl_;
  if (s.stopping.exchange(true)) return;
  s.ready = false;
  s.server->drain();
  s.server->stop();
  s.pool->stop();
  s.render_pool->stop();
  if (Status st = s.authn->flushUses(); !st) s.log.error("flush_uses", st.error().detail);
}

const std::string& App::apiBaseUrl() const { return impl_->api_base; }
const std::string& App::deliveryBaseUrl() const { return impl_->delivery_base; }
uint16_t App::apiPort() const { return impl_->api_port; }
const std::string& App::bootstrapJson() const { return impl_->bootstrap_json; }

}  // namespace nubis::app
