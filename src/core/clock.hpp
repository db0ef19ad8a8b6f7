#pragma once
// The clock is a side effect like any other: behind an interface, so tests can
// drive time (after Envoy's TimeSource).
#include <atomic>
#include <chrono>
#include <cstdint>

namespace tenantsync {

using TimePoint = std::chrono::system_clock::time_point;
using Millis = std::chrono::milliseconds;

class Clock {
 public:
  virtual ~Clock() = default;
  /// Wall-clock time; stored in the database as epoch milliseconds.
  virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint now() const override { return std::chrono::system_clock::now(); }
};

/// A clock that moves only when told to; for tests.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::int64_t start_ms = 1'700'000'000'000) : now_ms_(start_ms) {}
  TimePoint now() const override { return TimePoint(Millis(now_ms_.load())); }
  void advance(Millis by) { now_ms_ += by.count(); }
  void set(TimePoint t) { now_ms_ = std::chrono::duration_cast<Millis>(t.time_since_epoch()).count(); }

 private:
  std::atomic<std::int64_t> now_ms_;
};

inline std::int64_t to_epoch_ms(TimePoint t) {
  return std::chrono::duration_cast<Millis>(t.time_since_epoch()).count();
}
inline TimePoint from_epoch_ms(std::int64_t ms) { return TimePoint(Millis(ms)); }

}  // namespace tenantsync
