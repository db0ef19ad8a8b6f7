#pragma once
// Randomness is a side effect like the clock: behind an interface, so tests pin it
// (Envoy's Random::RandomGenerator plays the same part for its backoff).
#include <mutex>
#include <random>

namespace tenantsync::core {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  /// A uniformly distributed number in [0, 1).
  virtual double next_unit() = 0;
};

/// A Mersenne Twister seeded from std::random_device; safe to share between threads.
class SystemRandomSource final : public RandomSource {
 public:
  SystemRandomSource();
  double next_unit() override;

 private:
  std::mutex mutex_;
  std::mt19937_64 engine_;
};

}  // namespace tenantsync::core
