#include "core/login_throttle.hpp"

#include <algorithm>

namespace tenantsync::core {

LoginThrottle::LoginThrottle(LoginThrottleOptions options) : options_(options) {
  options_.max_failures = std::max(options_.max_failures, 1);
  options_.max_keys = std::max<std::size_t>(options_.max_keys, 1);
}

Millis LoginThrottle::lock_for(int failures) const {
  Millis lock = options_.first_lock;
  for (int i = options_.max_failures; i < failures && lock < options_.max_lock; ++i) lock *= 2;
  return std::min(lock, options_.max_lock);
}

ThrottleDecision LoginThrottle::check(const std::string& key, TimePoint now) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(key);
  if (found == entries_.end()) return {};
  const Entry& entry = found->second;
  if (entry.locked_until > now)
    return ThrottleDecision{false, std::chrono::duration_cast<Millis>(entry.locked_until - now)};
  if (now - entry.last_failure > options_.window) {  // stale: free the memory early
    lru_.erase(entry.lru);
    entries_.erase(found);
  }
  return {};
}

ThrottleDecision LoginThrottle::record_failure(const std::string& key, TimePoint now) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(key);
  if (found == entries_.end()) {
    if (entries_.size() >= options_.max_keys) {
      entries_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(key);
    found = entries_.emplace(key, Entry{}).first;
    found->second.lru = lru_.begin();
  } else {
    lru_.splice(lru_.begin(), lru_, found->second.lru);
  }
  Entry& entry = found->second;
  if (entry.failures > 0 && now - entry.last_failure > options_.window && entry.locked_until <= now)
    entry.failures = 0;
  ++entry.failures;
  entry.last_failure = now;
  if (entry.failures >= options_.max_failures) {
    entry.locked_until = std::max(entry.locked_until, now + lock_for(entry.failures));
    return ThrottleDecision{false, std::chrono::duration_cast<Millis>(entry.locked_until - now)};
  }
  return {};
}

void LoginThrottle::record_success(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto found = entries_.find(key);
  if (found == entries_.end()) return;
  lru_.erase(found->second.lru);
  entries_.erase(found);
}

std::size_t LoginThrottle::tracked_keys() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace tenantsync::core
