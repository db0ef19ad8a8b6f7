#pragma once
// How long to wait before retrying a failed call, in the shape of Envoy's BackOffStrategy
// (next_back_off / reset), with one implementation: exponential growth with full jitter (the
// AWS Architecture Blog's "Exponential Backoff and Jitter"), which spreads the retries of many
// tenants hitting the same limit best. The server's own Retry-After is read by
// core/retry_after.hpp; the retry loop that combines both is upstream/retrying_http_client.
#include "core/clock.hpp"
#include "core/random_source.hpp"

namespace tenantsync::core {

/// The growth of the waits: the ceiling doubles from `base` per retry and stops at `cap`.
struct BackoffPolicy {
  Millis base{500};
  Millis cap{30'000};

  /// The ceiling of the wait before retry number `retry` (0 for the first):
  /// min(cap, base × 2^retry), never overflowing; zero when base or cap is not positive.
  Millis ceiling(int retry) const;
};

class BackOffStrategy {
 public:
  virtual ~BackOffStrategy() = default;
  /// The wait before the next retry; every call is one retry further.
  virtual Millis next_back_off() = 0;
  /// Starts over at the first retry's wait.
  virtual void reset() = 0;
};

/// Full jitter: the wait before retry n is uniform in [0, policy.ceiling(n)] (the random unit
/// times the ceiling, rounded down).
class JitteredExponentialBackOff final : public BackOffStrategy {
 public:
  JitteredExponentialBackOff(BackoffPolicy policy, RandomSource& random);

  Millis next_back_off() override;
  void reset() override;

 private:
  BackoffPolicy policy_;
  RandomSource& random_;
  int retry_ = 0;
};

}  // namespace tenantsync::core
