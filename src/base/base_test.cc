#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <set>

#include "base/ids.h"
#include "base/log.h"
#include "base/random.h"
#include "base/time_util.h"

namespace nubis {
namespace {

TEST(Ids, ShapesMatchTheContract) {
  SeededRandom rng(7);
  for (int i = 0; i < 200; ++i) {
    EXPECT_TRUE(ids::isId(ids::newId(rng)));
    std::string s = ids::newTokenSecret(rng);
    ASSERT_EQ(s.size(), 40u);
    for (char c : s) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
    std::string k = ids::newGlobalKey(rng);
    EXPECT_EQ(k.size(), 37u);
    EXPECT_TRUE(ids::isHex(k));
    EXPECT_EQ(ids::newAccountHash(rng).size(), 22u);
    std::string u = ids::newUuid(rng);
    ASSERT_EQ(u.size(), 36u);
    EXPECT_EQ(u[14], '4');
    EXPECT_NE(std::string("89ab").find(u[19]), std::string::npos);
  }
}

TEST(Ids, OsRandomDoesNotRepeat) {
  OsRandom rng;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(seen.insert(ids::newTokenSecret(rng)).second);
}

TEST(Ids, IsIdRejectsOtherShapes) {
  EXPECT_FALSE(ids::isId("023e105f4ecef8ad9ca31a8372d0c35"));    // 31
  EXPECT_FALSE(ids::isId("023E105F4ECEF8AD9CA31A8372D0C353"));   // upper case
  EXPECT_FALSE(ids::isId("023e105f4ecef8ad9ca31a8372d0c35g"));   // not hex
  EXPECT_TRUE(ids::isId("023e105f4ecef8ad9ca31a8372d0c353"));
}

struct TimeCase {
  const char* text;
  bool ok;
  int64_t micros;
};

TEST(Time, ParsesRfc3339) {
  const TimeCase cases[] = {
      {"1970-01-01T00:00:00Z", true, 0},
      {"2018-07-01T05:20:00Z", true, 1530422400LL * 1000000},
      {"2018-07-01T05:20:00.5Z", true, 1530422400LL * 1000000 + 500000},
      {"2018-07-01T07:20:00+02:00", true, 1530422400LL * 1000000},
      {"2018-07-01T03:20:00-02:00", true, 1530422400LL * 1000000},
      {"2020-02-29T00:00:00Z", true, 1582934400LL * 1000000},
      {"2019-02-29T00:00:00Z", false, 0},
      {"2018-13-01T00:00:00Z", false, 0},
      {"2018-07-01T24:00:00Z", false, 0},
      {"2018-07-01 05:20:00", false, 0},
      {"2018-07-01T05:20:00", false, 0},
      {"", false, 0},
      {"2018-07-01T05:20:00Zjunk", false, 0},
      // Offsets that carry the instant outside 0000-9999 UTC cannot be written back: refused
      // (found by fuzz/rfc3339).
      {"9999-12-31T23:59:59-00:01", false, 0},
      {"0000-01-01T00:00:00+05:30", false, 0},
      {"9999-12-31T23:59:59Z", true, 253402300799LL * 1000000},
      {"0000-01-01T00:00:00Z", true, -62167219200LL * 1000000},
  };
  for (const auto& c : cases) {
    auto t = timeutil::parse(c.text);
    EXPECT_EQ(t.has_value(), c.ok) << c.text;
    if (c.ok && t) {
      EXPECT_EQ(*t, c.micros) << c.text;
    }
  }
}

TEST(Time, FormatsRoundTrip) {
  EXPECT_EQ(timeutil::formatSeconds(1530422400LL * 1000000), "2018-07-01T05:20:00Z");
  EXPECT_EQ(timeutil::formatMicros(1530422400LL * 1000000 + 123456), "2018-07-01T05:20:00.123456Z");
  EXPECT_EQ(timeutil::formatHttpDate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  for (int64_t t : {0LL, 951782400LL * 1000000, 4102444800LL * 1000000 + 1})
    EXPECT_EQ(*timeutil::parse(timeutil::formatMicros(t)), t);
}


// Reads what is in the pipe now, without blocking.
std::string drain(int fd) {
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

TEST(Log, AccessLinesAreBufferedEventLinesFlushInOrder) {
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_NONBLOCK), 0);
  ::fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
  {
    StderrLogger log(true, fds[1]);
    log.access(R"({"a":1})");
    log.access(R"({"a":2})");
    EXPECT_EQ(drain(fds[0]), "") << "access lines written one by one";
    log.error("boom", "x");
    EXPECT_EQ(drain(fds[0]),
              "{\"a\":1}\n{\"a\":2}\n{\"level\":\"error\",\"event\":\"boom\",\"message\":\"x\"}\n");
    // Size threshold: 16 KiB of access lines go out without waiting for the timer.
    std::string big(1000, 'x');
    for (int i = 0; i < 17; ++i) log.access(big);
    EXPECT_GE(drain(fds[0]).size(), 16u * 1024);
    // Time threshold: a lone line appears within the flush period.
    log.access("late");
    std::string got;
    for (int i = 0; i < 50 && got.empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      got = drain(fds[0]);
    }
    EXPECT_NE(got.find("late\n"), std::string::npos);
    log.access("last");
  }  // the destructor flushes
  EXPECT_EQ(drain(fds[0]), "last\n");
  ::close(fds[0]);
  ::close(fds[1]);
}

}  // namespace
}  // namespace nubis
