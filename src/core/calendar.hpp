#pragma once
// Proleptic Gregorian calendar arithmetic on days since 1970-01-01 (Howard Hinnant's
// algorithms), so time formats, HTTP dates and cron evaluation never touch the local zone.
#include <cstdint>

namespace tenantsync::core {

struct CivilDate {
  std::int64_t year;
  unsigned month;  ///< 1..12
  unsigned day;    ///< 1..31
};

/// Days since 1970-01-01 of a civil date (negative before it); the date is not validated.
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);
/// The civil date `days` after 1970-01-01.
CivilDate civil_from_days(std::int64_t days);
/// 0 for Sunday … 6 for Saturday.
int weekday_from_days(std::int64_t days);
bool is_leap_year(std::int64_t year);
/// 28..31; 0 for a month outside 1..12.
unsigned days_in_month(std::int64_t year, unsigned month);
/// a / b rounded toward negative infinity (b > 0): splits epoch times before 1970 into whole days.
std::int64_t floor_div(std::int64_t a, std::int64_t b);

}  // namespace tenantsync::core
