#pragma once
// A Sleeper for fuzzing the pacing of a client: sleeping moves the fake clock instead of the
// thread, so a rate gate never waits, and every sleep is checked.
#include "core/clock.hpp"
#include "fuzz_support.hpp"
#include "upstream/sleeper.hpp"

namespace tenantsync::fuzz {

/// Sleeping moves the fake clock instead of the thread, so a rate gate or a retry never waits.
class ClockSleeper final : public upstream::Sleeper {
 public:
  explicit ClockSleeper(FakeClock& clock) : clock_(clock) {}
  void sleep_for(std::chrono::milliseconds duration) override {
    check(duration.count() >= 0, "a negative sleep");
    slept_ += duration;
    clock_.advance(duration);
  }
  std::chrono::milliseconds slept() const { return slept_; }

 private:
  FakeClock& clock_;
  std::chrono::milliseconds slept_{0};
};

}  // namespace tenantsync::fuzz
