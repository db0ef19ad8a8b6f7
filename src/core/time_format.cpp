#include "core/time_format.hpp"

#include <charconv>
#include <ctime>

#include <fmt/format.h>

namespace tenantsync {
namespace {

bool read_int(std::string_view text, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > text.size()) return false;
  auto first = text.data() + pos;
  auto [ptr, ec] = std::from_chars(first, first + len, out);
  return ec == std::errc() && ptr == first + len;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace

std::string format_iso8601(TimePoint t) {
  const std::int64_t ms = to_epoch_ms(t);
  std::int64_t secs = ms / 1000;
  std::int64_t rem = ms % 1000;
  if (rem < 0) { rem += 1000; secs -= 1; }
  std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, rem);
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
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
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
  const std::int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return from_epoch_ms(secs * 1000 + millis);
}

}  // namespace tenantsync
