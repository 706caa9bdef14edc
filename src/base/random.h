// Random: the source of every identifier and secret, passed in so tests can be deterministic.
//
// Thread-safety: implementations are safe to call from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>

namespace nubis {

class Random {
 public:
  virtual ~Random() = default;
  virtual void fill(uint8_t* out, size_t n) = 0;
};

// OpenSSL's CSPRNG. Aborts if the system cannot provide entropy: issuing a weak secret is worse
// than not starting.
class OsRandom final : public Random {
 public:
  void fill(uint8_t* out, size_t n) override;
};

// splitmix64: reproducible bytes for tests. Never for secrets outside tests.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}
  void fill(uint8_t* out, size_t n) override;

 private:
  std::mutex mu_;
  uint64_t state_;
};

}  // namespace nubis
