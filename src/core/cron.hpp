#pragma once
// Five-field cron expressions for the built-in scheduler (one per sync target, default
// hourly), evaluated in UTC.
//
//   minute hour day-of-month month day-of-week
//
// Each field: `*`, a number, a range `a-b`, a list `a,b,c`, and a step on any of them
// (`*/15`, `1-30/5`, `5/10` meaning 5-max/10). Months JAN-DEC and days SUN-SAT may be
// written as names (any case); day-of-week 7 is Sunday like 0. The macros @hourly, @daily,
// @midnight, @weekly, @monthly, @yearly and @annually are accepted.
//
// Days follow the classic (Vixie) cron rule: when both day fields are restricted, a day
// matches if either matches ("0 0 1 * MON" is the 1st and every Monday); when either field
// starts with `*`, both must match, which makes the `*` one irrelevant.
#include <bitset>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace tenantsync::core {

class CronSchedule {
 public:
  /// Parses an expression; the error ("bad_cron") names the field that is wrong.
  static Result<CronSchedule> parse(std::string_view expression);

  /// The first whole minute strictly after `after` that matches, in UTC; nullopt when none
  /// exists within ten years (e.g. "0 0 30 2 *").
  std::optional<TimePoint> next_after(TimePoint after) const;

  /// The expression as given (trimmed).
  const std::string& expression() const { return expression_; }

 private:
  CronSchedule() = default;
  bool day_matches(int day_of_month, int month, int day_of_week) const;

  std::string expression_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_of_month_;  // 1..31
  std::bitset<13> months_;         // 1..12
  std::bitset<7> days_of_week_;    // 0 = Sunday
  bool dom_star_ = false;
  bool dow_star_ = false;
};

/// Shorthand for CronSchedule::parse.
inline Result<CronSchedule> parse_cron(std::string_view expression) {
  return CronSchedule::parse(expression);
}

}  // namespace tenantsync::core
