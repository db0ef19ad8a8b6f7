#include "core/cron.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <vector>

#include "core/calendar.hpp"

namespace tenantsync::core {
namespace {

struct FieldSpec {
  const char* name;
  int min;
  int max;
  const std::array<std::string_view, 12>* names;  // value of names[i] is min + i; nullptr if none
};

constexpr std::array<std::string_view, 12> kMonthNames = {"jan", "feb", "mar", "apr", "may", "jun",
                                                          "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 12> kDayNames = {"sun", "mon", "tue", "wed", "thu", "fri",
                                                        "sat", "",    "",    "",    "",    ""};

// Day-of-week accepts 7 (Sunday) when parsing; it is folded onto 0 afterwards.
constexpr std::array<FieldSpec, 5> kFields = {{{"minute", 0, 59, nullptr},
                                               {"hour", 0, 23, nullptr},
                                               {"day-of-month", 1, 31, nullptr},
                                               {"month", 1, 12, &kMonthNames},
                                               {"day-of-week", 0, 7, &kDayNames}}};

Error field_error(const FieldSpec& field, std::string_view text, std::string_view why) {
  return make_error(core::ErrorCode::bad_cron,
                    fmt::format("Invalid cron expression: the {} field \"{}\" {}.", field.name, text, why));
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<int> parse_value(const FieldSpec& field, std::string_view text) {
  if (text.empty()) return std::nullopt;
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && ptr == text.data() + text.size()) return value;
  if (field.names == nullptr) return std::nullopt;
  const std::string name = lower(text);
  for (std::size_t i = 0; i < field.names->size(); ++i)
    if (!(*field.names)[i].empty() && (*field.names)[i] == name) return field.min + static_cast<int>(i);
  return std::nullopt;
}

// Parses one field into a bit per allowed value (index = value).
Result<std::vector<bool>> parse_field(const FieldSpec& field, std::string_view text) {
  std::vector<bool> bits(static_cast<std::size_t>(field.max) + 1, false);
  if (text.empty()) return field_error(field, text, "is empty");
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    const std::string_view item = text.substr(start, comma - start);
    if (item.empty()) return field_error(field, text, "has an empty list item");

    std::string_view range = item;
    int step = 1;
    if (const std::size_t slash = item.find('/'); slash != std::string_view::npos) {
      range = item.substr(0, slash);
      const std::string_view step_text = item.substr(slash + 1);
      auto [ptr, ec] = std::from_chars(step_text.data(), step_text.data() + step_text.size(), step);
      if (step_text.empty() || ec != std::errc() || ptr != step_text.data() + step_text.size() || step < 1)
        return field_error(field, text, "has a step that is not a positive number");
    }
    int low = field.min;
    int high = field.max;
    if (range == "*") {
      // whole range
    } else if (const std::size_t dash = range.find('-'); dash != std::string_view::npos) {
      auto a = parse_value(field, range.substr(0, dash));
      auto b = parse_value(field, range.substr(dash + 1));
      if (!a || !b) return field_error(field, text, "has a range that is not two values");
      low = *a;
      high = *b;
      if (low > high) return field_error(field, text, "has a range that runs backwards");
    } else {
      auto v = parse_value(field, range);
      if (!v) return field_error(field, text, "is not a number or a name");
      low = *v;
      // "5/10" steps from 5 to the end; a bare "5" is just 5.
      high = item.find('/') != std::string_view::npos ? field.max : *v;
    }
    if (low < field.min || high > field.max)
      return field_error(field, text, fmt::format("is out of range {}-{}", field.min, field.max));
    for (int v = low; v <= high; v += step) bits[static_cast<std::size_t>(v)] = true;
    start = comma + 1;
  }
  return bits;
}

std::string_view expand_macro(std::string_view text) {
  const std::string name = lower(text);
  if (name == "@hourly") return "0 * * * *";
  if (name == "@daily" || name == "@midnight") return "0 0 * * *";
  if (name == "@weekly") return "0 0 * * 0";
  if (name == "@monthly") return "0 0 1 * *";
  if (name == "@yearly" || name == "@annually") return "0 0 1 1 *";
  return {};
}

}  // namespace

Result<CronSchedule> CronSchedule::parse(std::string_view expression) {
  std::size_t b = 0, e = expression.size();
  while (b < e && std::isspace(static_cast<unsigned char>(expression[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(expression[e - 1]))) --e;
  const std::string_view trimmed = expression.substr(b, e - b);

  std::string_view text = trimmed;
  if (!text.empty() && text.front() == '@') {
    text = expand_macro(text);
    if (text.empty())
      return make_error(core::ErrorCode::bad_cron,
                        fmt::format("Invalid cron expression: unknown macro \"{}\".", trimmed));
  }

  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    const std::size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) parts.push_back(text.substr(start, i - start));
  }
  if (parts.size() != 5)
    return make_error(
        core::ErrorCode::bad_cron,
        fmt::format("Invalid cron expression \"{}\": expected 5 fields (minute hour day-of-month "
                    "month day-of-week), got {}.",
                    trimmed, parts.size()));

  CronSchedule schedule;
  schedule.expression_ = std::string(trimmed);
  std::array<std::vector<bool>, 5> bits;
  for (std::size_t f = 0; f < 5; ++f) {
    auto parsed = parse_field(kFields[f], parts[f]);
    if (!parsed) return parsed.error();
    bits[f] = std::move(parsed).value();
  }
  for (int v = 0; v < 60; ++v) schedule.minutes_[v] = bits[0][v];
  for (int v = 0; v < 24; ++v) schedule.hours_[v] = bits[1][v];
  for (int v = 1; v <= 31; ++v) schedule.days_of_month_[v] = bits[2][v];
  for (int v = 1; v <= 12; ++v) schedule.months_[v] = bits[3][v];
  for (int v = 0; v <= 6; ++v) schedule.days_of_week_[v] = bits[4][v];
  if (bits[4][7]) schedule.days_of_week_[0] = true;
  schedule.dom_star_ = parts[2].front() == '*';
  schedule.dow_star_ = parts[4].front() == '*';
  return schedule;
}

bool CronSchedule::day_matches(int day_of_month, int month, int day_of_week) const {
  if (!months_[month]) return false;
  const bool dom = days_of_month_[day_of_month];
  const bool dow = days_of_week_[day_of_week];
  if (dom_star_ || dow_star_) return dom && dow;
  return dom || dow;
}

std::optional<TimePoint> CronSchedule::next_after(TimePoint after) const {
  constexpr std::int64_t kMinuteMs = 60'000;
  constexpr std::int64_t kDayMinutes = 1440;
  // Whole minutes since the epoch; the first candidate is the minute after the one `after` is in.
  std::int64_t minute = floor_div(to_epoch_ms(after), kMinuteMs) + 1;
  std::int64_t day = floor_div(minute, kDayMinutes);
  const std::int64_t last_day = day + 3660;  // ten years: every valid date combination recurs in that
  int minute_of_day = static_cast<int>(minute - day * kDayMinutes);
  for (; day <= last_day; ++day, minute_of_day = 0) {
    // Civil dates from the calendar helper, so evaluation never touches the local zone.
    const CivilDate c = civil_from_days(day);
    if (!day_matches(static_cast<int>(c.day), static_cast<int>(c.month), weekday_from_days(day))) continue;
    for (int m = minute_of_day; m < kDayMinutes; ++m) {
      if (hours_[m / 60] && minutes_[m % 60]) return from_epoch_ms((day * kDayMinutes + m) * kMinuteMs);
    }
  }
  return std::nullopt;
}

}  // namespace tenantsync::core
