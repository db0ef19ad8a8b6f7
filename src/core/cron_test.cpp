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
  EXPECT_EQ(schedule.error().code, core::ErrorCode::bad_cron);
  return schedule.error().message;
}

// One expression, a time, and the first time after it that the expression fires ("never" when it
// cannot); `why` names the rule the case shows.
struct NextCase {
  const char* why;
  const char* expr;
  const char* after;
  const char* expected;
};

// Calendar facts the cases rely on: 2026-03-06 is a Friday, 2026-03-08 a Sunday, 2028 a leap year.
const NextCase kNextCases[] = {
    {"hourly", "0 * * * *", "2026-03-01T10:15:00Z", "2026-03-01T11:00:00.000Z"},
    {"hourly, strictly after", "0 * * * *", "2026-03-01T10:00:00Z", "2026-03-01T11:00:00.000Z"},
    {"hourly", "0 * * * *", "2026-03-01T09:59:59.999Z", "2026-03-01T10:00:00.000Z"},
    {"hourly, into the next year", "0 * * * *", "2026-12-31T23:30:00Z", "2027-01-01T00:00:00.000Z"},
    {"every minute", "* * * * *", "2026-03-01T10:15:30Z", "2026-03-01T10:16:00.000Z"},
    {"step", "*/15 * * * *", "2026-03-01T10:15:00Z", "2026-03-01T10:30:00.000Z"},
    {"step", "*/15 * * * *", "2026-03-01T10:50:00Z", "2026-03-01T11:00:00.000Z"},
    {"step in a range", "1-30/5 * * * *", "2026-03-01T10:12:00Z", "2026-03-01T10:16:00.000Z"},
    {"step in a range", "1-30/5 * * * *", "2026-03-01T10:26:00Z", "2026-03-01T11:01:00.000Z"},
    {"step from a start", "5/20 * * * *", "2026-03-01T10:26:00Z", "2026-03-01T10:45:00.000Z"},
    {"hour step", "0 */6 * * *", "2026-03-01T07:00:00Z", "2026-03-01T12:00:00.000Z"},
    {"list and range", "0,30 9-17 * * *", "2026-03-01T17:30:00Z", "2026-03-02T09:00:00.000Z"},
    {"lists", "15,45 8,20 * * *", "2026-03-01T08:20:00Z", "2026-03-01T08:45:00.000Z"},
    {"day-of-month list", "0 0 1,15 * *", "2026-03-02T00:00:00Z", "2026-03-15T00:00:00.000Z"},
    {"day names", "0 9 * * MON-FRI", "2026-03-06T10:00:00Z", "2026-03-09T09:00:00.000Z"},
    {"day names, any case", "0 9 * * sat,Sun", "2026-03-06T10:00:00Z", "2026-03-07T09:00:00.000Z"},
    {"month names", "0 0 1 jan-mar *", "2026-03-02T00:00:00Z", "2027-01-01T00:00:00.000Z"},
    {"month name", "0 0 1 JUN *", "2026-03-02T00:00:00Z", "2026-06-01T00:00:00.000Z"},
    {"Sunday is 0", "0 0 * * 0", "2026-03-06T00:00:00Z", "2026-03-08T00:00:00.000Z"},
    {"Sunday is 7", "0 0 * * 7", "2026-03-06T00:00:00Z", "2026-03-08T00:00:00.000Z"},
    {"range up to Sunday 7", "0 0 * * 5-7", "2026-03-06T12:00:00Z", "2026-03-07T00:00:00.000Z"},
    // Both day fields restricted: the 13th or any Friday (Fri 03-13 is both, then Fri 03-20), and
    // the 1st or a Monday (Mon 2026-03-09 comes before 04-01).
    {"day of month or of week", "0 0 13 * FRI", "2026-03-07T00:00:00Z", "2026-03-13T00:00:00.000Z"},
    {"day of month or of week", "0 0 13 * FRI", "2026-03-13T00:00:00Z", "2026-03-20T00:00:00.000Z"},
    {"day of month or of week", "0 0 1 * MON", "2026-03-02T00:00:00Z", "2026-03-09T00:00:00.000Z"},
    {"star day of week: the day of month decides", "0 0 13 * *", "2026-03-07T00:00:00Z",
     "2026-03-13T00:00:00.000Z"},
    {"star day of month: the day of week decides", "0 0 * * FRI", "2026-03-07T00:00:00Z",
     "2026-03-13T00:00:00.000Z"},
    // "*/2" starts with '*' (classic cron): both must match, odd days that are Fridays.
    {"*/2 counts as a star", "0 0 */2 * FRI", "2026-03-07T00:00:00Z", "2026-03-13T00:00:00.000Z"},
    {"*/2 counts as a star", "0 0 */2 * FRI", "2026-03-13T00:00:00Z", "2026-03-27T00:00:00.000Z"},
    {"leap day", "0 0 29 2 *", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00.000Z"},
    {"31st skips short months", "0 12 31 * *", "2026-04-01T00:00:00Z", "2026-05-31T12:00:00.000Z"},
    {"impossible date", "0 0 30 2 *", "2026-03-01T00:00:00Z", "never"},
    {"impossible dates", "0 0 31 4,6,9,11 *", "2026-03-01T00:00:00Z", "never"},
    {"macro", "@hourly", "2026-03-01T10:15:00Z", "2026-03-01T11:00:00.000Z"},
    {"macro", "@daily", "2026-03-01T10:15:00Z", "2026-03-02T00:00:00.000Z"},
    {"macro", "@midnight", "2026-03-01T10:15:00Z", "2026-03-02T00:00:00.000Z"},
    {"macro", "@weekly", "2026-03-02T10:15:00Z", "2026-03-08T00:00:00.000Z"},
    {"macro", "@monthly", "2026-03-02T10:15:00Z", "2026-04-01T00:00:00.000Z"},
    {"macro, any case", "@YEARLY", "2026-03-02T10:15:00Z", "2027-01-01T00:00:00.000Z"},
    {"before the epoch", "30 6 * * *", "1969-12-31T23:00:00Z", "1970-01-01T06:30:00.000Z"},
    {"before the epoch", "0 0 * * WED", "1969-12-25T00:00:00Z", "1969-12-31T00:00:00.000Z"},
};

TEST(CronTest, NextAfter) {
  for (const NextCase& c : kNextCases) {
    EXPECT_EQ(next(c.expr, c.after), c.expected) << c.why << ": \"" << c.expr << "\" after " << c.after;
  }
}

// An expression that must not parse, and a part of the message that must say why.
struct ErrorCase {
  const char* expr;
  const char* message_part;
};

const ErrorCase kErrorCases[] = {
    {"@often", "unknown macro \"@often\""},
    {"61 * * * *", "the minute field \"61\" is out of range 0-59"},
    {"0 24 * * *", "the hour field \"24\" is out of range 0-23"},
    {"0 0 0 * *", "day-of-month field \"0\" is out of range 1-31"},
    {"0 0 * 13 *", "month field \"13\" is out of range 1-12"},
    {"0 0 * * 8", "day-of-week field \"8\" is out of range 0-7"},
    {"0 0 * * FUNDAY", "day-of-week field \"FUNDAY\" is not a number or a name"},
    {"0 0 * JAN-FOO *", "month field"},
    {"*/0 * * * *", "minute field \"*/0\" has a step that is not a positive"},
    {"*/x * * * *", "step"},
    {"30-10 * * * *", "runs backwards"},
    {"1,,2 * * * *", "empty list item"},
    {"0 MON * * *", "hour field \"MON\""},  // names only where they belong
    {"-5 * * * *", "minute field"},
    {"", "expected 5 fields"},
    {"* * * *", "got 4"},
    {"0 * * * * *", "got 6"},
};

TEST(CronTest, ErrorsSayWhatIsWrong) {
  for (const ErrorCase& c : kErrorCases) {
    EXPECT_THAT(parse_error(c.expr), HasSubstr(c.message_part)) << "\"" << c.expr << "\"";
  }
}

TEST(CronTest, WhitespaceIsFlexibleAndExpressionKept) {
  auto schedule = CronSchedule::parse("  0\t*  * *   *  ");
  ASSERT_TRUE(schedule.ok());
  EXPECT_EQ(schedule->expression(), "0\t*  * *   *");
  EXPECT_TRUE(parse_cron("0 * * * *").ok());
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
