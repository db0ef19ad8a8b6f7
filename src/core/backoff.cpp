#include "core/backoff.hpp"

#include <algorithm>
#include <cstdint>

namespace tenantsync::core {
namespace {

// 63 doublings take any positive base past any cap: no need to count retries further.
constexpr int kLastDoubling = 63;

}  // namespace

Millis BackoffPolicy::ceiling(int retry) const {
  const std::int64_t cap_ms = std::max<std::int64_t>(cap.count(), 0);
  std::int64_t value = std::clamp<std::int64_t>(base.count(), 0, cap_ms);
  // Doubling stops at the cap, so a large retry number can neither overflow nor loop long.
  for (int i = 0; i < retry && value > 0 && value < cap_ms; ++i)
    value = value > cap_ms / 2 ? cap_ms : value * 2;
  return Millis(value);
}

JitteredExponentialBackOff::JitteredExponentialBackOff(BackoffPolicy policy, RandomSource& random)
    : policy_(policy), random_(random) {}

Millis JitteredExponentialBackOff::next_back_off() {
  const double unit = std::clamp(random_.next_unit(), 0.0, 1.0);
  const std::int64_t top = policy_.ceiling(retry_).count();
  retry_ = std::min(retry_ + 1, kLastDoubling);
  // A double holds 53 bits: past that, unit × top may round up to top or beyond (and beyond
  // INT64_MAX a cast would be undefined).
  const double scaled = unit * static_cast<double>(top);
  return Millis(scaled >= static_cast<double>(top) ? top : static_cast<std::int64_t>(scaled));
}

void JitteredExponentialBackOff::reset() { retry_ = 0; }

}  // namespace tenantsync::core
