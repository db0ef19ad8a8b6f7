#pragma once
// ISO-8601 UTC text for API bodies and upstream query parameters.
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace tenantsync {

/// "2026-11-21T10:00:00.123Z" (milliseconds always present).
std::string format_iso8601(TimePoint t);
/// Accepts "YYYY-MM-DDTHH:MM:SS[.fff...][Z|±HH:MM]" and "YYYY-MM-DD HH:MM:SS..." ; nullopt when malformed.
std::optional<TimePoint> parse_iso8601(std::string_view text);

}  // namespace tenantsync
