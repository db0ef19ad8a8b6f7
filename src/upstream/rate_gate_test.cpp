#include "upstream/rate_gate.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

#include "support/crm_test_support.hpp"

namespace tenantsync::upstream {
namespace {

using std::chrono::milliseconds;

class RateGateTest : public ::testing::Test {
 protected:
  // Takes a turn, then spends `took` on the request; returns when the turn began (ms after start).
  std::int64_t send(RateGate& gate, bool spaced = false, milliseconds took = milliseconds(0)) {
    gate.wait_turn(spaced);
    const std::int64_t at = to_epoch_ms(clock.now()) - start;
    clock.advance(took);
    return at;
  }

  FakeClock clock{1'700'000'000'000};
  crm_testing::ClockSleeper sleeper{clock};
  const std::int64_t start = to_epoch_ms(clock.now());
};

TEST_F(RateGateTest, NothingWaitsWhileTheBudgetLasts) {
  RateGate gate(clock, sleeper);
  for (int i = 0; i < 20; ++i) {
    send(gate, false, milliseconds(100));
    gate.observe(60, milliseconds(10'000));
  }
  EXPECT_TRUE(sleeper.waits.empty());
}

TEST_F(RateGateTest, AtTheReserveTheNextRequestWaitsForTheWindowToPass) {
  RateGate gate(clock, sleeper);
  EXPECT_EQ(send(gate, false, milliseconds(1'000)), 0);  // opens the window
  gate.observe(60, milliseconds(10'000));
  EXPECT_EQ(send(gate, false, milliseconds(1'000)), 1'000);
  gate.observe(5, milliseconds(10'000));  // only the reserve left
  EXPECT_EQ(send(gate, false, milliseconds(1'000)), 10'000);
  ASSERT_EQ(sleeper.waits.size(), 1u);
  EXPECT_EQ(sleeper.waits[0], milliseconds(8'000));
  gate.observe(99, milliseconds(10'000));
  EXPECT_EQ(send(gate), 11'000);  // a fresh window with plenty left: no wait
  EXPECT_EQ(sleeper.waits.size(), 1u);
}

TEST_F(RateGateTest, TheReserveIsAnOption) {
  RateGate gate(clock, sleeper, RateGateOptions{.reserve = 2});
  send(gate);
  gate.observe(5, milliseconds(0));
  send(gate);
  gate.observe(3, milliseconds(0));
  send(gate);
  EXPECT_TRUE(sleeper.waits.empty());
  gate.observe(2, milliseconds(0));
  EXPECT_EQ(send(gate), 10'000);
}

TEST_F(RateGateTest, AResponseWithoutABudgetLeavesTheReserveAsItWas) {
  RateGate gate(clock, sleeper);
  send(gate);
  gate.observe(1, milliseconds(10'000));
  gate.observe(-1, milliseconds(10'000));  // e.g. a search answer: says nothing
  EXPECT_EQ(send(gate), 10'000);
}

TEST_F(RateGateTest, TheWindowIsWhatTheProviderSaid) {
  RateGate gate(clock, sleeper, RateGateOptions{.default_window = milliseconds(10'000)});
  EXPECT_EQ(gate.window(), milliseconds(10'000));
  send(gate);
  gate.observe(0, milliseconds(2'000));
  EXPECT_EQ(gate.window(), milliseconds(2'000));
  EXPECT_EQ(send(gate), 2'000);
  gate.observe(50, milliseconds(0));  // not positive: the default again
  EXPECT_EQ(gate.window(), milliseconds(10'000));
  gate.observe(50, milliseconds(-5));
  EXPECT_EQ(gate.window(), milliseconds(10'000));
}

// Shown by fuzz/rate_limit_headers (UBSan): X-HubSpot-RateLimit-Interval-Milliseconds: 9223372036854775807
// overflowed the wait's arithmetic and would have parked the client for ages.
TEST_F(RateGateTest, AHugeWindowIsBelievedOnlyUpToTheLongestWindow) {
  RateGate gate(clock, sleeper);
  send(gate);
  gate.observe(0, milliseconds(std::numeric_limits<std::int64_t>::max()));
  EXPECT_EQ(gate.window(), RateGateOptions{}.max_window);
  EXPECT_EQ(send(gate), RateGateOptions{}.max_window.count());
}

TEST_F(RateGateTest, SpacedRequestsGoAtMostNASecond) {
  RateGate gate(clock, sleeper, RateGateOptions{.spaced_per_second = 4});
  std::vector<std::int64_t> sent;
  for (int i = 0; i < 4; ++i) sent.push_back(send(gate, true, milliseconds(40)));
  EXPECT_EQ(sent, (std::vector<std::int64_t>{0, 250, 500, 750}));
  EXPECT_EQ(sleeper.waits, (std::vector<milliseconds>(3, milliseconds(210))));
  EXPECT_EQ(send(gate, false), 790);  // other requests are not spaced
  clock.advance(milliseconds(1'000));
  EXPECT_EQ(send(gate, true), 1'790);  // long enough after the last spaced one: no wait
  EXPECT_EQ(sleeper.waits.size(), 3u);
}

TEST_F(RateGateTest, TheMarginIsAddedToEachSpacing) {
  RateGate gate(clock, sleeper, RateGateOptions{.spaced_per_second = 5, .spaced_margin = milliseconds(10)});
  EXPECT_EQ(send(gate, true), 0);
  EXPECT_EQ(send(gate, true), 210);
  EXPECT_EQ(send(gate, true), 420);
}

TEST_F(RateGateTest, SpacingRoundsUpAndNeedsAtLeastOneASecond) {
  RateGate three(clock, sleeper, RateGateOptions{.spaced_per_second = 3});
  EXPECT_EQ(send(three, true), 0);
  EXPECT_EQ(send(three, true), 334);
  RateGate none(clock, sleeper, RateGateOptions{.spaced_per_second = 0});
  const std::int64_t first = send(none, true);
  EXPECT_EQ(send(none, true), first + 1'000);
}

// A sleeper that holds the first sleep until the test lets it go.
class HeldSleeper final : public Sleeper {
 public:
  void sleep_for(milliseconds) override {
    std::unique_lock lock(mutex_);
    sleeping_ = true;
    changed_.notify_all();
    changed_.wait(lock, [&] { return released_; });
  }
  void wait_until_sleeping() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return sleeping_; });
  }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool sleeping_ = false;
  bool released_ = false;
};

// The CRM sync reads with the list API and with search at once: a search waiting for its spacing
// must not hold up the listing's requests, which have a budget of their own.
TEST_F(RateGateTest, ASpacedRequestWaitingDoesNotHoldUpABudgetedOne) {
  HeldSleeper held;
  RateGate gate(clock, held, RateGateOptions{.spaced_per_second = 1});
  gate.wait_turn(true);
  std::thread search([&] { gate.wait_turn(true); });  // must wait 1 s: sleeps, held
  held.wait_until_sleeping();
  // The budgeted requests go while the spaced one is still waiting (a shared lane would block
  // them until the release below).
  auto listing = std::async(std::launch::async, [&] {
    gate.wait_turn(false);
    gate.wait_turn(false);
  });
  EXPECT_EQ(listing.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  held.release();
  search.join();
  listing.wait();
}

// HubSpot's window rolls: the whole starting window goes at once, then each request waits only
// for the oldest one to leave the window (the steady rate), never for a whole new window.
TEST_F(RateGateTest, ARollingWindowIsSpentWholeThenAtTheSteadyRate) {
  RateGate gate(clock, sleeper, RateGateOptions{.reserve = 2});
  std::vector<std::int64_t> sent;
  for (int i = 0; i < 10; ++i) {
    sent.push_back(send(gate, false, milliseconds(100)));
    gate.observe(12 - 1 - i, milliseconds(10'000), 12);  // 12 a window, as the header says
  }
  // 10 = 12 - reserve went at once, 100 ms apart; the 11th waits for the first to leave.
  EXPECT_TRUE(sleeper.waits.empty());
  EXPECT_EQ(sent.back(), 900);
  EXPECT_EQ(send(gate, false, milliseconds(100)), 10'000);
  gate.observe(3, milliseconds(10'000), 12);
  EXPECT_EQ(send(gate, false, milliseconds(100)), 10'100);  // the second left at 10,100
  gate.observe(3, milliseconds(10'000), 12);
  EXPECT_EQ(send(gate, false, milliseconds(100)), 10'200);
  ASSERT_EQ(sleeper.waits.size(), 1u);  // the others were already due when they came
  EXPECT_EQ(sleeper.waits[0], milliseconds(9'000));
}

// The log knows only this client's requests: a response that shows the reserve reached (another
// client spends the same budget) still makes the next request wait for the oldest to leave.
TEST_F(RateGateTest, TheReserveReachedEarlierThanTheLogCountsStillWaits) {
  RateGate gate(clock, sleeper, RateGateOptions{.reserve = 2});
  EXPECT_EQ(send(gate, false, milliseconds(500)), 0);
  gate.observe(50, milliseconds(10'000), 100);
  EXPECT_EQ(send(gate, false, milliseconds(500)), 500);
  gate.observe(1, milliseconds(10'000), 100);
  EXPECT_EQ(send(gate, false, milliseconds(500)), 10'000);
  gate.observe(40, milliseconds(10'000), 100);
  EXPECT_EQ(send(gate), 10'500);  // plenty left again: no wait
}

}  // namespace
}  // namespace tenantsync::upstream
