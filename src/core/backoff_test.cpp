#include "core/backoff.hpp"

#include <gtest/gtest.h>

#include "core/time_format.hpp"

namespace tenantsync::core {
namespace {

using std::chrono::seconds;

TEST(BackoffTest, CeilingDoublesPerAttempt) {
  FakeRandomSource top({0.999999999});
  EXPECT_EQ(backoff_delay(0, Millis(100), Millis(10'000), top), Millis(100));
  EXPECT_EQ(backoff_delay(1, Millis(100), Millis(10'000), top), Millis(200));
  EXPECT_EQ(backoff_delay(2, Millis(100), Millis(10'000), top), Millis(400));
  EXPECT_EQ(backoff_delay(5, Millis(100), Millis(10'000), top), Millis(3'200));
}

TEST(BackoffTest, CappedAndNeverOverflows) {
  FakeRandomSource top({0.999999999});
  EXPECT_EQ(backoff_delay(7, Millis(100), Millis(10'000), top), Millis(10'000));
  EXPECT_EQ(backoff_delay(1'000, Millis(100), Millis(10'000), top), Millis(10'000));
  EXPECT_EQ(backoff_delay(1'000'000, Millis(1), Millis(INT64_MAX / 2), top).count() <= INT64_MAX / 2, true);
  EXPECT_EQ(backoff_delay(0, Millis(50'000), Millis(10'000), top), Millis(10'000));  // base above the cap
}

TEST(BackoffTest, FullJitterSpansZeroToCeiling) {
  FakeRandomSource values({0.0, 0.5, 0.25});
  EXPECT_EQ(backoff_delay(3, Millis(1'000), Millis(60'000), values), Millis(0));
  EXPECT_EQ(backoff_delay(3, Millis(1'000), Millis(60'000), values), Millis(4'000));  // 0.5 × 8001
  EXPECT_EQ(backoff_delay(3, Millis(1'000), Millis(60'000), values), Millis(2'000));
}

TEST(BackoffTest, OutOfRangeRandomValuesAreClamped) {
  FakeRandomSource bad({1.5, -3.0});
  EXPECT_EQ(backoff_delay(0, Millis(100), Millis(1'000), bad), Millis(100));
  EXPECT_EQ(backoff_delay(0, Millis(100), Millis(1'000), bad), Millis(0));
}

TEST(BackoffTest, NonPositiveInputsGiveZero) {
  FakeRandomSource r({0.9});
  EXPECT_EQ(backoff_delay(2, Millis(0), Millis(1'000), r), Millis(0));
  EXPECT_EQ(backoff_delay(2, Millis(100), Millis(0), r), Millis(0));
  EXPECT_EQ(backoff_delay(-1, Millis(100), Millis(1'000), r), Millis(90));
}

TEST(BackoffTest, SystemRandomStaysInRange) {
  SystemRandomSource random;
  for (int i = 0; i < 1'000; ++i) {
    double u = random.next_unit();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    Millis d = backoff_delay(i % 10, Millis(100), Millis(5'000), random);
    ASSERT_GE(d.count(), 0);
    ASSERT_LE(d.count(), 5'000);
  }
}

TEST(BackoffTest, FakeRandomCycles) {
  FakeRandomSource r({0.1, 0.2});
  EXPECT_DOUBLE_EQ(r.next_unit(), 0.1);
  EXPECT_DOUBLE_EQ(r.next_unit(), 0.2);
  EXPECT_DOUBLE_EQ(r.next_unit(), 0.1);
  FakeRandomSource empty({});
  EXPECT_DOUBLE_EQ(empty.next_unit(), 0.0);
}

class RetryAfterTest : public ::testing::Test {
 protected:
  TimePoint now_ = parse_iso8601("2015-10-21T07:28:00Z").value();
};

TEST_F(RetryAfterTest, DeltaSeconds) {
  EXPECT_EQ(parse_retry_after("120", now_), Millis(120'000));
  EXPECT_EQ(parse_retry_after("0", now_), Millis(0));
  EXPECT_EQ(parse_retry_after("  7 ", now_), Millis(7'000));
}

TEST_F(RetryAfterTest, HttpDate) {
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now_), Millis(30'000));
  EXPECT_EQ(parse_retry_after("Thu, 22 Oct 2015 07:28:00 GMT", now_), Millis(86'400'000));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now_), Millis(0));  // already past
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now_), Millis(0));
}

TEST_F(RetryAfterTest, DateAcrossLeapDay) {
  const TimePoint feb28 = parse_iso8601("2024-02-28T23:59:00Z").value();
  EXPECT_EQ(parse_retry_after("Thu, 29 Feb 2024 00:00:00 GMT", feb28), Millis(60'000));
  EXPECT_FALSE(parse_retry_after("Sun, 29 Feb 2015 00:00:00 GMT", now_).has_value());
}

TEST_F(RetryAfterTest, Malformed) {
  EXPECT_FALSE(parse_retry_after("", now_).has_value());
  EXPECT_FALSE(parse_retry_after("   ", now_).has_value());
  EXPECT_FALSE(parse_retry_after("-5", now_).has_value());
  EXPECT_FALSE(parse_retry_after("1.5", now_).has_value());
  EXPECT_FALSE(parse_retry_after("soon", now_).has_value());
  EXPECT_FALSE(parse_retry_after("99999999999999999999999", now_).has_value());
  EXPECT_FALSE(parse_retry_after("31536000", now_).has_value());  // a year: nonsense
  EXPECT_FALSE(parse_retry_after("Wed, 21 Oct 2015 07:28:30 UTC", now_).has_value());
  EXPECT_FALSE(parse_retry_after("Wed, 21 Foo 2015 07:28:30 GMT", now_).has_value());
  EXPECT_FALSE(parse_retry_after("Xyz, 21 Oct 2015 07:28:30 GMT", now_).has_value());
  EXPECT_FALSE(parse_retry_after("Wed, 32 Oct 2015 07:28:30 GMT", now_).has_value());
  EXPECT_FALSE(parse_retry_after("Wed, 21 Oct 2015 25:28:30 GMT", now_).has_value());
  EXPECT_FALSE(parse_retry_after("Wed, 21 Oct 2015 7:28:30 GMT", now_).has_value());
  EXPECT_FALSE(parse_retry_after("Wednesday, 21-Oct-15 07:28:30 GMT", now_).has_value());
  EXPECT_FALSE(parse_retry_after("Wed, 21 Oct 2016 07:28:30 GMT", now_).has_value());  // a year away
}

}  // namespace
}  // namespace tenantsync::core
