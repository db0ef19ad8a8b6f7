#include "http/work_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

namespace tenantsync::http {
namespace {

using namespace std::chrono_literals;

// A task that holds its thread until released, so a test can fill the pool deterministically.
struct Gate {
  std::promise<void> open;
  std::shared_future<void> opened = open.get_future().share();
  std::atomic<int> entered{0};
  std::function<void()> task() {
    return [this] {
      ++entered;
      opened.wait();
    };
  }
  void wait_entered(int n) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (entered.load() < n && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(1ms);
    ASSERT_EQ(entered.load(), n);
  }
};

TEST(WorkPool, RunsPostedWork) {
  WorkPool pool(2, 4);
  std::promise<int> done;
  ASSERT_TRUE(pool.try_post([&] { done.set_value(42); }));
  EXPECT_EQ(done.get_future().get(), 42);
}

TEST(WorkPool, RefusesWorkPastItsThreadsAndQueue) {
  Gate gate;
  WorkPool pool(2, 1);
  ASSERT_TRUE(pool.try_post(gate.task()));
  ASSERT_TRUE(pool.try_post(gate.task()));
  gate.wait_entered(2);
  EXPECT_EQ(pool.busy(), 2);
  // Both threads are held: one task may wait, the next is refused at once.
  std::atomic<bool> queued_ran{false};
  EXPECT_TRUE(pool.try_post([&] { queued_ran = true; }));
  EXPECT_EQ(pool.queued(), 1u);
  std::atomic<bool> refused_ran{false};
  EXPECT_FALSE(pool.try_post([&] { refused_ran = true; }));
  gate.open.set_value();
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!queued_ran.load() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
  pool.stop();
  EXPECT_TRUE(queued_ran.load());
  EXPECT_FALSE(refused_ran.load());
}

TEST(WorkPool, WithoutAQueueWorkRunsNowOrIsRefused) {
  Gate gate;
  WorkPool pool(1, 0);
  ASSERT_TRUE(pool.try_post(gate.task()));
  gate.wait_entered(1);
  EXPECT_FALSE(pool.try_post([] {}));
  gate.open.set_value();
  // The thread is free again once the held task ends.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  bool accepted = false;
  while (!accepted && std::chrono::steady_clock::now() < deadline) {
    std::promise<void> ran;
    accepted = pool.try_post([&ran] { ran.set_value(); });
    if (accepted)
      ran.get_future().wait();
    else
      std::this_thread::sleep_for(1ms);
  }
  EXPECT_TRUE(accepted);
}

TEST(WorkPool, StopDropsQueuedWorkAndRefusesMore) {
  Gate gate;
  WorkPool pool(1, 5);
  ASSERT_TRUE(pool.try_post(gate.task()));
  gate.wait_entered(1);
  auto dropped_alive = std::make_shared<int>(0);
  std::weak_ptr<int> watch = dropped_alive;
  ASSERT_TRUE(pool.try_post([keep = std::move(dropped_alive)] { ++*keep; }));
  std::thread opener([&] {
    std::this_thread::sleep_for(50ms);
    gate.open.set_value();
  });
  pool.stop();
  opener.join();
  // The queued task was not run but destroyed, so what it owned is freed.
  EXPECT_TRUE(watch.expired());
  EXPECT_FALSE(pool.try_post([] {}));
}

TEST(WorkPool, AThrowingTaskDoesNotKillItsThread) {
  WorkPool pool(1, 2);
  ASSERT_TRUE(pool.try_post([] { throw std::runtime_error("boom"); }));
  std::promise<void> after;
  ASSERT_TRUE(pool.try_post([&] { after.set_value(); }));
  EXPECT_EQ(after.get_future().wait_for(5s), std::future_status::ready);
}

}  // namespace
}  // namespace tenantsync::http
