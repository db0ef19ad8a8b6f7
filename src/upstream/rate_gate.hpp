#pragma once
// Keeps a client inside a provider's request budget before the provider answers 429 (HubSpot:
// a burst budget per 10-second window, announced in its rate-limit headers; search, which
// announces nothing, about 5 a second). Once a response shows only the reserve left, the next
// request waits until the window that began with its first request has passed; spaced requests
// go at most `spaced_per_second` a second. Modelled on Envoy's TokenBucketImpl: a small class
// with the time source (and here the sleeper) injected, so tests drive it with a fake clock.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

#include "core/clock.hpp"
#include "upstream/sleeper.hpp"

namespace tenantsync::upstream {

struct RateGateOptions {
  /// When a response shows this many requests left in the window (or fewer), the next request
  /// waits until the window has passed.
  std::int64_t reserve = 5;
  /// The window's length until a response says otherwise.
  std::chrono::milliseconds default_window{10'000};
  /// Spaced requests (they announce no budget) go at most this many a second.
  int spaced_per_second = 4;
  /// The longest window a response is believed: a broken or hostile header (a window of 2^63 ms)
  /// must not park the client for ages, nor overflow the arithmetic of the wait.
  std::chrono::milliseconds max_window{10 * 60'000};
};

class RateGate {
 public:
  RateGate(const Clock& clock, Sleeper& sleeper, RateGateOptions options = {});

  /// Blocks until the next request may go; `spaced` for a request of the spaced kind. Callers
  /// queue behind a wait in progress.
  void wait_turn(bool spaced);
  /// What a response said: `remaining` requests left in the current window (negative: it did
  /// not say) and the window's length (not positive: the default).
  void observe(std::int64_t remaining, std::chrono::milliseconds window);
  /// The window's length as last said (or the default): how long a refusal for rate lasts.
  std::chrono::milliseconds window() const;

 private:
  std::int64_t now_ms() const { return to_epoch_ms(clock_.now()); }

  const Clock& clock_;
  Sleeper& sleeper_;
  RateGateOptions options_;
  std::atomic<std::int64_t> window_ms_;  // read without waiting behind a turn
  std::mutex turn_mutex_;                // held while waiting: callers queue behind the wait
  std::int64_t window_start_ms_ = -1;
  bool reserve_reached_ = false;
  std::int64_t last_spaced_ms_ = -1;
};

}  // namespace tenantsync::upstream
