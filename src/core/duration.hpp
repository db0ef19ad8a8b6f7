#pragma once
// Human durations in configuration: "90s", "15m", "2h", "7d", "250ms", or plain seconds.
#include <chrono>
#include <optional>
#include <string_view>

namespace tenantsync {

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace tenantsync
