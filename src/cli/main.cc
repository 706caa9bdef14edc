// nubis: the command line. Thin: parses flags (and their NUBIS_* environment twins) into
// app::Config, wires signals, and hands over to app::App.
#include <malloc.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "app/app.h"
#include "app/config.h"
#include "app/user_admin.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/random.h"

namespace {

constexpr const char* kUsage = R"(nubis — the Cloudflare API v4 and Cloudflare Images, on your own machine.

Usage:
  nubis serve [flags]     start the API and image delivery servers
  nubis user create --email EMAIL [--password PW] [--data-dir DIR]
                          add a user (its own Global API Key, password and a first API
                          token, printed once as JSON); works while a server runs on DIR
  nubis version           print the version
  nubis --help            this text; `nubis serve --help` lists every flag
)";

constexpr const char* kServeUsage = R"(Usage: nubis serve [flags]

Every flag can also be set as an environment variable NUBIS_<FLAG> (upper case, dashes as
underscores), e.g. NUBIS_DATA_DIR=/var/lib/nubis. Flags win over the environment.

  --data-dir DIR            database, pepper and bootstrap.json (default ./nubis-data)
  --listen HOST:PORT        API and dashboard (default 127.0.0.1:8700; port 0 = any free port)
  --delivery-listen HOST:PORT
                            image delivery, imagedelivery.net style (default 127.0.0.1:8701)
  --public-url URL          public base of the API (default http://HOST:PORT of --listen)
  --delivery-url URL        base of delivery URLs in API responses (default from --delivery-listen)
  --image-fetch-allow CIDR,...
                            private ranges upload-by-URL may reach (default: public only)
  --image-fetch-ca FILE     PEM CA certificates trusted for https:// uploads by URL, besides
                            the system store (/etc/ssl/certs)
  --rate-limit on|off       Cloudflare's API rate limits (default on: 1200 per 5 min per user,
                            200 per second per IP)
  --trusted-proxies CIDR,...
                            peers whose X-Forwarded-For names the client (default none)
  --access-log on|off       one JSON line per request on stderr (default on)
  --image-cache-mb N        disk kept for rendered variants, least recently used out first
                            (default 1024)
  --image-allowance N       images an account may hold: stats.count.allowed (default 100000)
  --io-threads N            I/O threads (default: one per core)
  --workers N               threads for blocking work: storage, hashing (default 4)
  --dashboard-dir DIR       serve the dashboard's files from DIR instead of the copies built
                            into the binary (for working on src/dashboard/assets; default off)

First start on an empty data dir creates the admin user, an account, the Global API Key and a
"Bootstrap token" with every permission; they are printed once and kept in DIR/bootstrap.json
(mode 0600). Presets: NUBIS_ADMIN_EMAIL (default admin@nubis.local), NUBIS_ADMIN_PASSWORD,
NUBIS_ADMIN_API_TOKEN (40 characters of [A-Za-z0-9_-]).
Each start writes DIR/server.json with the bound URLs.
SIGINT/SIGTERM: stop accepting, finish in-flight requests (up to 10 s), exit 0.
)";

std::string envName(const std::string& flag) {
  std::string out = "NUBIS_";
  for (char c : flag) out.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

bool parseOnOff(const std::string& v, bool& out) {
  if (v == "on" || v == "true" || v == "1") return out = true, true;
  if (v == "off" || v == "false" || v == "0") return out = false, true;
  return false;
}

bool parseSize(const std::string& v, size_t& out) {
  if (v.empty() || v.size() > 6) return false;
  for (char c : v)
    if (c < '0' || c > '9') return false;
  out = std::stoul(v);
  return true;
}

int serve(const std::vector<std::string>& args) {
  nubis::app::Config cfg;
  size_t image_cache_mb = cfg.image_cache_bytes >> 20;
  size_t image_allowance = static_cast<size_t>(cfg.image_allowance);
  struct Flag {
    const char* name;
    std::string* str = nullptr;
    bool* onoff = nullptr;
    size_t* size = nullptr;
  };
  std::vector<Flag> flags = {
      {"data-dir", &cfg.data_dir},       {"listen", &cfg.listen},
      {"delivery-listen", &cfg.delivery_listen}, {"public-url", &cfg.public_url},
      {"delivery-url", &cfg.delivery_url}, {"image-fetch-allow", &cfg.image_fetch_allow},
      {"image-fetch-ca", &cfg.image_fetch_ca},
      {"trusted-proxies", &cfg.trusted_proxies}, {"dashboard-dir", &cfg.dashboard_dir},
      {"rate-limit", nullptr, &cfg.rate_limit}, {"access-log", nullptr, &cfg.access_log},
      {"io-threads", nullptr, nullptr, &cfg.io_threads}, {"workers", nullptr, nullptr, &cfg.workers},
      {"image-cache-mb", nullptr, nullptr, &image_cache_mb},
      {"image-allowance", nullptr, nullptr, &image_allowance},
  };
  auto apply = [](const Flag& f, const std::string& v, const std::string& source) {
    bool ok = true;
    if (f.str) *f.str = v;
    if (f.onoff) ok = parseOnOff(v, *f.onoff);
    if (f.size) ok = parseSize(v, *f.size);
    if (!ok) {
      std::fprintf(stderr, "nubis: %s: invalid value \"%s\" for --%s\n", source.c_str(), v.c_str(), f.name);
      std::exit(2);
    }
  };
  for (const auto& f : flags)
    if (const char* v = std::getenv(envName(f.name).c_str()); v && *v) apply(f, v, envName(f.name));
  for (size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    if (a == "--help" || a == "-h") {
      std::fputs(kServeUsage, stdout);
      return 0;
    }
    if (a.rfind("--", 0) != 0) {
      std::fprintf(stderr, "nubis serve: unexpected argument \"%s\" (see nubis serve --help)\n", a.c_str());
      return 2;
    }
    std::string name = a.substr(2), value;
    bool has_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    const Flag* found = nullptr;
    for (const auto& f : flags)
      if (name == f.name) found = &f;
    if (!found) {
      std::fprintf(stderr, "nubis serve: unknown flag --%s (see nubis serve --help)\n", name.c_str());
      return 2;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        std::fprintf(stderr, "nubis serve: --%s needs a value\n", name.c_str());
        return 2;
      }
      value = args[++i];
    }
    apply(*found, value, "--" + name);
  }
  cfg.image_cache_bytes = static_cast<uint64_t>(image_cache_mb) << 20;
  cfg.image_allowance = static_cast<int64_t>(image_allowance);

  // Signals are taken synchronously by this thread; every other thread blocks them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  // glibc gives every thread its own arena and keeps freed image buffers in them: renders on
  // several threads left ~450 MB resident with 40 MB in use (bench/README.md). Two arenas keep
  // the peak under 300 MB at a negligible cost in lock contention for this workload.
  mallopt(M_ARENA_MAX, 2);
  nubis::SystemClock clock;
  nubis::OsRandom rng;
  nubis::StderrLogger log;
  auto app = nubis::app::App::create(cfg, clock, rng, log);
  if (!app) {
    std::fprintf(stderr, "nubis: %s\n", app.error().detail.empty() ? app.error().message.c_str()
                                                                   : app.error().detail.c_str());
    return 1;
  }
  if (auto st = (*app)->start(); !st) {
    std::fprintf(stderr, "nubis: %s\n", st.error().detail.c_str());
    return 1;
  }
  if (!(*app)->bootstrapJson().empty()) {
    std::printf(
        "Nubis initialised %s. These credentials are shown once (also in %s/bootstrap.json):\n%s\n",
        cfg.data_dir.c_str(), cfg.data_dir.c_str(), (*app)->bootstrapJson().c_str());
  }
  std::printf("Nubis API on %s, image delivery on %s\n", (*app)->apiBaseUrl().c_str(),
              (*app)->deliveryBaseUrl().c_str());
  std::fflush(stdout);

  int sig = 0;
  sigwait(&set, &sig);
  std::fprintf(stderr, "{\"event\":\"draining\",\"signal\":%d}\n", sig);
  (*app)->drain();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((*app)->openConnections() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  (*app)->stop();
  std::fprintf(stderr, "{\"event\":\"stopped\"}\n");
  return 0;
}

constexpr const char* kUserUsage = R"(Usage: nubis user create --email EMAIL [--password PW] [--data-dir DIR]

Adds a user to the data dir (default ./nubis-data, or NUBIS_DATA_DIR) of a Nubis that has started
at least once. The user gets a Global API Key, a dashboard password (generated when --password
is not given) and a first API token holding every permission group, printed once on stdout as JSON;
only their hashes are stored. The user belongs to no account until invited
(POST /client/v4/accounts/{account_id}/members) and the invite accepted (PATCH
/client/v4/user/invites/{id}); what the user's credentials can do there is bounded by the roles the
account gives. The instance admin (the bootstrap user) can do the same over the API with its
Global API Key: POST /client/v4/nubis/users {"email": ..., "password": ...}.
)";

int userCommand(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(kUserUsage, stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] != "create") {
    std::fprintf(stderr, "nubis user: unknown subcommand \"%s\"\n%s", args[0].c_str(), kUserUsage);
    return 2;
  }
  std::string data_dir = "./nubis-data", email, password;
  if (const char* v = std::getenv("NUBIS_DATA_DIR"); v && *v) data_dir = v;
  for (size_t i = 1; i < args.size(); ++i) {
    std::string name = args[i], value;
    if (name == "--help" || name == "-h") {
      std::fputs(kUserUsage, stdout);
      return 0;
    }
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      std::fprintf(stderr, "nubis user create: %s needs a value\n", name.c_str());
      return 2;
    }
    if (name == "--email") email = value;
    else if (name == "--password") password = value;
    else if (name == "--data-dir") data_dir = value;
    else {
      std::fprintf(stderr, "nubis user create: unknown flag %s\n%s", name.c_str(), kUserUsage);
      return 2;
    }
  }
  if (email.empty()) {
    std::fprintf(stderr, "nubis user create: --email is required\n");
    return 2;
  }
  nubis::SystemClock clock;
  nubis::OsRandom rng;
  auto made = nubis::app::createUser(data_dir, email, password, clock, rng);
  if (!made) {
    const nubis::ApiError& e = made.error();
    std::fprintf(stderr, "nubis user create: %s\n",
                 (e.detail.empty() ? e.message : e.detail).c_str());
    return 1;
  }
  std::printf("{\"id\":\"%s\",\"email\":\"%s\",\"password\":\"%s\",\"global_api_key\":\"%s\","
              "\"api_token\":\"%s\",\"api_token_id\":\"%s\"}\n",
              made->id.c_str(), nubis::jsonEscape(made->email).c_str(),
              nubis::jsonEscape(made->password).c_str(), made->global_api_key.c_str(),
              made->api_token.c_str(), made->api_token_id.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kUsage, stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "version" || args[0] == "--version") {
    std::printf("nubis %s\n", NUBIS_VERSION);
    return 0;
  }
  if (args[0] == "serve") return serve({args.begin() + 1, args.end()});
  if (args[0] == "user") return userCommand({args.begin() + 1, args.end()});
  std::fprintf(stderr, "nubis: unknown command \"%s\"\n%s", args[0].c_str(), kUsage);
  return 2;
}
