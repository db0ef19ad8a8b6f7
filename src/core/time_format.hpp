#pragma once
// Times as text: ISO-8601 UTC for API bodies and upstream query parameters, and the HTTP date
// (IMF-fixdate) that a Retry-After header may carry.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace tenantsync {

/// "2026-11-21T10:00:00.123Z" (milliseconds always present).
std::string format_iso8601(TimePoint t);
/// Accepts "YYYY-MM-DDTHH:MM:SS[.fff...][Z|±HH:MM]" and "YYYY-MM-DD HH:MM:SS..." ; nullopt when malformed.
std::optional<TimePoint> parse_iso8601(std::string_view text);
/// Reads an IMF-fixdate (RFC 9110 §5.6.7), "Sun, 06 Nov 1994 08:49:37 GMT": exactly that shape,
/// a real weekday name and a day that exists in its month; nullopt otherwise. Epoch milliseconds
/// rather than a TimePoint: a date may lie past 2262, where a nanosecond TimePoint overflows.
std::optional<std::int64_t> parse_imf_fixdate_ms(std::string_view text);

}  // namespace tenantsync
