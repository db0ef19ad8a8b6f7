#include "upstream/backoff_policy.hpp"

#include <gtest/gtest.h>

namespace tenantsync::upstream {
namespace {

using std::chrono::milliseconds;

class FixedRandom final : public RandomSource {
 public:
  explicit FixedRandom(double value) : value_(value) {}
  double next_unit() override { return value_; }

 private:
  double value_;
};

TEST(BackoffPolicyTest, CeilingDoublesUpToTheCap) {
  BackoffPolicy policy{milliseconds(100), milliseconds(1000)};
  EXPECT_EQ(policy.ceiling(0), milliseconds(100));
  EXPECT_EQ(policy.ceiling(1), milliseconds(200));
  EXPECT_EQ(policy.ceiling(3), milliseconds(800));
  EXPECT_EQ(policy.ceiling(4), milliseconds(1000));
  EXPECT_EQ(policy.ceiling(1000), milliseconds(1000));
}

TEST(BackoffPolicyTest, FullJitterScalesTheCeiling) {
  BackoffPolicy policy{milliseconds(100), milliseconds(10'000)};
  FixedRandom zero(0.0), half(0.5), almost_one(0.999);
  EXPECT_EQ(policy.delay(2, zero), milliseconds(0));
  EXPECT_EQ(policy.delay(2, half), milliseconds(200));
  EXPECT_EQ(policy.delay(2, almost_one), milliseconds(399));
}

TEST(BackoffPolicyTest, SystemRandomStaysInUnitInterval) {
  SystemRandomSource random;
  for (int i = 0; i < 1000; ++i) {
    const double value = random.next_unit();
    ASSERT_GE(value, 0.0);
    ASSERT_LT(value, 1.0);
  }
}

}  // namespace
}  // namespace tenantsync::upstream
