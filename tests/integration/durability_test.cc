// D2-lite: the real `nubis` binary as a child process; 8 threads create/update/roll/delete
// tokens; kill -9 at a random moment; restart on the same data dir; every acknowledged operation
// must have survived (RELIABILITY §7 D2):
//   - an acknowledged create exists;
//   - after an acknowledged roll the old secret is refused and the new one verifies;
//   - an acknowledged delete is gone and its secret refused;
//   - an unacknowledged roll leaves the token in exactly one of two states: old secret valid (not
//     applied) or old secret refused with the token still there (applied).
// Five rounds on one data dir (each round crashes a server that recovered from the last crash).
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
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



Response call(HttpConnection& c, std::string_view method, const std::string& path,
              const std::string& token, const json::value& body = nullptr) {
  Headers h{{"Authorization", "Bearer " + token}};
  std::string payload;
  if (!body.is_null()) {
    h.emplace_back("Content-Type", "application/json");
    payload = json::serialize(body);
  }
  return c.request(method, "/client/v4" + path, h, payload);
}

json::object body(const std::string& name) {
  return tokenBody(name, {policy({pg::kZoneRead}, {zoneRes("*")})});
}

// What one worker knows about one of its tokens.
struct Tok {
  std::string id, name, secret;
  std::vector<std::string> dead;  // secrets rolled away by acknowledged rolls
  std::optional<std::string> pending_name;
  bool pending_roll = false, pending_delete = false, deleted = false;
};

struct Worker {
  std::vector<Tok> toks;
  std::set<std::string> names;  // every name ever sent
  size_t acked = 0, unacked_creates = 0;
  std::vector<std::string> unexpected;
};

void hammer(uint16_t port, const std::string& admin, int thread, int round, uint64_t seed,
            const std::atomic<bool>& stop, Worker& w) {
  std::mt19937_64 rng(seed);
  HttpConnection c(port);
  int n = 0;
  while (!stop.load()) {
    std::vector<Tok*> live;
    for (auto& t : w.toks)
      if (!t.deleted) live.push_back(&t);
    int op = live.size() < 2 ? 0 : static_cast<int>(rng() % 4);
    if (op == 0 && live.size() >= 5) op = 1 + static_cast<int>(rng() % 3);
    std::string name = "w" + std::to_string(thread) + "-r" + std::to_string(round) + "-" + std::to_string(++n);
    Tok* t = live.empty() ? nullptr : live[rng() % live.size()];
    Response r;
    if (op == 0) {
      w.names.insert(name);
      r = call(c, "POST", "/user/tokens", admin, body(name));
      if (r.status == 200) w.toks.push_back(Tok{str(r.result(), "id"), name, str(r.result(), "value")});
      if (r.status == 0) ++w.unacked_creates;
    } else if (op == 1) {
      w.names.insert(name);
      r = call(c, "PUT", "/user/tokens/" + t->id, admin, body(name));
      if (r.status == 200) t->name = name;
      if (r.status == 0) t->pending_name = name;
    } else if (op == 2) {
      r = call(c, "PUT", "/user/tokens/" + t->id + "/value", admin, json::object{});
      if (r.status == 200) {
        t->dead.push_back(t->secret);
        t->secret = std::string(r.result().as_string());
      }
      if (r.status == 0) t->pending_roll = true;
    } else {
      r = call(c, "DELETE", "/user/tokens/" + t->id, admin);
      if (r.status == 200) t->deleted = true;
      if (r.status == 0) t->pending_delete = true;
    }
    if (r.status == 0) return;  // the server is gone: this op is unacknowledged, stop here
    if (r.status == 200) {
      ++w.acked;
    } else {
      w.unexpected.push_back("op " + std::to_string(op) + ": " + r.describe());
    }
  }
}

// Checks one worker's tokens against the restarted server; appends violations.
void check(HttpConnection& c, const std::string& admin, const Worker& w,
           std::vector<std::string>& violations) {
  auto verifies = [&](const std::string& secret) {
    return call(c, "GET", "/user/tokens/verify", secret).status;
  };
  for (const Tok& t : w.toks) {
    const std::string who = "token " + t.id + " (" + t.name + ")";
    Response got = call(c, "GET", "/user/tokens/" + t.id, admin);
    unsigned v = verifies(t.secret);
    for (const auto& old : t.dead)
      if (verifies(old) != 401) violations.push_back(who + ": a rolled-away secret verifies");
    if (t.deleted) {
      if (got.status != 404) violations.push_back(who + ": acknowledged delete, GET " + got.describe());
      if (v != 401) violations.push_back(who + ": acknowledged delete, secret still verifies");
      continue;
    }
    if (t.pending_delete) {
      if (got.status == 200 && v != 200) violations.push_back(who + ": delete not applied, secret refused");
      if (got.status == 404 && v != 401) violations.push_back(who + ": delete applied, secret verifies");
      if (got.status != 200 && got.status != 404) violations.push_back(who + ": GET " + got.describe());
      continue;
    }
    if (got.status != 200) {
      violations.push_back(who + ": acknowledged token missing: " + got.describe());
      continue;
    }
    std::string name = str(got.result(), "name");
    if (name != t.name && (!t.pending_name || name != *t.pending_name))
      violations.push_back(who + ": name is \"" + name + "\"");
    if (t.pending_roll) {
      // Not applied (old secret valid) or applied (old refused, token still there): both fine.
      if (v != 200 && v != 401) violations.push_back(who + ": unacknowledged roll, verify " + std::to_string(v));
    } else if (v != 200) {
      violations.push_back(who + ": current secret refused (" + std::to_string(v) + ")");
    }
  }
}

TEST(DurabilityTest, KillNineDuringTokenMutationsLosesNothingAcknowledged) {
  char tmpl[] = "/tmp/nubis-d2-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::string root = tmpl, dir = root + "/data", log = root + "/server.log";
  fs::create_directory(dir);
  struct Cleanup {
    std::string root;
    ~Cleanup() { std::error_code ec; fs::remove_all(root, ec); }
  } cleanup{root};

  const uint64_t seed = std::random_device{}();
  RecordProperty("seed", std::to_string(seed));
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  const auto t0 = std::chrono::steady_clock::now();

  auto child = std::make_unique<ChildServer>(NUBIS_BINARY, dir, log, std::vector<std::string>{"--io-threads", "2", "--workers", "4"}, 10s);
  std::string err = child->start();
  ASSERT_EQ(err, "");
  json::value boot = parseJson(readFile(dir + "/bootstrap.json"));
  ASSERT_TRUE(boot.is_object());
  const std::string admin(boot.at("api_token").as_string());
  const std::string admin_id(boot.at("api_token_id").as_string());

  size_t total_acked = 0;
  for (int round = 1; round <= 5; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::atomic<bool> stop{false};
    std::vector<Worker> workers(8);
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i)
      threads.emplace_back(hammer, child->port(), std::cref(admin), i, round, rng(), std::cref(stop),
                           std::ref(workers[i]));
    std::this_thread::sleep_for(std::chrono::milliseconds(200 + rng() % 800));
    child->kill9();
    stop = true;
    for (auto& th : threads) th.join();

    ASSERT_EQ(err = child->start(), "");
    HttpConnection c(child->port());
    std::vector<std::string> violations;
    std::set<std::string> names{"Bootstrap token"}, ids{admin_id};
    size_t unacked_creates = 0, acked = 0;
    for (const Worker& w : workers) {
      check(c, admin, w, violations);
      for (const auto& u : w.unexpected) violations.push_back("unexpected answer during load: " + u);
      names.insert(w.names.begin(), w.names.end());
      for (const auto& t : w.toks) ids.insert(t.id);
      unacked_creates += w.unacked_creates;
      acked += w.acked;
    }
    // Nothing listed that nobody asked for; at most the unacknowledged creates are unknown.
    Response list = call(c, "GET", "/user/tokens?per_page=50", admin);
    ASSERT_EQ(list.status, 200u) << list.describe();
    size_t unknown = 0;
    for (const auto& item : list.result().as_array()) {
      if (!names.count(str(item, "name"))) violations.push_back("listed, never requested: " + str(item, "name"));
      if (!ids.count(str(item, "id"))) ++unknown;
    }
    if (unknown > unacked_creates)
      violations.push_back(std::to_string(unknown) + " unknown tokens listed, only " +
                           std::to_string(unacked_creates) + " unacknowledged creates");
    size_t pending = 0;
    for (const Worker& w : workers)
      for (const auto& t : w.toks) pending += t.pending_roll + t.pending_delete + t.pending_name.has_value();
    std::printf("round %d: %zu acknowledged ops, %zu unacknowledged on known tokens, %zu unacknowledged "
                "creates, %zu violations\n",
                round, acked, pending, unacked_creates, violations.size());
    EXPECT_GT(acked, 50u) << "too little load to mean anything";
    total_acked += acked;
    std::string report;
    for (size_t i = 0; i < violations.size() && i < 20; ++i) report += "\n  " + violations[i];
    EXPECT_TRUE(violations.empty()) << violations.size() << " violations:" << report;

    // Start the next round from an empty token list (the user quota is 50).
    for (const auto& item : list.result().as_array()) {
      if (str(item, "id") == admin_id) continue;
      EXPECT_EQ(call(c, "DELETE", "/user/tokens/" + str(item, "id"), admin).status, 200u);
    }
  }
  RecordProperty("acknowledged_ops", std::to_string(total_acked));
  // A clean stop at the end: SIGTERM drains and exits 0.
  EXPECT_EQ(child->terminate(10s), 0) << readFile(log);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 30s);
}

}  // namespace
}  // namespace nubis::testing
