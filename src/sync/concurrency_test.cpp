// The engine's helpers that own threads, exercised from several threads at once: the event bus
// (publishers, subscribers, scoped ends), the lease keeper (renewing on its own thread while the
// run reads lost()), the scheduler (its thread running a due tick, stopped from another). They
// are quick unit tests, and the ThreadSanitizer build runs them to find data races
// (docs/testing.md).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "core/cron.hpp"
#include "store/run_queue.hpp"
#include "sync/event_bus.hpp"
#include "sync/lease_keeper.hpp"
#include "sync/scheduler.hpp"

namespace tenantsync::sync {
namespace {

using namespace std::chrono_literals;

// Polls `done` for up to 10 s: threads here wake on real timers.
template <typename Predicate>
bool eventually(Predicate done) {
  const auto until = std::chrono::steady_clock::now() + 10s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(2ms);
  }
  return true;
}

// A run queue that only renews leases and claims ticks, from any thread; the rest is unused here.
class ThreadedQueue final : public store::RunQueue {
 public:
  Result<store::RunTicket> request_run(TenantId, core::RunTarget, core::RunTrigger, bool, std::chrono::milliseconds,
                                       TimePoint, int) override {
    return make_error(core::ErrorCode::internal_error, "unused");
  }
  Result<std::optional<store::ClaimedJob>> claim_job(const std::string&, std::chrono::milliseconds, TimePoint,
                                                     int) override {
    return make_error(core::ErrorCode::internal_error, "unused");
  }
  Status renew_lease(JobId, const std::string&, std::chrono::milliseconds, TimePoint) override {
    ++renewals;
    if (taken_over) return make_error(core::ErrorCode::conflict, "the lease is someone else's");
    return {};
  }
  Status update_run_progress(RunId, const std::string&, TimePoint) override { return {}; }
  Status finish_run(RunId, const store::RunOutcome&, TimePoint) override { return {}; }
  Result<std::vector<store::ExpiredRun>> sweep_expired_runs(TimePoint, const store::HeldLeases&) override {
    return std::vector<store::ExpiredRun>{};
  }
  Result<int> expire_leases_of(const std::string&, TimePoint) override { return 0; }
  Result<bool> claim_tick(const std::string& schedule, TimePoint tick_at, const std::string&, TimePoint) override {
    std::lock_guard lock(mutex_);
    return ticks_.insert(schedule + "@" + std::to_string(to_epoch_ms(tick_at))).second;
  }

  std::atomic<int> renewals{0};
  std::atomic<bool> taken_over{false};

 private:
  std::mutex mutex_;
  std::set<std::string> ticks_;
};

TEST(EventBusConcurrency, EveryEventReachesTheListenersWhileOthersComeAndGo) {
  EventBus bus;
  const TenantId tenant{7};
  std::atomic<int> received{0};
  bus.subscribe(tenant, [&](const std::string&, const std::string&) {
    ++received;
    return true;
  });
  constexpr int kPublishers = 4;
  constexpr int kEvents = 200;
  std::vector<std::thread> publishers;
  for (int p = 0; p < kPublishers; ++p)
    publishers.emplace_back([&bus, tenant] {
      for (int i = 0; i < kEvents; ++i) bus.publish(tenant, "run", R"({"i":1})");
    });
  // Meanwhile streams open and close, and one listener leaves by refusing.
  for (int i = 0; i < 50; ++i) {
    auto scoped = bus.subscribe_scoped(tenant, [](const std::string&, const std::string&) { return true; });
    bus.subscribe(tenant, [](const std::string&, const std::string&) { return false; });
    EXPECT_GE(bus.listener_count(), 1u);
  }
  for (auto& t : publishers) t.join();
  // One more event drops the refusing listeners that came after the last publisher.
  bus.publish(tenant, "run", "{}");
  EXPECT_EQ(received.load(), kPublishers * kEvents + 1);
  EXPECT_EQ(bus.listener_count(), 1u);
}

TEST(LeaseKeeperConcurrency, RenewsOnItsOwnThreadAndNoticesALostLease) {
  ThreadedQueue queue;
  FakeClock clock;
  store::ClaimedJob job;
  job.job_id = JobId{1};
  job.run_id = RunId{1};
  LeaseKeeper keeper(queue, clock, job, "worker-1", 30ms);
  EXPECT_TRUE(eventually([&] { return queue.renewals.load() >= 3; }));
  EXPECT_FALSE(keeper.lost());
  queue.taken_over = true;
  EXPECT_TRUE(eventually([&] { return keeper.lost(); }));
  const int renewals = queue.renewals.load();
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(queue.renewals.load(), renewals) << "a lost lease is not renewed again";
}

// A fake clock that counts how often it was read, so a test knows the scheduler's thread has
// started (and taken its first time) before it moves the clock.
class WatchedClock final : public Clock {
 public:
  explicit WatchedClock(std::int64_t start_ms) : clock_(start_ms) {}
  TimePoint now() const override {
    ++reads;
    return clock_.now();
  }
  void advance(Millis by) { clock_.advance(by); }
  mutable std::atomic<int> reads{0};

 private:
  FakeClock clock_;
};

TEST(SchedulerConcurrency, ItsThreadRunsADueTickOnceAndStopsFromAnotherThread) {
  ThreadedQueue queue;
  // 50 ms before a whole minute: the scheduler's thread sleeps until then (real time) and finds
  // the fake clock not there yet, until the test moves it.
  WatchedClock clock(1'790'000'040'000 - 50);
  Scheduler scheduler(queue, clock, "instance-1");
  auto schedule = core::parse_cron("* * * * *");
  ASSERT_TRUE(schedule.ok());
  std::atomic<int> ticks{0};
  scheduler.add({"voice", *schedule, "* * * * *", [&](TimePoint) { ++ticks; }});
  scheduler.start();
  ASSERT_TRUE(eventually([&] { return clock.reads.load() >= 2; }));  // its start time and first wait
  clock.advance(1s);
  EXPECT_TRUE(eventually([&] { return ticks.load() == 1; }));
  std::thread stopper([&] { scheduler.stop(); });
  stopper.join();
  EXPECT_EQ(ticks.load(), 1);
  // A second instance asking for the same tick does not get it.
  Scheduler other(queue, clock, "instance-2");
  other.add({"voice", *schedule, "* * * * *", [&](TimePoint) { ++ticks; }});
  EXPECT_EQ(other.run_due(from_epoch_ms(1'790'000'040'000 - 60'000), clock.now()), 0);
  EXPECT_EQ(ticks.load(), 1);
}

}  // namespace
}  // namespace tenantsync::sync
