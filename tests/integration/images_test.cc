// Images behaviour that needs the fake clock or a non-default setting: direct-upload expiry (A9),
// signed-URL expiry (A8) as time passes, the stats allowance as a limit.
#include <gtest/gtest.h>
#include <vips/vips.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "images/options/signing.h"
#include "test_server.h"

namespace nubis::testing {
namespace {
namespace json = boost::json;

// A w x h grey PNG made by libvips (App::create has initialised it).
std::string png(int w, int h) {
  VipsImage* img = nullptr;
  void* buf = nullptr;
  size_t len = 0;
  if (vips_black(&img, w, h, "bands", 3, nullptr) != 0) return "";
  int rc = vips_pngsave_buffer(img, &buf, &len, nullptr);
  g_object_unref(img);
  if (rc != 0) return "";
  std::string out(static_cast<const char*>(buf), len);
  g_free(buf);
  return out;
}

const std::string kBoundary = "nubisTestBoundary7MA4YWxk";

std::string form(const std::vector<std::pair<std::string, std::string>>& fields,
                 const std::string* file = nullptr) {
  std::string b;
  for (const auto& [k, v] : fields)
    b += "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v + "\r\n";
  if (file)
    b += "--" + kBoundary +
         "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t.png\"\r\n"
         "Content-Type: image/png\r\n\r\n" + *file + "\r\n";
  return b + "--" + kBoundary + "--\r\n";
}

Headers formHeaders(const TestServer& srv) {
  return {{"Authorization", "Bearer " + srv.boot().api_token},
          {"Content-Type", "multipart/form-data; boundary=" + kBoundary}};
}

std::string imagesPath(const TestServer& srv) {
  return "/client/v4/accounts/" + srv.boot().account_id + "/images";
}

Response upload(TestServer& srv, const std::string& bytes, std::vector<std::pair<std::string, std::string>> fields = {}) {
  return srv.request("POST", imagesPath(srv) + "/v1", formHeaders(srv), form(fields, &bytes));
}

TEST(ImagesIt, DirectUploadUrlExpiresWithTheClock) {
  TestServer srv;
  Response created = srv.request("POST", imagesPath(srv) + "/v2/direct_upload", formHeaders(srv), form({}));
  ASSERT_EQ(created.status, 200u) << created.describe();
  const std::string id(created.result().at("id").as_string());
  const std::string url(created.result().at("uploadURL").as_string());
  // http://127.0.0.1:<port>/upload/<hash>/<id>
  const size_t port_at = url.find(':', 7) + 1;
  const uint16_t port = static_cast<uint16_t>(std::stoi(url.substr(port_at)));
  const std::string target = url.substr(url.find('/', port_at));

  Response draft = srv.request("GET", imagesPath(srv) + "/v1/" + id,
                               {{"Authorization", "Bearer " + srv.boot().api_token}});
  ASSERT_EQ(draft.status, 200u) << draft.describe();
  EXPECT_TRUE(draft.result().at("draft").as_bool());

  // Default expiry: 30 minutes. One second past it the URL is dead and the draft is gone.
  srv.advance(30 * 60 * kSecond + kSecond);
  HttpConnection delivery(port);
  std::string bytes = png(8, 8);
  Response late = delivery.request("POST", target,
                                   {{"Content-Type", "multipart/form-data; boundary=" + kBoundary}},
                                   form({}, &bytes));
  EXPECT_EQ(late.status, 400u) << late.describe();
  EXPECT_NE(late.errorMessage().find("expired"), std::string::npos) << late.describe();
  Response gone = srv.request("GET", imagesPath(srv) + "/v1/" + id,
                              {{"Authorization", "Bearer " + srv.boot().api_token}});
  EXPECT_EQ(gone.status, 404u) << gone.describe();
  EXPECT_EQ(gone.errorCode(), 5404);

  // A fresh one, used in time, works once.
  Response again = srv.request("POST", imagesPath(srv) + "/v2/direct_upload", formHeaders(srv), form({}));
  ASSERT_EQ(again.status, 200u);
  std::string url2(again.result().at("uploadURL").as_string());
  std::string target2 = url2.substr(url2.find('/', url2.find(':', 7)));
  srv.advance(29 * 60 * kSecond);
  Response ok = delivery.request("POST", target2, {{"Content-Type", "multipart/form-data; boundary=" + kBoundary}},
                                 form({}, &bytes));
  EXPECT_EQ(ok.status, 200u) << ok.describe();
  Response twice = delivery.request("POST", target2, {{"Content-Type", "multipart/form-data; boundary=" + kBoundary}},
                                    form({}, &bytes));
  EXPECT_EQ(twice.status, 400u) << twice.describe();
}

TEST(ImagesIt, SignedUrlStopsWorkingWhenExpPasses) {
  TestServer srv;
  Response up = upload(srv, png(16, 16), {{"requireSignedURLs", "true"}});
  ASSERT_EQ(up.status, 200u) << up.describe();
  const std::string id(up.result().at("id").as_string());
  Response keys = srv.request("GET", imagesPath(srv) + "/v1/keys",
                              {{"Authorization", "Bearer " + srv.boot().api_token}});
  ASSERT_EQ(keys.status, 200u);
  const std::string key(keys.result().at("keys").as_array()[0].at("value").as_string());
  const std::string path = "/" + srv.boot().account_hash + "/" + id + "/public";
  const int64_t now_s = srv.clock().nowMicros() / kSecond;
  const std::string query = images::signPath(path, key, now_s + 60);
  const std::string url = "/cdn-cgi/imagedelivery" + path + "?" + query;

  Response fresh = srv.request("GET", url);
  EXPECT_EQ(fresh.status, 200u) << fresh.describe();
  EXPECT_EQ(fresh.header("Cache-Control").rfind("private", 0), 0u) << fresh.header("Cache-Control");
  srv.advance(60 * kSecond);  // exp == now: still valid
  EXPECT_EQ(srv.request("GET", url).status, 200u);
  srv.advance(kSecond);
  Response expired = srv.request("GET", url);
  EXPECT_EQ(expired.status, 403u);
  EXPECT_EQ(expired.body.rfind("ERROR 9425", 0), 0u) << expired.body;
  EXPECT_EQ(expired.header("Cf-Resized"), "err=9425");
}

TEST(ImagesIt, AllowanceIsALimit) {
  TestServerOptions opt;
  opt.image_allowance = 2;
  TestServer srv(opt);
  std::string bytes = png(4, 4);
  Response a = upload(srv, bytes), b = upload(srv, bytes);
  ASSERT_EQ(a.status, 200u) << a.describe();
  ASSERT_EQ(b.status, 200u) << b.describe();
  Response c = upload(srv, bytes);
  EXPECT_EQ(c.status, 403u) << c.describe();
  EXPECT_EQ(c.errorCode(), 5403);
  Response stats = srv.request("GET", imagesPath(srv) + "/v1/stats",
                               {{"Authorization", "Bearer " + srv.boot().api_token}});
  EXPECT_EQ(stats.result().at("count").at("allowed").as_int64(), 2);
  EXPECT_EQ(stats.result().at("count").at("current").as_int64(), 2);
  const std::string id(a.result().at("id").as_string());
  Response del = srv.request("DELETE", imagesPath(srv) + "/v1/" + id,
                             {{"Authorization", "Bearer " + srv.boot().api_token}});
  ASSERT_EQ(del.status, 200u) << del.describe();
  EXPECT_EQ(upload(srv, bytes).status, 200u);
}

}  // namespace
}  // namespace nubis::testing

namespace nubis::testing {
namespace {

TEST(ImagesIt, DeliveryListenerWritesAnAccessLineWithoutTheQuery) {
  TestServerOptions opts;
  opts.access_log = true;
  TestServer srv(opts);
  Response up = upload(srv, png(24, 24));
  ASSERT_EQ(up.status, 200u) << up.describe();
  // http://127.0.0.1:<port>/<hash>/<id>/public
  const std::string url(up.result().at("variants").as_array()[0].as_string());
  const size_t port_at = url.find(':', 7) + 1;
  const uint16_t port = static_cast<uint16_t>(std::stoi(url.substr(port_at)));
  const std::string path = url.substr(url.find('/', port_at));
  HttpConnection delivery(port);
  ASSERT_EQ(delivery.request("GET", path + "?sig=secretlooking").status, 200u);
  ASSERT_EQ(delivery.request("GET", path + "?sig=secretlooking").status, 200u);
  ASSERT_EQ(delivery.request("GET", "/nohash/noid/public").status / 100, 4u);

  std::vector<std::string> lines;
  // The log is buffered for up to 200 ms; the recording logger keeps access lines as written.
  for (int i = 0; i < 50 && lines.size() < 3; ++i) {
    lines.clear();
    for (const auto& l : srv.log().lines())
      if (l.find("\"listener\":\"delivery\"") != std::string::npos) lines.push_back(l);
    if (lines.size() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(lines.size(), 3u);
  for (const auto& l : lines) {
    EXPECT_EQ(l.find("secretlooking"), std::string::npos) << l;
    EXPECT_TRUE(json::parse(l).is_object()) << l;
  }
  const json::object first = json::parse(lines[0]).as_object();
  EXPECT_EQ(first.at("path").as_string(), path);
  EXPECT_EQ(first.at("status").as_int64(), 200);
  EXPECT_EQ(first.at("from").as_string(), "pipeline");
  EXPECT_GT(first.at("bytes").as_int64(), 0);
  EXPECT_EQ(json::parse(lines[1]).at("from").as_string(), "memory");
  EXPECT_EQ(json::parse(lines[2]).at("status").as_int64() / 100, 4);
}

}  // namespace
}  // namespace nubis::testing
