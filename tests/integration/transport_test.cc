// The HTTP edge over raw sockets (R1/R2 subset, O1): ambiguous framing refused and closed,
// header/body limits, keep-alive and pipelining, Cloudflare-shaped routing errors, the ops
// endpoints, /openapi.json honesty, graceful drain.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <thread>

#include "api_helpers.h"
#include "test_server.h"

namespace nubis::testing {
namespace {
namespace json = boost::json;

std::string get(std::string_view target, std::string_view extra = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra) + "\r\n";
}

std::string bearer(const TestServer& srv) { return "Authorization: Bearer " + srv.boot().api_token + "\r\n"; }

// Sends raw bytes on a fresh connection; expects one response with `status`, then the close.
Response refusedAndClosed(TestServer& srv, const std::string& wire, unsigned status) {
  auto c = srv.connect();
  EXPECT_TRUE(c->connect());
  c->send(wire);  // may fail half-way when the server gives up early; the answer must still come
  auto r = c->readResponse();
  EXPECT_TRUE(r.has_value()) << c->lastError();
  if (!r) return Response{};
  EXPECT_EQ(r->status, status) << r->describe();
  EXPECT_FALSE(r->keep_alive);
  EXPECT_EQ(r->header("Connection"), "close");
  size_t extra = 0;
  EXPECT_TRUE(c->waitClosed(3000ms, &extra)) << "connection left open";
  EXPECT_EQ(extra, 0u) << "bytes after the refusal (a second, smuggled response?)";
  return *r;
}

TEST(TransportTest, ContentLengthWithTransferEncodingRefusedAndNotSmuggled) {
  TestServer srv;
  const std::string canary =
      json::serialize(tokenBody("smuggled", {policy({pg::kZoneRead}, {zoneRes("*")})}));
  const std::string smuggled = "POST /client/v4/user/tokens HTTP/1.1\r\nHost: t\r\n" + bearer(srv) +
                               "Content-Type: application/json\r\nContent-Length: " +
                               std::to_string(canary.size()) + "\r\n\r\n" + canary;
  const std::string body = "0\r\n\r\n" + smuggled;
  for (const char* order : {"cl-first", "te-first"}) {
    SCOPED_TRACE(order);
    std::string cl = "Content-Length: " + std::to_string(body.size()) + "\r\n";
    std::string te = "Transfer-Encoding: chunked\r\n";
    std::string wire = "POST /client/v4/user/tokens HTTP/1.1\r\nHost: t\r\n" + bearer(srv) +
                       (std::string(order) == "cl-first" ? cl + te : te + cl) + "\r\n" + body;
    Response r = refusedAndClosed(srv, wire, 400);
    EXPECT_FALSE(r.success());
  }
  Response list = srv.call("GET", "/user/tokens", srv.boot().api_token);
  EXPECT_EQ(list.body.find("smuggled"), std::string::npos) << list.body;
}

TEST(TransportTest, DuplicateContentLengthRefused) {
  TestServer srv;
  refusedAndClosed(srv,
                   "POST /client/v4/user/tokens HTTP/1.1\r\nHost: t\r\n" + bearer(srv) +
                       "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
                   400);
  refusedAndClosed(srv,
                   "POST /client/v4/user/tokens HTTP/1.1\r\nHost: t\r\n" + bearer(srv) +
                       "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}",
                   400);
  refusedAndClosed(srv,
                   "POST /client/v4/user/tokens HTTP/1.1\r\nHost: t\r\n" + bearer(srv) +
                       "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
                   400);
  refusedAndClosed(srv, "GET /healthz HTTP/1.1 extra\r\nHost: t\r\n\r\n", 400);
  for (const char* len : {"-1", "1e3", "0x10", "99999999999999999999999"}) {
    SCOPED_TRACE(len);
    refusedAndClosed(srv,
                     "POST /client/v4/user/tokens HTTP/1.1\r\nHost: t\r\n" + bearer(srv) +
                         "Content-Length: " + len + "\r\n\r\n{}",
                     400);
  }
}

TEST(TransportTest, HeaderSectionOver16KiBIs431) {
  TestServer srv;
  Response r = refusedAndClosed(srv, get("/healthz", "X-Big: " + std::string(17 * 1024, 'a') + "\r\n"), 431);
  EXPECT_EQ(r.errorCode(), 6005) << r.body;
  // Just under the limit is fine.
  Response ok = srv.request("GET", "/healthz", {{"X-Big", std::string(15 * 1024, 'a')}});
  EXPECT_EQ(ok.status, 200u) << ok.describe();
}

TEST(TransportTest, MoreThan100HeaderFieldsIs431) {
  TestServer srv;
  std::string many;
  for (int i = 0; i < 100; ++i) many += "X-F" + std::to_string(i) + ": v\r\n";
  refusedAndClosed(srv, get("/healthz", many), 431);  // Host + 100 = 101 fields
  Headers hundred;  // Host + 99 = 100 fields: allowed
  for (int i = 0; i < 99; ++i) hundred.emplace_back("X-F" + std::to_string(i), "v");
  Response ok = srv.request("GET", "/healthz", hundred);
  EXPECT_EQ(ok.status, 200u) << ok.describe();
}

TEST(TransportTest, BodyOverRouteLimitIs413) {
  TestServer srv;
  // Declared length over the 64 KiB limit of POST /user/tokens: refused before the body is read.
  Response r = refusedAndClosed(srv,
                                "POST /client/v4/user/tokens HTTP/1.1\r\nHost: t\r\n" + bearer(srv) +
                                    "Content-Length: 65537\r\n\r\n",
                                413);
  EXPECT_EQ(r.errorCode(), 6004) << r.body;
  // Chunked: refused once the body passes the limit.
  std::string chunk(70000, ' ');
  char size[16];
  std::snprintf(size, sizeof size, "%zx", chunk.size());
  refusedAndClosed(srv,
                   "POST /client/v4/user/tokens HTTP/1.1\r\nHost: t\r\n" + bearer(srv) +
                       "Transfer-Encoding: chunked\r\n\r\n" + size + "\r\n" + chunk + "\r\n0\r\n\r\n",
                   413);
  // The roll route allows 4 KiB.
  refusedAndClosed(srv,
                   "PUT /client/v4/user/tokens/" + srv.boot().api_token_id + "/value HTTP/1.1\r\nHost: t\r\n" +
                       bearer(srv) + "Content-Length: 4097\r\n\r\n" + std::string(4097, ' '),
                   413);
  // The token was not rolled by any of that.
  EXPECT_EQ(verify(srv, srv.boot().api_token).status, 200u);
}

TEST(TransportTest, KeepAliveServes100SequentialRequestsOnOneConnection) {
  TestServer srv;
  auto c = srv.connect();
  uint16_t port = 0;
  for (int i = 0; i < 100; ++i) {
    Response r = c->request("GET", "/client/v4/user/tokens/verify",
                            {{"Authorization", "Bearer " + srv.boot().api_token}});
    ASSERT_EQ(r.status, 200u) << "request #" << i << ": " << r.describe();
    ASSERT_TRUE(r.keep_alive) << "request #" << i;
    if (i == 0) port = c->localPort();
    ASSERT_EQ(c->localPort(), port);
  }
  EXPECT_EQ(c->connectCount(), 1u);
  // HTTP/1.0 without keep-alive: answered, then closed.
  auto old = srv.connect();
  ASSERT_TRUE(old->connect());
  old->send("GET /healthz HTTP/1.0\r\n\r\n");
  auto r = old->readResponse();
  ASSERT_TRUE(r.has_value()) << old->lastError();
  EXPECT_EQ(r->status, 200u);
  EXPECT_TRUE(old->waitClosed());
}

TEST(TransportTest, PipelinedRequestsAnsweredInOrder) {
  TestServer srv;
  auto c = srv.connect();
  ASSERT_TRUE(c->connect());
  std::string wire = get("/client/v4/user/tokens/verify", bearer(srv)) + get("/healthz") +
                     get("/client/v4/nope", bearer(srv)) + get("/readyz") +
                     get("/client/v4/user/tokens/" + srv.boot().api_token_id, bearer(srv));
  ASSERT_TRUE(c->send(wire));
  auto r1 = c->readResponse(), r2 = c->readResponse(), r3 = c->readResponse(),
       r4 = c->readResponse(), r5 = c->readResponse();
  ASSERT_TRUE(r1 && r2 && r3 && r4 && r5) << c->lastError();
  EXPECT_EQ(str(r1->result(), "status"), "active");
  EXPECT_EQ(r2->body, "{\"status\":\"ok\"}");
  EXPECT_EQ(r3->status, 400u);
  EXPECT_EQ(r4->body, "{\"status\":\"ready\"}");
  EXPECT_EQ(str(r5->result(), "name"), "Bootstrap token");
}

TEST(TransportTest, RoutingErrorsAreCloudflareShaped) {
  TestServer srv;
  Response r = srv.call("GET", "/nope/nothing", srv.boot().api_token);
  EXPECT_EQ(r.status, 400u) << r.describe();
  EXPECT_EQ(r.errorCodes(), (std::vector<int64_t>{7003, 7000})) << r.body;
  EXPECT_FALSE(r.success());
  EXPECT_TRUE(r.result().is_null());
  EXPECT_EQ(r.errorMessage(), "Could not route to /nope/nothing, perhaps your object identifier is invalid?");
  // An id that is not an id under a real route.
  Response z = srv.call("GET", "/zones/not-an-id", srv.boot().api_token);
  EXPECT_EQ(z.status, 400u) << z.describe();
  EXPECT_EQ(z.errorCodes(), (std::vector<int64_t>{7003, 7000})) << z.body;

  Response m = srv.call("PATCH", "/user/tokens", srv.boot().api_token, json::object{});
  EXPECT_EQ(m.status, 405u) << m.describe();
  EXPECT_EQ(m.errorCode(), 7001) << m.body;
  Response d = srv.call("DELETE", "/user/tokens/verify", srv.boot().api_token);
  EXPECT_NE(d.status, 200u) << d.describe();
}

TEST(TransportTest, OpsEndpoints) {
  TestServer srv;
  Response h = srv.request("GET", "/healthz");
  EXPECT_EQ(h.status, 200u);
  EXPECT_EQ(str(h.json, "status"), "ok");
  Response rd = srv.request("GET", "/readyz");
  EXPECT_EQ(rd.status, 200u);
  EXPECT_EQ(str(rd.json, "status"), "ready");
  ASSERT_EQ(verify(srv, srv.boot().api_token).status, 200u);
  Response m = srv.request("GET", "/metrics");
  ASSERT_EQ(m.status, 200u);
  EXPECT_EQ(m.header("Content-Type").rfind("text/plain", 0), 0u) << m.header("Content-Type");
  EXPECT_NE(m.body.find("# TYPE nubis_http_requests_total counter"), std::string::npos);
  EXPECT_NE(m.body.find("nubis_http_requests_total{route=\"/client/v4/user/tokens/verify\",status=\"200\"} 1"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("nubis_http_request_duration_seconds_count"), std::string::npos);
  // No secret ever reaches the metrics.
  EXPECT_EQ(m.body.find(srv.boot().api_token), std::string::npos);
}

std::string fillParams(std::string path) {
  for (size_t open; (open = path.find('{')) != std::string::npos;)
    path.replace(open, path.find('}', open) - open + 1, "0123456789abcdef0123456789abcdef");
  return path;
}

TEST(TransportTest, OpenApiListsExactlyServedOperations) {
  TestServer srv;
  Response doc = srv.request("GET", "/openapi.json");
  ASSERT_EQ(doc.status, 200u);
  ASSERT_TRUE(doc.json.is_object()) << doc.body;
  const json::object& paths = doc.json.at("paths").as_object();
  ASSERT_TRUE(paths.contains("/user/tokens/verify"));
  EXPECT_TRUE(paths.at("/user/tokens/verify").as_object().contains("get"));
  for (const char* p : {"/user/tokens", "/user/tokens/{token_id}", "/user/tokens/{token_id}/value",
                        "/accounts/{account_id}/tokens/verify", "/zones", "/accounts"})
    EXPECT_TRUE(paths.contains(p)) << p;
  // Every listed operation is routed (no credentials: any answer but "no such route/method").
  size_t ops = 0;
  for (const auto& [path, methods] : paths) {
    for (const auto& [method, op] : methods.as_object()) {
      std::string m(method);
      for (auto& ch : m) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      std::string target = "/client/v4" + fillParams(std::string(path));
      Response r = srv.request(m, target, {}, (m == "GET" || m == "DELETE") ? "" : "{}");
      SCOPED_TRACE(m + " " + target);
      EXPECT_NE(r.status, 405u) << r.describe();
      auto codes = r.errorCodes();
      EXPECT_EQ(std::count(codes.begin(), codes.end(), 7000), 0) << r.describe();
      EXPECT_EQ(std::count(codes.begin(), codes.end(), 7003), 0) << r.describe();
      ++ops;
    }
  }
  EXPECT_GE(ops, 20u);
}

TEST(TransportTest, GracefulDrain) {
  TestServer srv;
  // An idle keep-alive connection.
  auto idle = srv.connect();
  ASSERT_EQ(idle->request("GET", "/healthz").status, 200u);
  // A slow client half-way through its request.
  auto slow = srv.connect();
  ASSERT_TRUE(slow->connect());
  ASSERT_TRUE(slow->send("GET /client/v4/user/tokens/verify HTTP/1.1\r\nHost: t\r\n"));
  std::this_thread::sleep_for(200ms);

  srv.drain();

  EXPECT_TRUE(idle->waitClosed(2000ms)) << "idle keep-alive connection not closed by drain";
  std::this_thread::sleep_for(100ms);
  for (int i = 0; i < 5; ++i) {
    auto late = srv.connect();
    if (!late->connect()) continue;  // refused: as it should be
    // Accepted by the kernel before the listener closed: must be closed unanswered.
    late->send(get("/healthz"));
    size_t extra = 0;
    EXPECT_TRUE(late->waitClosed(2000ms, &extra)) << "new connection #" << i << " served after drain";
    EXPECT_EQ(extra, 0u) << "new connection #" << i << " answered after drain";
  }
  auto last = srv.connect();
  EXPECT_FALSE(last->connect()) << "listener still accepting after drain";

  // The in-flight request finishes, with Connection: close.
  ASSERT_TRUE(slow->send(bearer(srv) + "\r\n"));
  auto r = slow->readResponse();
  ASSERT_TRUE(r.has_value()) << slow->lastError();
  EXPECT_EQ(r->status, 200u) << r->describe();
  EXPECT_FALSE(r->keep_alive);
  EXPECT_TRUE(slow->waitClosed(2000ms));

  for (int i = 0; i < 100 && srv.app().openConnections() > 0; ++i) std::this_thread::sleep_for(20ms);
  EXPECT_EQ(srv.app().openConnections(), 0u);
}

// Slowloris guards (http/deadlines.h): a header or body that does not arrive in time, or an idle
// keep-alive connection, is closed; a client that keeps trickling bytes does not reset the clock.
TEST(TransportTest, SlowClientsAreCutOffAtTheirDeadline) {
  TestServerOptions opt;
  opt.http.header_timeout = 600ms;
  opt.http.body_timeout = 600ms;
  opt.http.idle_timeout = 600ms;
  TestServer srv(opt);
  using clock = std::chrono::steady_clock;

  // Header never finished.
  auto half = srv.connect();
  ASSERT_TRUE(half->connect());
  auto t0 = clock::now();
  ASSERT_TRUE(half->send("GET /healthz HTTP/1.1\r\nHost: t\r\n"));
  EXPECT_TRUE(half->waitClosed(3000ms)) << "half-sent header held the connection";
  EXPECT_GE(clock::now() - t0, 500ms) << "closed before its deadline";

  // One byte every 100 ms: activity does not extend the header deadline.
  auto trickle = srv.connect();
  ASSERT_TRUE(trickle->connect());
  const std::string wire = "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: " + std::string(40, 'a');
  t0 = clock::now();
  bool cut = false;
  for (char ch : wire) {
    if (!trickle->send(std::string(1, ch))) {
      cut = true;
      break;
    }
    std::this_thread::sleep_for(100ms);
    if (clock::now() - t0 > 3000ms) break;
  }
  EXPECT_TRUE(cut || trickle->waitClosed(1000ms)) << "trickling client kept the connection";
  EXPECT_LT(clock::now() - t0, 3000ms);

  // Body announced but not sent.
  auto body = srv.connect();
  ASSERT_TRUE(body->connect());
  ASSERT_TRUE(body->send("POST /client/v4/user/tokens HTTP/1.1\r\nHost: t\r\n" + bearer(srv) +
                         "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"na"));
  EXPECT_TRUE(body->waitClosed(3000ms)) << "unfinished body held the connection";

  // Idle keep-alive, after a served request.
  auto idle = srv.connect();
  ASSERT_EQ(idle->request("GET", "/healthz").status, 200u);
  t0 = clock::now();
  EXPECT_TRUE(idle->waitClosed(3000ms)) << "idle connection not closed";
  EXPECT_GE(clock::now() - t0, 500ms);

  // A client inside its deadlines is served normally, request after request.
  auto good = srv.connect();
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(good->request("GET", "/healthz").status, 200u);
    std::this_thread::sleep_for(300ms);
  }
  EXPECT_EQ(good->connectCount(), 1u);
  for (int i = 0; i < 100 && srv.app().openConnections() > 1; ++i)
    std::this_thread::sleep_for(20ms);
  EXPECT_LE(srv.app().openConnections(), 1u);
}

}  // namespace
}  // namespace nubis::testing
