#include "upstream/rate_gate.hpp"

#include <algorithm>

namespace tenantsync::upstream {

RateGate::RateGate(const Clock& clock, Sleeper& sleeper, RateGateOptions options)
    : clock_(clock), sleeper_(sleeper), options_(options), window_ms_(options.default_window.count()) {}

void RateGate::wait_turn(bool spaced) {
  std::lock_guard lock(turn_mutex_);
  std::int64_t now = now_ms();
  const auto wait_until = [&](std::int64_t until) {
    if (until <= now) return;
    sleeper_.sleep_for(std::chrono::milliseconds(until - now));
    now = std::max(now_ms(), until);
  };
  if (spaced && last_spaced_ms_ >= 0) {
    const int per_second = std::max(1, options_.spaced_per_second);
    wait_until(last_spaced_ms_ + (1000 + per_second - 1) / per_second);
  }
  const std::int64_t window = window_ms_.load();
  if (window_start_ms_ >= 0 && now < window_start_ms_ + window && reserve_reached_)
    wait_until(window_start_ms_ + window);
  if (window_start_ms_ < 0 || now >= window_start_ms_ + window) {
    window_start_ms_ = now;
    reserve_reached_ = false;
  }
  if (spaced) last_spaced_ms_ = now;
}

void RateGate::observe(std::int64_t remaining, std::chrono::milliseconds window) {
  window_ms_ =
      window.count() > 0 ? std::min(window, options_.max_window).count() : options_.default_window.count();
  if (remaining < 0) return;
  std::lock_guard lock(turn_mutex_);
  reserve_reached_ = remaining <= options_.reserve;
}

std::chrono::milliseconds RateGate::window() const { return std::chrono::milliseconds(window_ms_.load()); }

}  // namespace tenantsync::upstream
