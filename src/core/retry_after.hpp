#pragma once
// The server's own answer to "when may I retry?": the Retry-After header (RFC 9110 §10.2.3).
#include <optional>
#include <string_view>

#include "core/clock.hpp"

namespace tenantsync::core {

/// The longest wait parse_retry_after reports when the caller sets no cap of its own: far
/// beyond any retry policy, yet small enough to add to a TimePoint without overflow.
inline constexpr Millis kRetryAfterCeiling{100LL * 365 * 24 * 3600 * 1000};

/// Reads a Retry-After value: delta-seconds ("120") or an IMF-fixdate
/// ("Wed, 21 Oct 2015 07:28:00 GMT"), surrounded by optional spaces or tabs. A date in the past
/// gives zero; anything else (a sign, a fraction, another date format) is malformed: nullopt.
///
/// The one rule for a huge Retry-After: it is capped at `max_wait` — the retry policy's maximum
/// wait (RetryOptions::max_retry_after, 2 minutes by default) — never rejected as malformed and
/// never overflowing, even with more digits than fit in 64 bits or a date years ahead. A server
/// that asks for a long pause gets the longest pause we allow, then its answer again.
std::optional<Millis> parse_retry_after(std::string_view value, TimePoint now,
                                        Millis max_wait = kRetryAfterCeiling);

}  // namespace tenantsync::core
