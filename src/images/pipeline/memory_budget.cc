#include "images/pipeline/memory_budget.h"

#include <utility>

namespace nubis::images::pipeline::detail {

MemoryBudget::Lease::Lease(Lease&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}

MemoryBudget::Lease& MemoryBudget::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = std::exchange(other.owner_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

MemoryBudget::Lease::~Lease() { release(); }

void MemoryBudget::Lease::release() {
  if (owner_ != nullptr && bytes_ > 0) owner_->giveBack(bytes_);
  owner_ = nullptr;
  bytes_ = 0;
}

std::optional<MemoryBudget::Lease> MemoryBudget::acquire(uint64_t bytes) {
  if (bytes == 0) return Lease{};
  if (bytes > capacity_) return std::nullopt;
  std::unique_lock lock(mu_);
  // No queue: a waiter takes its bytes as soon as they are free. A large request can lose to a
  // stream of small ones for max_wait and then answers "busy", which the caller may retry; the
  // bound on memory is what matters here, not fairness.
  if (!freed_.wait_for(lock, max_wait_, [&] { return capacity_ - in_use_ >= bytes; })) {
    return std::nullopt;
  }
  in_use_ += bytes;
  return Lease(this, bytes);
}

uint64_t MemoryBudget::inUse() const {
  std::lock_guard lock(mu_);
  return in_use_;
}

void MemoryBudget::giveBack(uint64_t bytes) {
  {
    std::lock_guard lock(mu_);
    in_use_ -= bytes;
  }
  freed_.notify_all();
}

MemoryBudget& decodeBudget() {
  static MemoryBudget budget(uint64_t{512} << 20, std::chrono::milliseconds(1000));
  return budget;
}

}  // namespace nubis::images::pipeline::detail
