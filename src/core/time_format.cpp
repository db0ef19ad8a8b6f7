#include "core/time_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>

#include "core/calendar.hpp"

namespace tenantsync {
namespace {

using core::days_from_civil;
using core::floor_div;

constexpr std::int64_t kDaySeconds = 86'400;

// Exactly `len` ASCII digits at `pos` (no sign, no spaces).
bool read_int(std::string_view text, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > text.size()) return false;
  int value = 0;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  out = value;
  return true;
}

std::int64_t epoch_ms(std::int64_t days, std::int64_t seconds_of_day, std::int64_t millis) {
  return (days * kDaySeconds + seconds_of_day) * 1000 + millis;
}

}  // namespace

std::string format_iso8601(TimePoint t) {
  const std::int64_t ms = to_epoch_ms(t);
  const std::int64_t secs = floor_div(ms, 1000);
  const std::int64_t days = floor_div(secs, kDaySeconds);
  const std::int64_t of_day = secs - days * kDaySeconds;
  const core::CivilDate date = core::civil_from_days(days);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", date.year, date.month, date.day,
                     of_day / 3600, of_day / 60 % 60, of_day % 60, ms - secs * 1000);
}

std::optional<TimePoint> parse_iso8601(std::string_view text) {
  int year, month, day, hour = 0, minute = 0, second = 0;
  if (!read_int(text, 0, 4, year) || text.size() < 10 || text[4] != '-' || !read_int(text, 5, 2, month) ||
      text[7] != '-' || !read_int(text, 8, 2, day))
    return std::nullopt;
  std::size_t pos = 10;
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == ' ')) {
    if (!read_int(text, pos + 1, 2, hour) || text.size() < pos + 9 || text[pos + 3] != ':' ||
        !read_int(text, pos + 4, 2, minute) || text[pos + 6] != ':' || !read_int(text, pos + 7, 2, second))
      return std::nullopt;
    pos += 9;
  }
  // A day past the month's end (February 30) is an impossible time, not the next month.
  if (month < 1 || month > 12 || day < 1 ||
      static_cast<unsigned>(day) > core::days_in_month(year, static_cast<unsigned>(month)) || hour > 23 ||
      minute > 59 || second > 60)
    return std::nullopt;
  // A TimePoint counts nanoseconds in 64 bits: 1677-09-21 to 2262-04-11. Years outside whole
  // years of that range are no time an upstream meant, and would overflow (found by fuzz/bolna_*).
  if (year < 1678 || year > 2261) return std::nullopt;
  std::int64_t millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 3; ++i) millis *= 10;
  }
  std::int64_t offset_minutes = 0;
  if (pos < text.size()) {
    const char sign = text[pos];
    if (sign == 'Z' || sign == 'z') {
      ++pos;
    } else if (sign == '+' || sign == '-') {
      int oh = 0, om = 0;
      if (!read_int(text, pos + 1, 2, oh)) return std::nullopt;
      std::size_t mpos = pos + 3;
      if (mpos < text.size() && text[mpos] == ':') ++mpos;
      if (!read_int(text, mpos, 2, om)) return std::nullopt;
      offset_minutes = (sign == '+' ? 1 : -1) * (oh * 60 + om);
      pos = mpos + 2;
    }
  }
  if (pos != text.size()) return std::nullopt;
  const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return from_epoch_ms(epoch_ms(days, hour * 3600 + minute * 60 + second - offset_minutes * 60, millis));
}

std::optional<std::int64_t> parse_imf_fixdate_ms(std::string_view text) {
  static constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (text.size() != 29 || text.substr(3, 2) != ", " || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT")
    return std::nullopt;
  if (std::find(kDays.begin(), kDays.end(), text.substr(0, 3)) == kDays.end()) return std::nullopt;
  const auto month_it = std::find(kMonths.begin(), kMonths.end(), text.substr(8, 3));
  if (month_it == kMonths.end()) return std::nullopt;
  const auto month = static_cast<unsigned>(month_it - kMonths.begin() + 1);
  int day, year, hour, minute, second;
  if (!read_int(text, 5, 2, day) || !read_int(text, 12, 4, year) || !read_int(text, 17, 2, hour) ||
      !read_int(text, 20, 2, minute) || !read_int(text, 23, 2, second))
    return std::nullopt;
  if (day < 1 || static_cast<unsigned>(day) > core::days_in_month(year, month) || hour > 23 || minute > 59 ||
      second > 60)
    return std::nullopt;
  return epoch_ms(days_from_civil(year, month, static_cast<unsigned>(day)),
                  hour * 3600 + minute * 60 + second, 0);
}

}  // namespace tenantsync
