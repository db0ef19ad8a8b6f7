#include "upstream/rate_gate.hpp"

#include <algorithm>

namespace tenantsync::upstream {

RateGate::RateGate(const Clock& clock, Sleeper& sleeper, RateGateOptions options)
    : clock_(clock), sleeper_(sleeper), options_(options), window_ms_(options.default_window.count()) {}

void RateGate::wait_turn(bool spaced) {
  std::unique_lock lock(spaced ? spaced_mutex_ : turn_mutex_);
  std::int64_t now = now_ms();
  const auto wait_until = [&](std::int64_t until) {
    if (until <= now) return;
    sleeper_.sleep_for(std::chrono::milliseconds(until - now));
    now = std::max(now_ms(), until);
  };
  if (spaced) {
    if (last_spaced_ms_ >= 0) {
      const int per_second = std::max(1, options_.spaced_per_second);
      wait_until(last_spaced_ms_ + (1000 + per_second - 1) / per_second + options_.spaced_margin.count());
    }
    last_spaced_ms_ = now;
    return;
  }
  const std::int64_t window = window_ms_.load();
  const auto forget_old = [&] {
    while (!sent_ms_.empty() && sent_ms_.front() <= now - window) sent_ms_.pop_front();
  };
  forget_old();
  if (reserve_reached_ && !sent_ms_.empty()) {
    wait_until(sent_ms_.front() + window);
    forget_old();
  }
  reserve_reached_ = false;
  // The log's own count: the (n - allowed)-th oldest request must leave before the next goes.
  const std::int64_t allowed = max_ - options_.reserve;
  if (max_ > 0 && allowed > 0 && static_cast<std::int64_t>(sent_ms_.size()) >= allowed) {
    wait_until(sent_ms_[sent_ms_.size() - static_cast<std::size_t>(allowed)] + window);
    forget_old();
  }
  sent_ms_.push_back(now);
}

void RateGate::observe(std::int64_t remaining, std::chrono::milliseconds window, std::int64_t max) {
  window_ms_ =
      window.count() > 0 ? std::min(window, options_.max_window).count() : options_.default_window.count();
  if (remaining < 0) return;
  std::lock_guard lock(turn_mutex_);
  reserve_reached_ = remaining <= options_.reserve;
  if (max > 0) max_ = max;
}

std::chrono::milliseconds RateGate::window() const { return std::chrono::milliseconds(window_ms_.load()); }

}  // namespace tenantsync::upstream
