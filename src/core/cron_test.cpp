#include "core/cron.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/time_format.hpp"

namespace tenantsync::core {
namespace {

using ::testing::HasSubstr;

TimePoint at(const char* iso) {
  auto t = parse_iso8601(iso);
  EXPECT_TRUE(t.has_value()) << iso;
  return t.value_or(TimePoint{});
}

std::string next(const char* expr, const char* after) {
  auto schedule = CronSchedule::parse(expr);
  if (!schedule) return "parse error: " + schedule.error().message;
  auto t = schedule->next_after(at(after));
  return t ? format_iso8601(*t) : "never";
}

std::string parse_error(const char* expr) {
  auto schedule = CronSchedule::parse(expr);
  if (schedule) return "parsed";
  EXPECT_EQ(schedule.error().code, "bad_cron");
  return schedule.error().message;
}

TEST(CronTest, Hourly) {
  EXPECT_EQ(next("0 * * * *", "2026-03-01T10:15:00Z"), "2026-03-01T11:00:00.000Z");
  EXPECT_EQ(next("0 * * * *", "2026-03-01T10:00:00Z"), "2026-03-01T11:00:00.000Z");  // strictly after
  EXPECT_EQ(next("0 * * * *", "2026-03-01T09:59:59.999Z"), "2026-03-01T10:00:00.000Z");
  EXPECT_EQ(next("0 * * * *", "2026-12-31T23:30:00Z"), "2027-01-01T00:00:00.000Z");
}

TEST(CronTest, EveryMinuteAndSteps) {
  EXPECT_EQ(next("* * * * *", "2026-03-01T10:15:30Z"), "2026-03-01T10:16:00.000Z");
  EXPECT_EQ(next("*/15 * * * *", "2026-03-01T10:15:00Z"), "2026-03-01T10:30:00.000Z");
  EXPECT_EQ(next("*/15 * * * *", "2026-03-01T10:50:00Z"), "2026-03-01T11:00:00.000Z");
  EXPECT_EQ(next("1-30/5 * * * *", "2026-03-01T10:12:00Z"), "2026-03-01T10:16:00.000Z");
  EXPECT_EQ(next("1-30/5 * * * *", "2026-03-01T10:26:00Z"), "2026-03-01T11:01:00.000Z");
  EXPECT_EQ(next("5/20 * * * *", "2026-03-01T10:26:00Z"), "2026-03-01T10:45:00.000Z");
  EXPECT_EQ(next("0 */6 * * *", "2026-03-01T07:00:00Z"), "2026-03-01T12:00:00.000Z");
}

TEST(CronTest, ListsAndRanges) {
  EXPECT_EQ(next("0,30 9-17 * * *", "2026-03-01T17:30:00Z"), "2026-03-02T09:00:00.000Z");
  EXPECT_EQ(next("15,45 8,20 * * *", "2026-03-01T08:20:00Z"), "2026-03-01T08:45:00.000Z");
  EXPECT_EQ(next("0 0 1,15 * *", "2026-03-02T00:00:00Z"), "2026-03-15T00:00:00.000Z");
}

TEST(CronTest, Names) {
  // 2026-03-06 is a Friday.
  EXPECT_EQ(next("0 9 * * MON-FRI", "2026-03-06T10:00:00Z"), "2026-03-09T09:00:00.000Z");
  EXPECT_EQ(next("0 9 * * sat,Sun", "2026-03-06T10:00:00Z"), "2026-03-07T09:00:00.000Z");
  EXPECT_EQ(next("0 0 1 jan-mar *", "2026-03-02T00:00:00Z"), "2027-01-01T00:00:00.000Z");
  EXPECT_EQ(next("0 0 1 JUN *", "2026-03-02T00:00:00Z"), "2026-06-01T00:00:00.000Z");
}

TEST(CronTest, SundayIsZeroOrSeven) {
  // 2026-03-08 is a Sunday.
  EXPECT_EQ(next("0 0 * * 0", "2026-03-06T00:00:00Z"), "2026-03-08T00:00:00.000Z");
  EXPECT_EQ(next("0 0 * * 7", "2026-03-06T00:00:00Z"), "2026-03-08T00:00:00.000Z");
  EXPECT_EQ(next("0 0 * * 5-7", "2026-03-06T12:00:00Z"), "2026-03-07T00:00:00.000Z");
}

TEST(CronTest, DayOfMonthOrDayOfWeekWhenBothRestricted) {
  // The 13th or any Friday: from Sat 2026-03-07 the next is Fri 03-13 (both), then Fri 03-20.
  EXPECT_EQ(next("0 0 13 * FRI", "2026-03-07T00:00:00Z"), "2026-03-13T00:00:00.000Z");
  EXPECT_EQ(next("0 0 13 * FRI", "2026-03-13T00:00:00Z"), "2026-03-20T00:00:00.000Z");
  // The 1st or a Monday: Mon 2026-03-09 comes before 04-01.
  EXPECT_EQ(next("0 0 1 * MON", "2026-03-02T00:00:00Z"), "2026-03-09T00:00:00.000Z");
}

TEST(CronTest, StarInOneDayFieldMeansTheOtherDecides) {
  EXPECT_EQ(next("0 0 13 * *", "2026-03-07T00:00:00Z"), "2026-03-13T00:00:00.000Z");
  EXPECT_EQ(next("0 0 * * FRI", "2026-03-07T00:00:00Z"), "2026-03-13T00:00:00.000Z");
  // "*/2" starts with '*' (classic cron): both must match, odd days that are Fridays.
  EXPECT_EQ(next("0 0 */2 * FRI", "2026-03-07T00:00:00Z"), "2026-03-13T00:00:00.000Z");
  EXPECT_EQ(next("0 0 */2 * FRI", "2026-03-13T00:00:00Z"), "2026-03-27T00:00:00.000Z");
}

TEST(CronTest, LeapDayAndImpossibleDates) {
  EXPECT_EQ(next("0 0 29 2 *", "2026-03-01T00:00:00Z"), "2028-02-29T00:00:00.000Z");
  EXPECT_EQ(next("0 12 31 * *", "2026-04-01T00:00:00Z"), "2026-05-31T12:00:00.000Z");
  EXPECT_EQ(next("0 0 30 2 *", "2026-03-01T00:00:00Z"), "never");
  EXPECT_EQ(next("0 0 31 4,6,9,11 *", "2026-03-01T00:00:00Z"), "never");
}

TEST(CronTest, Macros) {
  EXPECT_EQ(next("@hourly", "2026-03-01T10:15:00Z"), "2026-03-01T11:00:00.000Z");
  EXPECT_EQ(next("@daily", "2026-03-01T10:15:00Z"), "2026-03-02T00:00:00.000Z");
  EXPECT_EQ(next("@midnight", "2026-03-01T10:15:00Z"), "2026-03-02T00:00:00.000Z");
  EXPECT_EQ(next("@weekly", "2026-03-02T10:15:00Z"), "2026-03-08T00:00:00.000Z");
  EXPECT_EQ(next("@monthly", "2026-03-02T10:15:00Z"), "2026-04-01T00:00:00.000Z");
  EXPECT_EQ(next("@YEARLY", "2026-03-02T10:15:00Z"), "2027-01-01T00:00:00.000Z");
  EXPECT_THAT(parse_error("@often"), HasSubstr("unknown macro \"@often\""));
}

TEST(CronTest, WhitespaceIsFlexibleAndExpressionKept) {
  auto schedule = CronSchedule::parse("  0\t*  * *   *  ");
  ASSERT_TRUE(schedule.ok());
  EXPECT_EQ(schedule->expression(), "0\t*  * *   *");
  EXPECT_TRUE(parse_cron("0 * * * *").ok());
}

TEST(CronTest, BeforeTheEpochWorks) {
  EXPECT_EQ(next("30 6 * * *", "1969-12-31T23:00:00Z"), "1970-01-01T06:30:00.000Z");
  EXPECT_EQ(next("0 0 * * WED", "1969-12-25T00:00:00Z"), "1969-12-31T00:00:00.000Z");
}

TEST(CronTest, ErrorsNameTheField) {
  EXPECT_THAT(parse_error("61 * * * *"), HasSubstr("the minute field \"61\" is out of range 0-59"));
  EXPECT_THAT(parse_error("0 24 * * *"), HasSubstr("the hour field \"24\" is out of range 0-23"));
  EXPECT_THAT(parse_error("0 0 0 * *"), HasSubstr("day-of-month field \"0\" is out of range 1-31"));
  EXPECT_THAT(parse_error("0 0 * 13 *"), HasSubstr("month field \"13\" is out of range 1-12"));
  EXPECT_THAT(parse_error("0 0 * * 8"), HasSubstr("day-of-week field \"8\" is out of range 0-7"));
  EXPECT_THAT(parse_error("0 0 * * FUNDAY"),
              HasSubstr("day-of-week field \"FUNDAY\" is not a number or a name"));
  EXPECT_THAT(parse_error("0 0 * JAN-FOO *"), HasSubstr("month field"));
  EXPECT_THAT(parse_error("*/0 * * * *"),
              HasSubstr("minute field \"*/0\" has a step that is not a positive"));
  EXPECT_THAT(parse_error("*/x * * * *"), HasSubstr("step"));
  EXPECT_THAT(parse_error("30-10 * * * *"), HasSubstr("runs backwards"));
  EXPECT_THAT(parse_error("1,,2 * * * *"), HasSubstr("empty list item"));
  EXPECT_THAT(parse_error("0 MON * * *"), HasSubstr("hour field \"MON\""));  // names only where they belong
  EXPECT_THAT(parse_error("-5 * * * *"), HasSubstr("minute field"));
}

TEST(CronTest, WrongNumberOfFields) {
  EXPECT_THAT(parse_error(""), HasSubstr("expected 5 fields"));
  EXPECT_THAT(parse_error("* * * *"), HasSubstr("got 4"));
  EXPECT_THAT(parse_error("0 * * * * *"), HasSubstr("got 6"));
}

TEST(CronTest, ConsecutiveRunsAreStrictlyIncreasing) {
  auto schedule = CronSchedule::parse("*/7 */5 * * *");
  ASSERT_TRUE(schedule.ok());
  TimePoint t = at("2026-03-01T00:00:00Z");
  for (int i = 0; i < 500; ++i) {
    auto n = schedule->next_after(t);
    ASSERT_TRUE(n.has_value());
    ASSERT_GT(*n, t);
    const std::int64_t minute_of_day = (to_epoch_ms(*n) / 60'000) % 1440;
    EXPECT_EQ((minute_of_day % 60) % 7, 0);
    EXPECT_EQ((minute_of_day / 60) % 5, 0);
    t = *n;
  }
}

}  // namespace
}  // namespace tenantsync::core
