#include "core/retry_after.hpp"

#include <algorithm>
#include <cstdint>

#include "core/time_format.hpp"

namespace tenantsync::core {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<Millis> parse_retry_after(std::string_view value, TimePoint now, Millis max_wait) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  const Millis cap = std::max(max_wait, Millis(0));
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    // Digit by digit, stopping once past the cap: any number of digits is a valid (huge) delay.
    std::int64_t seconds = 0;
    for (const char c : value) {
      seconds = seconds * 10 + (c - '0');
      if (seconds > cap.count() / 1000) return cap;
    }
    return Millis(seconds * 1000);
  }
  const auto date_ms = parse_imf_fixdate_ms(value);
  if (!date_ms) return std::nullopt;
  const std::int64_t wait_ms = *date_ms - to_epoch_ms(now);  // both within ±10,000 years: no overflow
  return Millis(std::clamp<std::int64_t>(wait_ms, 0, cap.count()));
}

}  // namespace tenantsync::core
