#include "upstream/backoff_policy.hpp"

#include <algorithm>

namespace tenantsync::upstream {

SystemRandomSource::SystemRandomSource() : engine_(std::random_device{}()) {}

double SystemRandomSource::next_unit() {
  std::lock_guard lock(mutex_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
}

std::chrono::milliseconds BackoffPolicy::ceiling(int retry) const {
  const std::int64_t base_ms = std::max<std::int64_t>(base.count(), 0);
  const std::int64_t cap_ms = std::max<std::int64_t>(cap.count(), 0);
  // Doubling stops once past the cap, so large retry numbers cannot overflow.
  std::int64_t value = base_ms;
  for (int i = 0; i < retry && value < cap_ms; ++i) value *= 2;
  return std::chrono::milliseconds(std::min(value, cap_ms));
}

std::chrono::milliseconds BackoffPolicy::delay(int retry, RandomSource& random) const {
  const double unit = std::clamp(random.next_unit(), 0.0, 1.0);
  const auto top = ceiling(retry).count();
  return std::chrono::milliseconds(static_cast<std::int64_t>(unit * static_cast<double>(top)));
}

}  // namespace tenantsync::upstream
