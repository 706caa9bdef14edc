// MemoryBudget: grants up to its capacity, waits for leases to end, gives up after max_wait,
// and never lets concurrent holders exceed the capacity.
#include "images/pipeline/memory_budget.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace nubis::images::pipeline::detail {
namespace {

using std::chrono::milliseconds;

TEST(MemoryBudget, GrantsUpToCapacityAndGivesBack) {
  MemoryBudget budget(100, milliseconds(0));
  auto a = budget.acquire(60);
  ASSERT_TRUE(a);
  EXPECT_EQ(budget.inUse(), 60u);
  EXPECT_FALSE(budget.acquire(41)) << "60 + 41 is over 100";
  auto b = budget.acquire(40);
  ASSERT_TRUE(b);
  EXPECT_EQ(budget.inUse(), 100u);
  a.reset();
  EXPECT_EQ(budget.inUse(), 40u);
  {
    MemoryBudget::Lease moved = std::move(*b);
    EXPECT_EQ(moved.bytes(), 40u);
    EXPECT_EQ(budget.inUse(), 40u);
  }
  EXPECT_EQ(budget.inUse(), 0u);
}

TEST(MemoryBudget, ZeroIsFreeAndOverCapacityNeverFits) {
  MemoryBudget budget(100, milliseconds(0));
  auto all = budget.acquire(100);
  ASSERT_TRUE(all);
  EXPECT_TRUE(budget.acquire(0)) << "streaming decodes take nothing";
  EXPECT_FALSE(budget.fits(101));
  EXPECT_FALSE(budget.acquire(101));
  EXPECT_TRUE(budget.fits(100));
}

TEST(MemoryBudget, WaitsForALeaseToEndThenGivesUp) {
  MemoryBudget budget(100, milliseconds(2000));
  auto held = budget.acquire(100);
  ASSERT_TRUE(held);
  std::thread releaser([&] {
    std::this_thread::sleep_for(milliseconds(100));
    held.reset();
  });
  const auto start = std::chrono::steady_clock::now();
  auto waited = budget.acquire(50);
  EXPECT_TRUE(waited);
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(50));
  releaser.join();

  MemoryBudget short_wait(100, milliseconds(100));
  auto full = short_wait.acquire(100);
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(short_wait.acquire(1));
  const auto waited_for = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(waited_for, milliseconds(90));
  EXPECT_LT(waited_for, milliseconds(1000));
}

TEST(MemoryBudget, ConcurrentHoldersStayWithinCapacity) {
  MemoryBudget budget(1000, milliseconds(5000));
  std::atomic<uint64_t> held{0};
  std::atomic<uint64_t> peak{0};
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const uint64_t want = 100 + 100 * static_cast<uint64_t>((t + i) % 7);
        auto lease = budget.acquire(want);
        if (!lease) continue;
        ++granted;
        const uint64_t now = held += want;
        uint64_t seen = peak.load();
        while (now > seen && !peak.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::yield();
        held -= want;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_LE(peak.load(), 1000u);
  EXPECT_EQ(granted.load(), 8 * 50);
  EXPECT_EQ(budget.inUse(), 0u);
}

TEST(MemoryBudget, TheProcessBudgetIs512Mb) {
  EXPECT_EQ(decodeBudget().capacity(), uint64_t{512} << 20);
  EXPECT_EQ(&decodeBudget(), &decodeBudget());
}

}  // namespace
}  // namespace nubis::images::pipeline::detail
