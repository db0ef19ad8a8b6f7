#include "core/random_source.hpp"

namespace tenantsync::core {

SystemRandomSource::SystemRandomSource() : engine_(std::random_device{}()) {}

double SystemRandomSource::next_unit() {
  std::lock_guard lock(mutex_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
}

}  // namespace tenantsync::core
