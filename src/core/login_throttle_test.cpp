#include "core/login_throttle.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace tenantsync::core {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

class LoginThrottleTest : public ::testing::Test {
 protected:
  FakeClock clock_;
  LoginThrottle throttle_;
  const std::string key_ = "account:jane@example.com";

  void fail(int times, const std::string& key) {
    for (int i = 0; i < times; ++i) throttle_.record_failure(key, clock_.now());
  }
};

TEST_F(LoginThrottleTest, UnknownKeyIsAllowed) {
  auto d = throttle_.check(key_, clock_.now());
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.retry_after, Millis(0));
}

TEST_F(LoginThrottleTest, FourFailuresDoNotLock) {
  fail(4, key_);
  EXPECT_TRUE(throttle_.check(key_, clock_.now()).allowed);
}

TEST_F(LoginThrottleTest, FifthFailureLocksForOneSecond) {
  fail(4, key_);
  auto d = throttle_.record_failure(key_, clock_.now());
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, seconds(1));
  auto c = throttle_.check(key_, clock_.now());
  EXPECT_FALSE(c.allowed);
  EXPECT_EQ(c.retry_after, seconds(1));
  clock_.advance(Millis(400));
  EXPECT_EQ(throttle_.check(key_, clock_.now()).retry_after, Millis(600));
  clock_.advance(Millis(600));
  EXPECT_TRUE(throttle_.check(key_, clock_.now()).allowed);
}

TEST_F(LoginThrottleTest, LockDoublesPerFurtherFailureUpToTheCap) {
  fail(4, key_);
  std::vector<Millis> locks;
  for (int i = 0; i < 14; ++i) {
    auto d = throttle_.record_failure(key_, clock_.now());
    locks.push_back(d.retry_after);
    clock_.advance(d.retry_after);  // wait out each lock, then fail again
  }
  EXPECT_EQ(locks[0], seconds(1));
  EXPECT_EQ(locks[1], seconds(2));
  EXPECT_EQ(locks[2], seconds(4));
  EXPECT_EQ(locks[9], seconds(512));
  EXPECT_EQ(locks[10], minutes(15));  // 1024 s capped at 900 s
  EXPECT_EQ(locks[13], minutes(15));
}

TEST_F(LoginThrottleTest, SuccessClearsTheKey) {
  fail(5, key_);
  throttle_.record_success(key_);
  EXPECT_TRUE(throttle_.check(key_, clock_.now()).allowed);
  EXPECT_EQ(throttle_.tracked_keys(), 0u);
  fail(4, key_);
  EXPECT_TRUE(throttle_.check(key_, clock_.now()).allowed);  // counting starts over
}

TEST_F(LoginThrottleTest, AQuietWindowStartsTheCountOver) {
  fail(4, key_);
  clock_.advance(minutes(15) + seconds(1));
  auto d = throttle_.record_failure(key_, clock_.now());
  EXPECT_TRUE(d.allowed);
  fail(3, key_);
  EXPECT_TRUE(throttle_.check(key_, clock_.now()).allowed);
  EXPECT_FALSE(throttle_.record_failure(key_, clock_.now()).allowed);
}

TEST_F(LoginThrottleTest, FailuresSpreadInsideTheWindowCountTogether) {
  for (int i = 0; i < 4; ++i) {
    throttle_.record_failure(key_, clock_.now());
    clock_.advance(minutes(10));
  }
  EXPECT_FALSE(throttle_.record_failure(key_, clock_.now()).allowed);
}

TEST_F(LoginThrottleTest, KeysAreIndependent) {
  fail(5, "addr:10.0.0.1");
  EXPECT_FALSE(throttle_.check("addr:10.0.0.1", clock_.now()).allowed);
  EXPECT_TRUE(throttle_.check("addr:10.0.0.2", clock_.now()).allowed);
  EXPECT_TRUE(throttle_.check(key_, clock_.now()).allowed);
}

TEST_F(LoginThrottleTest, StaleKeysAreForgottenOnCheck) {
  fail(2, key_);
  EXPECT_EQ(throttle_.tracked_keys(), 1u);
  clock_.advance(minutes(16));
  EXPECT_TRUE(throttle_.check(key_, clock_.now()).allowed);
  EXPECT_EQ(throttle_.tracked_keys(), 0u);
}

TEST(LoginThrottleOptionsTest, CustomOptions) {
  FakeClock clock;
  LoginThrottle throttle(LoginThrottleOptions{2, minutes(1), Millis(500), seconds(3), 10});
  throttle.record_failure("k", clock.now());
  EXPECT_EQ(throttle.record_failure("k", clock.now()).retry_after, Millis(500));
  EXPECT_EQ(throttle.record_failure("k", clock.now()).retry_after, Millis(1'000));
  EXPECT_EQ(throttle.record_failure("k", clock.now()).retry_after, Millis(2'000));
  EXPECT_EQ(throttle.record_failure("k", clock.now()).retry_after, seconds(3));
}

TEST(LoginThrottleOptionsTest, MemoryIsBoundedByEvictingTheOldest) {
  FakeClock clock;
  LoginThrottle throttle(LoginThrottleOptions{1, minutes(15), seconds(1), minutes(15), 3});
  throttle.record_failure("a", clock.now());
  throttle.record_failure("b", clock.now());
  throttle.record_failure("c", clock.now());
  throttle.record_failure("a", clock.now());  // "a" is now the most recent; "b" the oldest
  throttle.record_failure("d", clock.now());
  EXPECT_EQ(throttle.tracked_keys(), 3u);
  EXPECT_TRUE(throttle.check("b", clock.now()).allowed);
  EXPECT_FALSE(throttle.check("a", clock.now()).allowed);
  EXPECT_FALSE(throttle.check("c", clock.now()).allowed);
  EXPECT_FALSE(throttle.check("d", clock.now()).allowed);
  for (int i = 0; i < 1'000; ++i) throttle.record_failure("k" + std::to_string(i), clock.now());
  EXPECT_EQ(throttle.tracked_keys(), 3u);
}

TEST(LoginThrottleOptionsTest, IsThreadSafe) {
  FakeClock clock;
  LoginThrottle throttle(LoginThrottleOptions{5, minutes(15), seconds(1), minutes(15), 50});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2'000; ++i) {
        const std::string key = "addr:" + std::to_string((i + t) % 80);
        throttle.record_failure(key, clock.now());
        (void)throttle.check(key, clock.now());
        if (i % 7 == 0) throttle.record_success(key);
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_LE(throttle.tracked_keys(), 50u);
  throttle.record_failure("shared", clock.now());
  EXPECT_TRUE(throttle.check("shared", clock.now()).allowed);
}

}  // namespace
}  // namespace tenantsync::core
