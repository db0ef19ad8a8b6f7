#pragma once
// Keeps a client inside a provider's request budget before the provider answers 429 (HubSpot:
// a burst budget per 10-second window, announced in its rate-limit headers; search, which
// announces nothing, about 5 a second). HubSpot's window rolls: a request counts for the 10 s
// after it was sent. So the gate keeps the send times of the window's requests (a log, as a
// sliding-window limiter does) and spends the whole budget: while fewer than `max - reserve`
// requests were sent in the last window, the next one goes at once (the starting burst); after
// that each request waits for the oldest one to leave the window (the steady rate, max per
// window). Once a response shows only the reserve left (someone else spends the same budget,
// or the log does not know `max` yet), the next request waits until the oldest logged request
// has left the window. Spaced requests go at most `spaced_per_second` a second, in a lane of
// their own: a search waiting for its turn never holds up a listing beside it. Modelled on
// Envoy's TokenBucketImpl: a small class with the time source (and here the sleeper) injected,
// so tests drive it with a fake clock.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>

#include "core/clock.hpp"
#include "upstream/sleeper.hpp"

namespace tenantsync::upstream {

struct RateGateOptions {
  /// Requests of the window left unspent: when a response shows this many left (or fewer), or
  /// the log counts `max - reserve` requests in the window, the next request waits for the
  /// oldest one to leave it. A little slack for clocks and requests in flight.
  std::int64_t reserve = 5;
  /// The window's length until a response says otherwise.
  std::chrono::milliseconds default_window{10'000};
  /// Spaced requests (they announce no budget) go at most this many a second.
  int spaced_per_second = 4;
  /// Added to each spacing: the provider counts arrivals, which drift a little from send times.
  std::chrono::milliseconds spaced_margin{0};
  /// The longest window a response is believed: a broken or hostile header (a window of 2^63 ms)
  /// must not park the client for ages, nor overflow the arithmetic of the wait.
  std::chrono::milliseconds max_window{10 * 60'000};
};

class RateGate {
 public:
  RateGate(const Clock& clock, Sleeper& sleeper, RateGateOptions options = {});

  /// Blocks until the next request may go; `spaced` for a request of the spaced kind. Callers
  /// queue behind a wait in progress of their own kind (spaced or budgeted), never the other's.
  void wait_turn(bool spaced);
  /// What a response said: `remaining` requests left in the current window (negative: it did
  /// not say), the window's length (not positive: the default) and the requests one window
  /// allows (`max`; not positive: it did not say).
  void observe(std::int64_t remaining, std::chrono::milliseconds window, std::int64_t max = -1);
  /// The window's length as last said (or the default): how long a refusal for rate lasts.
  std::chrono::milliseconds window() const;

 private:
  std::int64_t now_ms() const { return to_epoch_ms(clock_.now()); }

  const Clock& clock_;
  Sleeper& sleeper_;
  RateGateOptions options_;
  std::atomic<std::int64_t> window_ms_;  // read without waiting behind a turn
  std::mutex turn_mutex_;                // held while waiting: callers queue behind the wait
  std::mutex spaced_mutex_;              // the same, for spaced requests
  std::deque<std::int64_t> sent_ms_;  // send times of the budgeted requests of the last window
  std::int64_t max_ = -1;             // requests per window, as last said
  bool reserve_reached_ = false;
  std::int64_t last_spaced_ms_ = -1;
};

}  // namespace tenantsync::upstream
