#pragma once
// Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and
// Jitter"): delay = uniform(0, min(cap, base * 2^attempt)). Randomness is injected so
// tests can pin it.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>

namespace tenantsync::upstream {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  /// A uniformly distributed value in [0, 1).
  virtual double next_unit() = 0;
};

/// A seeded Mersenne Twister behind a mutex; safe to share between threads.
class SystemRandomSource final : public RandomSource {
 public:
  SystemRandomSource();
  double next_unit() override;

 private:
  std::mutex mutex_;
  std::mt19937_64 engine_;
};

struct BackoffPolicy {
  std::chrono::milliseconds base{500};
  std::chrono::milliseconds cap{30'000};

  /// The ceiling of the wait before retry number `retry` (0 for the first retry).
  std::chrono::milliseconds ceiling(int retry) const;
  /// A full-jitter delay for retry number `retry`: uniform in [0, ceiling(retry)].
  std::chrono::milliseconds delay(int retry, RandomSource& random) const;
};

}  // namespace tenantsync::upstream
