// D1 (RELIABILITY §7): the real `nubis` binary as a child process; 64 concurrent clients upload
// random-noise PNGs (64 kB - 2 MB) through POST /accounts/{a}/images/v1, each recording the
// image id and the SHA-256 of its bytes only after a 2xx; at a random moment (0.2 - 3 s) the
// server is killed with SIGKILL and restarted on the same data dir. Then:
//   - every acknowledged original is byte-exact through GET .../images/v1/{id}/blob;
//   - every acknowledged image is listed (GET .../images/v2, all pages);
//   - no listed image is one that was never attempted (each upload carries a unique tag in its
//     metadata), and a listed image whose upload was not acknowledged (committed, answer lost)
//     is intact too: its blob is the bytes that were sent;
//   - restart-to-ready (until /readyz answers 200) stays within 5 s.
// 20 rounds on one data dir (each round crashes a server that recovered from the last crash;
// NUBIS_D1_ROUNDS overrides, e.g. 200 for the release tier), then every acknowledged image of
// every round is checked once more.
#include <fcntl.h>
#include <openssl/evp.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <boost/json.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "api_helpers.h"
#include "child_server.h"
#include "test_server.h"

extern char** environ;

namespace nubis::testing {
namespace {
namespace json = boost::json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kClients = 64;
constexpr size_t kMinBytes = 64 * 1024;
constexpr size_t kMaxBytes = 2 * 1024 * 1024;


// ---- random-noise PNGs, fast: stored (uncompressed) deflate blocks, no zlib needed -----------

const std::array<uint32_t, 256>& crcTable() {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  return table;
}

uint32_t crc32(std::string_view data, uint32_t crc = 0) {
  const auto& t = crcTable();
  crc = ~crc;
  for (unsigned char b : data) crc = t[(crc ^ b) & 0xff] ^ (crc >> 8);
  return ~crc;
}

uint32_t adler32(std::string_view data) {
  uint32_t a = 1, b = 0;
  size_t i = 0;
  while (i < data.size()) {
    size_t n = std::min<size_t>(5552, data.size() - i);
    for (size_t j = 0; j < n; ++j) {
      a += static_cast<unsigned char>(data[i + j]);
      b += a;
    }
    a %= 65521;
    b %= 65521;
    i += n;
  }
  return (b << 16) | a;
}

void be32(std::string& out, uint32_t v) {
  out.push_back(static_cast<char>(v >> 24));
  out.push_back(static_cast<char>(v >> 16));
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v));
}

void chunk(std::string& png, std::string_view type, std::string_view data) {
  be32(png, static_cast<uint32_t>(data.size()));
  std::string td(type);
  td.append(data);
  png.append(td);
  be32(png, crc32(td));
}

// An RGB 8-bit PNG of about `target` bytes whose pixels are random.
std::string noisePng(std::mt19937_64& rng, size_t target) {
  const uint32_t side = std::max<uint32_t>(16, static_cast<uint32_t>(std::sqrt(target / 3.0)));
  const size_t stride = 1 + size_t{side} * 3;
  std::string raw(stride * side, '\0');
  for (size_t i = 0; i + 8 <= raw.size(); i += 8) {
    uint64_t v = rng();
    std::memcpy(&raw[i], &v, 8);
  }
  for (uint32_t y = 0; y < side; ++y) raw[y * stride] = 0;  // filter type None
  std::string z = "\x78\x01";
  for (size_t off = 0; off < raw.size(); off += 65535) {
    const size_t n = std::min<size_t>(65535, raw.size() - off);
    z.push_back(off + n == raw.size() ? 1 : 0);  // BFINAL, BTYPE=00 (stored)
    z.push_back(static_cast<char>(n & 0xff));
    z.push_back(static_cast<char>(n >> 8));
    z.push_back(static_cast<char>(~n & 0xff));
    z.push_back(static_cast<char>((~n >> 8) & 0xff));
    z.append(raw, off, n);
  }
  be32(z, adler32(raw));
  std::string png("\x89PNG\r\n\x1a\n", 8);
  std::string ihdr;
  be32(ihdr, side);
  be32(ihdr, side);
  ihdr.append(std::string("\x08\x02\x00\x00\x00", 5));
  chunk(png, "IHDR", ihdr);
  chunk(png, "IDAT", z);
  chunk(png, "IEND", "");
  return png;
}

std::string sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 15]);
  }
  return out;
}

// ---- the binary under test ------------------------------------------------------------------


// ---- one upload attempt and what the client learnt -----------------------------------------

struct Attempt {
  std::string tag;  // unique, sent in the metadata
  std::string sha;  // SHA-256 of the bytes sent
  size_t size = 0;
  bool acked = false;
  std::string id;  // from the 2xx
};

struct Uploader {
  std::vector<Attempt> attempts;
  std::vector<std::string> unexpected;  // answers that are neither 2xx nor a designed refusal
  size_t busy = 0;                      // 503 "busy": a valid refusal under load
};

std::string multipartBody(const std::string& boundary, const std::string& png, const std::string& tag) {
  std::string b;
  b.reserve(png.size() + 512);
  b += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + tag +
       ".png\"\r\nContent-Type: image/png\r\n\r\n";
  b += png;
  b += "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n";
  b += "{\"d1\":\"" + tag + "\"}";
  b += "\r\n--" + boundary + "--\r\n";
  return b;
}

void upload(uint16_t port, const std::string& account, const std::string& token, int client,
            int round, uint64_t seed, const std::atomic<bool>& stop, Uploader& u) {
  std::mt19937_64 rng(seed);
  HttpConnection c(port);
  const std::string boundary = "d1boundary" + std::to_string(seed);
  const Headers headers{{"Authorization", "Bearer " + token},
                        {"Content-Type", "multipart/form-data; boundary=" + boundary}};
  for (int n = 1; !stop.load(); ++n) {
    const size_t target = kMinBytes + rng() % (kMaxBytes - kMinBytes);
    std::string png = noisePng(rng, target);
    Attempt a;
    a.tag = "r" + std::to_string(round) + "-c" + std::to_string(client) + "-" + std::to_string(n);
    a.sha = sha256Hex(png);
    a.size = png.size();
    u.attempts.push_back(a);
    Response r = c.request("POST", "/client/v4/accounts/" + account + "/images/v1", headers,
                           multipartBody(boundary, png, a.tag));
    if (r.status == 0) return;  // the server is gone: this attempt is unacknowledged
    if (r.status == 200 && r.success()) {
      u.attempts.back().acked = true;
      u.attempts.back().id = str(r.result(), "id");
    } else if (r.status == 503) {
      ++u.busy;
    } else {
      u.unexpected.push_back(a.tag + ": " + r.describe());
    }
  }
}

// Every image listed by GET .../images/v2 (all pages): id -> tag from meta.d1 ("" when absent).
bool listAll(HttpConnection& c, const std::string& account, const std::string& token,
             std::map<std::string, std::string>& out, std::string& error) {
  std::string token_param;
  const Headers h{{"Authorization", "Bearer " + token}};
  for (int page = 0; page < 10000; ++page) {
    Response r = c.request("GET", "/client/v4/accounts/" + account + "/images/v2?per_page=1000" + token_param, h);
    if (r.status != 200 || !r.success()) {
      error = "list: " + r.describe();
      return false;
    }
    const auto& res = r.result().as_object();
    for (const auto& img : res.at("images").as_array()) {
      std::string tag;
      if (const auto* meta = img.as_object().if_contains("meta"); meta && meta->is_object())
        if (const auto* d1 = meta->as_object().if_contains("d1"); d1 && d1->is_string())
          tag = std::string(d1->as_string());
      out[str(img, "id")] = tag;
    }
    const auto& ct = res.at("continuation_token");
    if (ct.is_null()) return true;
    token_param = "&continuation_token=" + std::string(ct.as_string());
  }
  error = "list: more than 10000 pages";
  return false;
}

// The blob's SHA-256, or "" with `error` set.
std::string blobSha(HttpConnection& c, const std::string& account, const std::string& token,
                    const std::string& id, std::string& error) {
  Response r = c.request("GET", "/client/v4/accounts/" + account + "/images/v1/" + id + "/blob",
                         {{"Authorization", "Bearer " + token}});
  if (r.status != 200) {
    error = r.describe();
    return "";
  }
  return sha256Hex(r.body);
}

int rounds() {
  if (const char* e = std::getenv("NUBIS_D1_ROUNDS")) return std::max(1, std::atoi(e));
  return 20;
}

TEST(ImageDurabilityTest, KillNineDuringUploadsLosesNoAcknowledgedOriginal) {
  char tmpl[] = "/tmp/nubis-d1-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::string root = tmpl, dir = root + "/data", log = root + "/server.log";
  fs::create_directory(dir);
  struct Cleanup {
    std::string root;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(root, ec);
    }
  } cleanup{root};

  const uint64_t seed = std::random_device{}();
  RecordProperty("seed", std::to_string(seed));
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  const auto t0 = Clock::now();

  auto child = std::make_unique<ChildServer>(NUBIS_BINARY, dir, log, std::vector<std::string>{}, 15s);
  std::string err = child->start();
  ASSERT_EQ(err, "");
  json::value boot = parseJson(readFile(dir + "/bootstrap.json"));
  ASSERT_TRUE(boot.is_object());
  const std::string token(boot.at("api_token").as_string());
  const std::string account(boot.at("account_id").as_string());

  std::map<std::string, Attempt> all;  // tag -> attempt, every round
  size_t total_acked = 0, total_unacked_listed = 0, total_busy = 0;
  double worst_restart_ms = 0;
  const int n_rounds = rounds();
  for (int round = 1; round <= n_rounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::atomic<bool> stop{false};
    std::vector<Uploader> ups(kClients);
    std::vector<std::thread> threads;
    for (int i = 0; i < kClients; ++i)
      threads.emplace_back(upload, child->port(), std::cref(account), std::cref(token), i, round,
                           rng(), std::cref(stop), std::ref(ups[i]));
    const int kill_ms = 200 + static_cast<int>(rng() % 2801);
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_ms));
    child->kill9();
    stop = true;
    for (auto& th : threads) th.join();

    const auto restart0 = Clock::now();
    ASSERT_EQ(err = child->start(), "");
    const double restart_ms = std::chrono::duration<double, std::milli>(Clock::now() - restart0).count();
    worst_restart_ms = std::max(worst_restart_ms, restart_ms);
    EXPECT_LE(restart_ms, 5000.0) << "restart-to-ready";

    std::vector<std::string> violations;
    size_t acked = 0, attempted = 0;
    for (Uploader& u : ups) {
      for (const auto& x : u.unexpected) violations.push_back("unexpected answer during load: " + x);
      total_busy += u.busy;
      for (Attempt& a : u.attempts) {
        ++attempted;
        acked += a.acked;
        all[a.tag] = a;
      }
    }
    HttpConnection c(child->port());
    // 1. Every acknowledged original of this round, byte-exact.
    std::set<std::string> acked_ids;
    for (const auto& [tag, a] : all) {
      if (!a.acked || tag.rfind("r" + std::to_string(round) + "-", 0) != 0) continue;
      acked_ids.insert(a.id);
      std::string e;
      std::string got = blobSha(c, account, token, a.id, e);
      if (got.empty()) violations.push_back("acknowledged " + tag + " (" + a.id + "): blob " + e);
      else if (got != a.sha) violations.push_back("acknowledged " + tag + " (" + a.id + "): blob differs from what was sent");
    }
    // 2. The list: nothing never attempted; unacknowledged-but-committed images intact; every
    //    acknowledged image of every round listed.
    std::map<std::string, std::string> listed;
    std::string e;
    ASSERT_TRUE(listAll(c, account, token, listed, e)) << e;
    std::set<std::string> listed_ids;
    size_t unacked_listed = 0;
    for (const auto& [id, tag] : listed) {
      listed_ids.insert(id);
      auto it = all.find(tag);
      if (tag.empty() || it == all.end()) {
        violations.push_back("listed, never attempted: " + id + " tag \"" + tag + "\"");
        continue;
      }
      if (!it->second.acked) {
        if (tag.rfind("r" + std::to_string(round) + "-", 0) == 0) {
          ++unacked_listed;
          std::string got = blobSha(c, account, token, id, e);
          if (got != it->second.sha) violations.push_back("listed unacknowledged " + tag + " (" + id + "): blob " + (got.empty() ? e : "differs from what was sent"));
        }
      } else if (it->second.id != id) {
        violations.push_back("tag " + tag + " listed under " + id + ", acknowledged as " + it->second.id);
      }
    }
    for (const auto& [tag, a] : all)
      if (a.acked && !listed_ids.count(a.id)) violations.push_back("acknowledged " + tag + " (" + a.id + ") not listed");

    total_acked += acked;
    total_unacked_listed += unacked_listed;
    std::printf("round %d: killed at %d ms, %zu attempted, %zu acknowledged, %zu unacknowledged but committed, "
                "restart-to-ready %.0f ms, %zu listed in all, %zu violations\n",
                round, kill_ms, attempted, acked, unacked_listed, restart_ms, listed.size(), violations.size());
    std::fflush(stdout);
    std::string report;
    for (size_t i = 0; i < violations.size() && i < 20; ++i) report += "\n  " + violations[i];
    EXPECT_TRUE(violations.empty()) << violations.size() << " violations:" << report;
  }

  // Every acknowledged original of every round, once more after the last restart.
  {
    HttpConnection c(child->port());
    std::vector<std::string> violations;
    for (const auto& [tag, a] : all) {
      if (!a.acked) continue;
      std::string e;
      std::string got = blobSha(c, account, token, a.id, e);
      if (got != a.sha) violations.push_back(tag + " (" + a.id + "): " + (got.empty() ? e : "blob differs"));
    }
    std::string report;
    for (size_t i = 0; i < violations.size() && i < 20; ++i) report += "\n  " + violations[i];
    EXPECT_TRUE(violations.empty()) << violations.size() << " acknowledged originals lost or corrupted after all rounds:" << report;
  }
  std::printf("D1: %d rounds, %zu acknowledged uploads, %zu committed without acknowledgement, %zu busy "
              "refusals, worst restart-to-ready %.0f ms, %.1f s\n",
              n_rounds, total_acked, total_unacked_listed, total_busy, worst_restart_ms,
              std::chrono::duration<double>(Clock::now() - t0).count());
  RecordProperty("acknowledged_uploads", std::to_string(total_acked));
  EXPECT_GT(total_acked, static_cast<size_t>(n_rounds) * 10) << "too little load to mean anything";
  EXPECT_EQ(child->terminate(10s), 0) << readFile(log);
  // The run time (about 75 s for 20 rounds on 2 cores, alone) is reported, not asserted: it
  // depends on what else the machine runs, and ctest's timeout bounds a hang.
}

}  // namespace
}  // namespace nubis::testing
