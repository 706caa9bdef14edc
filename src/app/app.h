// App: the composition root. Builds the store, the clock-and-randomness-driven services, the
// router with every route (listed on one screen in routes.cc), the dispatcher and the
// listeners; owns their lifetimes. The only place that names concrete implementations.
//
// Thread-safety: create/start/drain/stop from one controlling thread.
#pragma once

#include <memory>
#include <string>

#include "app/config.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/random.h"
#include "base/result.h"

namespace nubis::app {

class App {
 public:
  // Opens (and migrates) storage under config.data_dir and bootstraps an empty data dir.
  static Result<std::unique_ptr<App>> create(const Config& config, const Clock& clock,
                                             Random& rng, Logger& log);
  ~App();

  // Binds both listeners, starts the threads, writes DIR/server.json.
  Status start();
  // Stops accepting; in-flight requests finish.
  void drain();
  size_t openConnections() const;
  // Flushes pending writes (last_used_on) and stops every thread.
  void stop();

  const std::string& apiBaseUrl() const;       // "http://127.0.0.1:PORT/client/v4"
  const std::string& deliveryBaseUrl() const;  // "http://127.0.0.1:PORT2"
  uint16_t apiPort() const;
  // bootstrap.json's content when this start created the data dir, else empty.
  const std::string& bootstrapJson() const;

  struct Impl;

 private:
  explicit App(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// "host:port" -> parts; false when malformed.
bool splitHostPort(const std::string& s, std::string& host, uint16_t& port);

}  // namespace nubis::app
