#pragma once
// Retry timing for upstream calls (DESIGN.md §3): exponential backoff with full jitter (the
// AWS Architecture Blog's "full jitter", which spreads retries of many tenants hitting the
// same limit best), and the server's own Retry-After when it sends one.
#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <random>
#include <string_view>
#include <vector>

#include "core/clock.hpp"

namespace tenantsync::core {

/// Randomness is a side effect: behind an interface so tests are deterministic.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  /// A uniformly distributed number in [0, 1).
  virtual double next_unit() = 0;
};

/// A Mersenne Twister seeded from std::random_device; safe to share between threads.
class SystemRandomSource final : public RandomSource {
 public:
  SystemRandomSource() : engine_(std::random_device{}()) {}
  double next_unit() override {
    std::lock_guard lock(mutex_);
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
  }

 private:
  std::mutex mutex_;
  std::mt19937_64 engine_;
};

/// Returns the given values in turn (cycling); for tests. Values are clamped into [0, 1).
class FakeRandomSource final : public RandomSource {
 public:
  explicit FakeRandomSource(std::vector<double> values) : values_(std::move(values)) {}
  double next_unit() override;

 private:
  std::vector<double> values_;
  std::size_t next_ = 0;
};

/// The delay before retry number `attempt` (0 for the first retry): uniform in
/// [0, min(cap, base × 2^attempt)].
Millis backoff_delay(int attempt, Millis base, Millis cap, RandomSource& random);

/// Reads a Retry-After header: delta-seconds ("120") or an IMF-fixdate
/// ("Wed, 21 Oct 2015 07:28:00 GMT"). A date in the past gives zero; nullopt when malformed.
std::optional<Millis> parse_retry_after(std::string_view value, TimePoint now);

}  // namespace tenantsync::core
