#include "core/backoff.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace tenantsync::core {
namespace {

using std::chrono::milliseconds;

// Returns the same value every time (out-of-range values on purpose, to test the clamp).
class FixedRandom final : public RandomSource {
 public:
  explicit FixedRandom(double value) : value_(value) {}
  double next_unit() override { return value_; }

 private:
  double value_;
};

// The wait before retry number `retry` of a fresh strategy.
milliseconds back_off_at(BackoffPolicy policy, int retry, double unit) {
  FixedRandom random(unit);
  JitteredExponentialBackOff backoff(policy, random);
  for (int i = 0; i < retry; ++i) backoff.next_back_off();
  return backoff.next_back_off();
}

TEST(BackoffPolicyTest, CeilingDoublesUpToTheCap) {
  BackoffPolicy policy{milliseconds(100), milliseconds(1000)};
  EXPECT_EQ(policy.ceiling(0), milliseconds(100));
  EXPECT_EQ(policy.ceiling(1), milliseconds(200));
  EXPECT_EQ(policy.ceiling(3), milliseconds(800));
  EXPECT_EQ(policy.ceiling(4), milliseconds(1000));
  EXPECT_EQ(policy.ceiling(1000), milliseconds(1000));

  BackoffPolicy wide{milliseconds(100), milliseconds(10'000)};
  EXPECT_EQ(wide.ceiling(2), milliseconds(400));
  EXPECT_EQ(wide.ceiling(5), milliseconds(3'200));
  EXPECT_EQ(wide.ceiling(7), milliseconds(10'000));
  EXPECT_EQ(wide.ceiling(-1), milliseconds(100));
}

TEST(BackoffPolicyTest, CeilingNeverOverflows) {
  EXPECT_EQ(BackoffPolicy({milliseconds(1), milliseconds(INT64_MAX / 2)}).ceiling(1'000'000),
            milliseconds(INT64_MAX / 2));
  EXPECT_EQ(BackoffPolicy({milliseconds(3), milliseconds(INT64_MAX)}).ceiling(1'000'000),
            milliseconds(INT64_MAX));
  EXPECT_EQ(BackoffPolicy({milliseconds(50'000), milliseconds(10'000)}).ceiling(0),
            milliseconds(10'000));  // base above the cap
  EXPECT_EQ(BackoffPolicy({milliseconds(0), milliseconds(1'000)}).ceiling(2), milliseconds(0));
  EXPECT_EQ(BackoffPolicy({milliseconds(100), milliseconds(0)}).ceiling(2), milliseconds(0));
  EXPECT_EQ(BackoffPolicy({milliseconds(-5), milliseconds(-1)}).ceiling(2), milliseconds(0));
}

TEST(JitteredExponentialBackOffTest, FullJitterScalesTheCeiling) {
  struct Case {
    BackoffPolicy policy;
    int retry;
    double unit;
    milliseconds expected;
  };
  const BackoffPolicy small{milliseconds(100), milliseconds(10'000)};
  const BackoffPolicy large{milliseconds(1'000), milliseconds(60'000)};
  const BackoffPolicy tight{milliseconds(100), milliseconds(1'000)};
  for (const Case& c : {
           Case{small, 2, 0.0, milliseconds(0)},
           Case{small, 2, 0.5, milliseconds(200)},
           Case{small, 2, 0.999, milliseconds(399)},
           Case{large, 3, 0.0, milliseconds(0)},  // the whole span, zero to the ceiling
           Case{large, 3, 0.5, milliseconds(4'000)},
           Case{large, 3, 0.25, milliseconds(2'000)},
           Case{tight, 0, 1.5, milliseconds(100)},  // out-of-range random values are clamped
           Case{tight, 0, -3.0, milliseconds(0)},
           Case{{milliseconds(0), milliseconds(1'000)}, 2, 0.9, milliseconds(0)},  // non-positive inputs
           Case{{milliseconds(100), milliseconds(0)}, 2, 0.9, milliseconds(0)},
       })
    EXPECT_EQ(back_off_at(c.policy, c.retry, c.unit), c.expected)
        << "retry " << c.retry << ", unit " << c.unit << ", base " << c.policy.base.count();
}

TEST(JitteredExponentialBackOffTest, EachCallIsOneRetryFurtherUntilReset) {
  FixedRandom half(0.5);
  JitteredExponentialBackOff backoff({milliseconds(100), milliseconds(500)}, half);
  std::vector<milliseconds> waits;
  for (int i = 0; i < 5; ++i) waits.push_back(backoff.next_back_off());
  EXPECT_EQ(waits, (std::vector<milliseconds>{milliseconds(50), milliseconds(100), milliseconds(200),
                                              milliseconds(250), milliseconds(250)}));
  backoff.reset();
  EXPECT_EQ(backoff.next_back_off(), milliseconds(50));
}

TEST(JitteredExponentialBackOffTest, ManyRetriesStayAtTheCap) {
  FixedRandom top(1.0);
  JitteredExponentialBackOff backoff({milliseconds(1), milliseconds(INT64_MAX / 2)}, top);
  for (int i = 0; i < 10'000; ++i) backoff.next_back_off();
  EXPECT_EQ(backoff.next_back_off(), milliseconds(INT64_MAX / 2));
  JitteredExponentialBackOff widest({milliseconds(1), milliseconds(INT64_MAX)}, top);
  for (int i = 0; i < 100; ++i) widest.next_back_off();
  EXPECT_EQ(widest.next_back_off(), milliseconds(INT64_MAX));
}

TEST(SystemRandomSourceTest, StaysInUnitIntervalAndDrivesTheBackOff) {
  SystemRandomSource random;
  for (int i = 0; i < 1000; ++i) {
    const double value = random.next_unit();
    ASSERT_GE(value, 0.0);
    ASSERT_LT(value, 1.0);
  }
  JitteredExponentialBackOff backoff({milliseconds(100), milliseconds(5'000)}, random);
  for (int i = 0; i < 1'000; ++i) {
    if (i % 10 == 0) backoff.reset();
    const milliseconds wait = backoff.next_back_off();
    ASSERT_GE(wait.count(), 0);
    ASSERT_LE(wait.count(), 5'000);
  }
}

}  // namespace
}  // namespace tenantsync::core
