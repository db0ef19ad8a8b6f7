#include "upstream/voice/voice_client.hpp"

#include <algorithm>

namespace tenantsync::upstream {

std::vector<std::pair<TimePoint, TimePoint>> split_windows(TimePoint from, TimePoint to,
                                                           std::chrono::milliseconds width) {
  std::vector<std::pair<TimePoint, TimePoint>> windows;
  if (to < from) return windows;
  const auto step = std::max(width, std::chrono::milliseconds(1));
  // Bolna's from/to are both inclusive, so windows end 1 ms before the next one starts.
  for (TimePoint start = from;;) {
    const TimePoint limit = start + step - std::chrono::milliseconds(1);
    const TimePoint end = std::min(limit, to);
    windows.emplace_back(start, end);
    if (end >= to) break;
    start = end + std::chrono::milliseconds(1);
  }
  return windows;
}

}  // namespace tenantsync::upstream
