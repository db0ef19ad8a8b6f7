#include "core/retry_after.hpp"

#include <gtest/gtest.h>

#include "core/time_format.hpp"

namespace tenantsync::core {
namespace {

using std::chrono::milliseconds;

TEST(ParseRetryAfterTest, ReadsSecondsAndDates) {
  const TimePoint now = *parse_iso8601("1994-11-06T08:49:00Z");
  EXPECT_EQ(parse_retry_after("120", now), milliseconds(120'000));
  EXPECT_EQ(parse_retry_after(" 0 ", now), milliseconds(0));
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), milliseconds(37'000));
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:48:00 GMT", now), milliseconds(0));  // past
  EXPECT_GT(*parse_retry_after("99999999999999999999999", now), milliseconds(86'400'000));
  EXPECT_EQ(parse_retry_after("", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("-5", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("1.5", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("Sun, 06 Xyz 1994 08:49:37 GMT", now), std::nullopt);
  EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now), std::nullopt);
}

class RetryAfterTest : public ::testing::Test {
 protected:
  TimePoint now_ = parse_iso8601("2015-10-21T07:28:00Z").value();
};

TEST_F(RetryAfterTest, DeltaSeconds) {
  EXPECT_EQ(parse_retry_after("120", now_), milliseconds(120'000));
  EXPECT_EQ(parse_retry_after("0", now_), milliseconds(0));
  EXPECT_EQ(parse_retry_after("  7 ", now_), milliseconds(7'000));
  EXPECT_EQ(parse_retry_after("\t7", now_), milliseconds(7'000));
}

TEST_F(RetryAfterTest, HttpDate) {
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now_), milliseconds(30'000));
  EXPECT_EQ(parse_retry_after("Thu, 22 Oct 2015 07:28:00 GMT", now_), milliseconds(86'400'000));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now_), milliseconds(0));  // already past
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now_), milliseconds(0));
}

TEST_F(RetryAfterTest, DateAcrossLeapDay) {
  const TimePoint feb28 = parse_iso8601("2024-02-28T23:59:00Z").value();
  EXPECT_EQ(parse_retry_after("Thu, 29 Feb 2024 00:00:00 GMT", feb28), milliseconds(60'000));
  EXPECT_FALSE(parse_retry_after("Sun, 29 Feb 2015 00:00:00 GMT", now_).has_value());
}

TEST_F(RetryAfterTest, Malformed) {
  for (const char* value :
       {"", "   ", "-5", "+5", "1.5", "1e3", "soon", "Wed, 21 Oct 2015 07:28:30 UTC",
        "Wed, 21 Foo 2015 07:28:30 GMT", "Xyz, 21 Oct 2015 07:28:30 GMT", "Wed, 32 Oct 2015 07:28:30 GMT",
        "Wed, 21 Oct 2015 25:28:30 GMT", "Wed, 21 Oct 2015 7:28:30 GMT", "Wednesday, 21-Oct-15 07:28:30 GMT"})
    EXPECT_FALSE(parse_retry_after(value, now_).has_value()) << value;
}

// The one rule: a huge Retry-After is capped at the maximum wait, never malformed. (The parser
// that was never used in production rejected these as malformed; RetryingHttpClient, which is,
// capped them, and its tests assert that.)
TEST_F(RetryAfterTest, HugeValuesAreCappedAtTheMaximumWait) {
  const milliseconds two_minutes(120'000);
  for (const char* value : {"31536000", "99999999999999999999999", "Fri, 21 Oct 2016 07:28:30 GMT",
                            "Fri, 31 Dec 9999 23:59:59 GMT", "121"})
    EXPECT_EQ(parse_retry_after(value, now_, two_minutes), two_minutes) << value;
  EXPECT_EQ(parse_retry_after("120", now_, two_minutes), two_minutes);
  EXPECT_EQ(parse_retry_after("119", now_, two_minutes), milliseconds(119'000));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:29:59 GMT", now_, two_minutes), milliseconds(119'000));

  // Without a cap of the caller's own: a year is a year; beyond kRetryAfterCeiling, that ceiling.
  EXPECT_EQ(parse_retry_after("31536000", now_), milliseconds(31'536'000'000));
  EXPECT_EQ(parse_retry_after("Fri, 21 Oct 2016 07:28:00 GMT", now_), milliseconds(31'622'400'000));
  EXPECT_EQ(parse_retry_after("99999999999999999999999", now_), kRetryAfterCeiling);
  EXPECT_EQ(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now_), kRetryAfterCeiling);
  EXPECT_EQ(parse_retry_after("7", now_, milliseconds(-1)), milliseconds(0));  // a negative cap is zero
}

}  // namespace
}  // namespace tenantsync::core
