#include "core/time_format.hpp"

#include <gtest/gtest.h>

namespace tenantsync {
namespace {

std::int64_t ms(std::string_view text) {
  auto parsed = parse_iso8601(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed ? to_epoch_ms(*parsed) : -1;
}

TEST(TimeFormatTest, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(format_iso8601(from_epoch_ms(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(from_epoch_ms(1'700'000'000'123)), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(format_iso8601(from_epoch_ms(-1)), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_iso8601(from_epoch_ms(951'782'400'000)), "2000-02-29T00:00:00.000Z");
}

TEST(TimeFormatTest, ParsesIso8601Variants) {
  EXPECT_EQ(ms("2023-11-14T22:13:20Z"), 1'700'000'000'000);
  EXPECT_EQ(ms("2023-11-14T22:13:20.123Z"), 1'700'000'000'123);
  EXPECT_EQ(ms("2023-11-14T22:13:20.1234567Z"), 1'700'000'000'123);
  EXPECT_EQ(ms("2023-11-14 22:13:20"), 1'700'000'000'000);
  EXPECT_EQ(ms("2023-11-15T00:13:20+02:00"), 1'700'000'000'000);
  EXPECT_EQ(ms("2023-11-14T22:13:20.000+0000"), 1'700'000'000'000);  // Salesforce
  EXPECT_EQ(ms("2023-11-14T20:13:20-0200"), 1'700'000'000'000);
  EXPECT_EQ(ms("2024-05-01"), 1'714'521'600'000);  // a date is midnight UTC
  EXPECT_EQ(ms("1969-12-31T23:59:59Z"), -1'000);
}

TEST(TimeFormatTest, RejectsMalformedIso8601) {
  for (const char* text : {"", "2023", "2023-11-14T", "2023-13-01", "2023-11-32", "2023-11-14T24:00:00Z",
                           "2023-11-14T22:13", "2023-11-14T22:13:20.Z", "2023-11-14T22:13:20Zjunk",
                           "2023-11-14T-1:13:20Z", "+2023-11-14", "2023/11/14"})
    EXPECT_FALSE(parse_iso8601(text).has_value()) << text;
}

// Found by fuzz/bolna_batches ("created_at":"0224-01-23T05:14:37Z"): a year a TimePoint cannot
// hold overflowed its nanoseconds; it is no time.
TEST(TimeFormatTest, RejectsYearsATimePointCannotHold) {
  EXPECT_FALSE(parse_iso8601("0224-01-23T05:14:37Z"));
  EXPECT_FALSE(parse_iso8601("1012-01-29T08:30:00Z"));
  EXPECT_FALSE(parse_iso8601("9999-12-31T23:59:59Z"));
  EXPECT_FALSE(parse_iso8601("1677-12-31"));
  EXPECT_FALSE(parse_iso8601("2262-01-01"));
  ASSERT_TRUE(parse_iso8601("1678-01-01T00:00:00Z"));
  ASSERT_TRUE(parse_iso8601("2261-12-31T23:59:59.999Z"));
  EXPECT_EQ(format_iso8601(*parse_iso8601("2261-12-31T23:59:59.999Z")), "2261-12-31T23:59:59.999Z");
}

TEST(TimeFormatTest, ParsesImfFixdate) {
  EXPECT_EQ(parse_imf_fixdate_ms("Sun, 06 Nov 1994 08:49:37 GMT"), 784'111'777'000);
  EXPECT_EQ(parse_imf_fixdate_ms("Wed, 21 Oct 2015 07:28:00 GMT"), ms("2015-10-21T07:28:00Z"));
  EXPECT_EQ(parse_imf_fixdate_ms("Thu, 29 Feb 2024 00:00:00 GMT"), ms("2024-02-29T00:00:00Z"));
  EXPECT_EQ(parse_imf_fixdate_ms("Fri, 31 Dec 9999 23:59:59 GMT"), 253'402'300'799'000);  // past 2262
}

TEST(TimeFormatTest, RejectsMalformedImfFixdate) {
  for (const char* text :
       {"", "Wed, 21 Oct 2015 07:28:30 UTC", "Wed, 21 Foo 2015 07:28:30 GMT", "Xyz, 21 Oct 2015 07:28:30 GMT",
        "Wed, 32 Oct 2015 07:28:30 GMT", "Wed, 00 Oct 2015 07:28:30 GMT", "Sun, 29 Feb 2015 00:00:00 GMT",
        "Wed, 21 Oct 2015 25:28:30 GMT", "Wed, 21 Oct 2015 7:28:30 GMT", "Wed, 21 Oct 2015 07:-8:30 GMT",
        "Wednesday, 21-Oct-15 07:28:30 GMT", "Wed Oct 21 07:28:30 2015", " Wed, 21 Oct 2015 07:28:30 GMT"})
    EXPECT_FALSE(parse_imf_fixdate_ms(text).has_value()) << text;
}

}  // namespace
}  // namespace tenantsync
