// Clock: the outside world's time, passed in so tests can move it (TTL edges, rate windows).
//
// Thread-safety: implementations are safe to call from any thread.
#pragma once

#include <atomic>
#include <cstdint>

namespace nubis {

class Clock {
 public:
  virtual ~Clock() = default;
  // Microseconds since the Unix epoch, UTC.
  virtual int64_t nowMicros() const = 0;
  int64_t nowSeconds() const { return nowMicros() / 1000000; }
};

class SystemClock final : public Clock {
 public:
  int64_t nowMicros() const override;
};

// A clock that only moves when told to. Used by tests and by `serve --fake-clock` (never in
// production builds' default path).
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_micros) : now_(start_micros) {}
  int64_t nowMicros() const override { return now_.load(); }
  void set(int64_t micros) { now_.store(micros); }
  void advance(int64_t micros) { now_.fetch_add(micros); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace nubis
