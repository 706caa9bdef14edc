// MemoryBudget: a counting semaphore over bytes, for decodes that must hold a whole image (or its
// coefficients) in memory at once. Streaming decodes (baseline JPEG, non-interlaced PNG) hold a
// few scanlines and take nothing from it; progressive JPEG, interlaced PNG, GIF, WebP and HEIF
// hold the whole frame and take their estimate (decode_cost.h) for as long as their pixels live.
//
// Why a budget and not only the pixel limits: 100 MP is allowed, and at 4 to 9 bytes a pixel one
// such decode is 0.4 to 0.9 GB. The render pool runs several at once, so without a budget a few
// large (or hostile but valid) images multiply that into the process's whole memory.
//
// Thread-safe. A Lease gives its bytes back when destroyed and must not outlive its budget.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>

namespace nubis::images::pipeline::detail {

class MemoryBudget {
 public:
  class Lease {
   public:
    Lease() = default;  // holds nothing
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    uint64_t bytes() const { return bytes_; }

   private:
    friend class MemoryBudget;
    Lease(MemoryBudget* owner, uint64_t bytes) : owner_(owner), bytes_(bytes) {}
    void release();

    MemoryBudget* owner_ = nullptr;
    uint64_t bytes_ = 0;
  };

  MemoryBudget(uint64_t capacity_bytes, std::chrono::milliseconds max_wait)
      : capacity_(capacity_bytes), max_wait_(max_wait) {}
  MemoryBudget(const MemoryBudget&) = delete;
  MemoryBudget& operator=(const MemoryBudget&) = delete;

  // `bytes` out of the budget, waiting up to max_wait for other leases to end; nullopt when
  // they did not end in time. 0 bytes is granted at once. More than capacity() is never granted
  // (callers refuse such an image outright instead: see fits()).
  std::optional<Lease> acquire(uint64_t bytes);

  bool fits(uint64_t bytes) const { return bytes <= capacity_; }
  uint64_t capacity() const { return capacity_; }
  uint64_t inUse() const;

 private:
  void giveBack(uint64_t bytes);

  const uint64_t capacity_;
  const std::chrono::milliseconds max_wait_;
  mutable std::mutex mu_;
  std::condition_variable freed_;
  uint64_t in_use_ = 0;  // guarded by mu_
};

// The process-wide budget every probe() and render() decode draws from: 512 MB, waiting up to
// 1 s. A constant rather than a flag: it is what the reliability suite (R4) holds the server to
// (peak RSS at most baseline + 512 MB under hostile uploads), and a process-wide figure cannot
// be passed through render()'s callers without widening every signature. Built on first use.
MemoryBudget& decodeBudget();

}  // namespace nubis::images::pipeline::detail
