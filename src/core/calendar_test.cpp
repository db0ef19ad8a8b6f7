#include "core/calendar.hpp"

#include <gtest/gtest.h>

namespace tenantsync::core {
namespace {

TEST(CalendarTest, DaysAndDatesRoundTrip) {
  struct Case {
    std::int64_t year;
    unsigned month, day;
    std::int64_t days;
    int weekday;
  };
  for (const Case& c : {Case{1970, 1, 1, 0, 4}, Case{1969, 12, 31, -1, 3}, Case{2000, 2, 29, 11'016, 2},
                        Case{2015, 10, 21, 16'729, 3}, Case{2024, 2, 29, 19'782, 4},
                        Case{1600, 3, 1, -135'080, 3}, Case{9999, 12, 31, 2'932'896, 5}}) {
    EXPECT_EQ(days_from_civil(c.year, c.month, c.day), c.days) << c.year << "-" << c.month << "-" << c.day;
    const CivilDate date = civil_from_days(c.days);
    EXPECT_EQ(date.year, c.year) << c.days;
    EXPECT_EQ(date.month, c.month) << c.days;
    EXPECT_EQ(date.day, c.day) << c.days;
    EXPECT_EQ(weekday_from_days(c.days), c.weekday) << c.days;
  }
}

TEST(CalendarTest, EveryDayOfFourHundredYearsRoundTrips) {
  for (std::int64_t days = -146'097; days < 146'097; ++days) {
    const CivilDate date = civil_from_days(days);
    ASSERT_GE(date.day, 1u);
    ASSERT_LE(date.day, days_in_month(date.year, date.month));
    ASSERT_EQ(days_from_civil(date.year, date.month, date.day), days);
  }
}

TEST(CalendarTest, LeapYearsAndMonthLengths) {
  EXPECT_TRUE(is_leap_year(2024));
  EXPECT_TRUE(is_leap_year(2000));
  EXPECT_FALSE(is_leap_year(1900));
  EXPECT_FALSE(is_leap_year(2015));
  EXPECT_EQ(days_in_month(2024, 2), 29u);
  EXPECT_EQ(days_in_month(2015, 2), 28u);
  EXPECT_EQ(days_in_month(2015, 4), 30u);
  EXPECT_EQ(days_in_month(2015, 12), 31u);
  EXPECT_EQ(days_in_month(2015, 13), 0u);
  EXPECT_EQ(days_in_month(2015, 0), 0u);
}

TEST(CalendarTest, FloorDivRoundsTowardNegativeInfinity) {
  EXPECT_EQ(floor_div(7, 2), 3);
  EXPECT_EQ(floor_div(-7, 2), -4);
  EXPECT_EQ(floor_div(-8, 2), -4);
  EXPECT_EQ(floor_div(0, 86'400), 0);
  EXPECT_EQ(floor_div(-1, 86'400), -1);
}

}  // namespace
}  // namespace tenantsync::core
