#include "core/backoff.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace tenantsync::core {
namespace {

// A Retry-After beyond this is nonsense (or hostile); treat it as malformed rather than wait a year.
constexpr std::int64_t kMaxRetryAfterSeconds = 7 * 24 * 3600;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool read_digits(std::string_view text, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > text.size()) return false;
  for (std::size_t i = pos; i < pos + len; ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  std::from_chars(text.data() + pos, text.data() + pos + len, out);
  return true;
}

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}

// IMF-fixdate, RFC 9110 §5.6.7: "Sun, 06 Nov 1994 08:49:37 GMT", exactly 29 characters.
std::optional<TimePoint> parse_imf_fixdate(std::string_view s) {
  static constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 29 || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
      s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT")
    return std::nullopt;
  if (std::find(kDays.begin(), kDays.end(), s.substr(0, 3)) == kDays.end()) return std::nullopt;
  const auto month_it = std::find(kMonths.begin(), kMonths.end(), s.substr(8, 3));
  if (month_it == kMonths.end()) return std::nullopt;
  const int month = static_cast<int>(month_it - kMonths.begin()) + 1;
  int day, year, hour, minute, second;
  if (!read_digits(s, 5, 2, day) || !read_digits(s, 12, 4, year) || !read_digits(s, 17, 2, hour) ||
      !read_digits(s, 20, 2, minute) || !read_digits(s, 23, 2, second))
    return std::nullopt;
  if (day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return from_epoch_ms((days * 86400 + hour * 3600 + minute * 60 + second) * 1000);
}

}  // namespace

double FakeRandomSource::next_unit() {
  if (values_.empty()) return 0.0;
  const double v = values_[next_++ % values_.size()];
  return std::clamp(v, 0.0, std::nextafter(1.0, 0.0));
}

Millis backoff_delay(int attempt, Millis base, Millis cap, RandomSource& random) {
  if (base.count() <= 0 || cap.count() <= 0) return Millis(0);
  // Double without overflowing: stop as soon as the cap is reached.
  std::int64_t ceiling = std::min(base.count(), cap.count());
  for (int i = 0; i < attempt && ceiling < cap.count(); ++i)
    ceiling = ceiling > cap.count() / 2 ? cap.count() : ceiling * 2;
  const double unit = std::clamp(random.next_unit(), 0.0, std::nextafter(1.0, 0.0));
  // unit in [0, 1) over ceiling + 1 buckets gives every value 0..ceiling the same chance.
  const auto scaled = static_cast<std::int64_t>(unit * static_cast<double>(ceiling + 1));
  return Millis(std::min(scaled, ceiling));
}

std::optional<Millis> parse_retry_after(std::string_view value, TimePoint now) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::int64_t seconds = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc() || ptr != value.data() + value.size() || seconds > kMaxRetryAfterSeconds)
      return std::nullopt;
    return Millis(seconds * 1000);
  }
  auto date = parse_imf_fixdate(value);
  if (!date) return std::nullopt;
  const auto delta = std::chrono::duration_cast<Millis>(*date - now);
  if (delta.count() <= 0) return Millis(0);
  if (delta.count() > kMaxRetryAfterSeconds * 1000) return std::nullopt;
  return delta;
}

}  // namespace tenantsync::core
