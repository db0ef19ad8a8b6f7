#pragma once
// Slows password guessing. The API keeps one throttle and checks two keys per login,
// "account:<email>" (one account attacked from many addresses) and "addr:<ip>" (many
// accounts attacked from one address); a login is refused while either is locked.
//
// Failures that follow each other within `window` count together (the count starts over
// after a quiet window). From the `max_failures`-th failure on, each failure locks the key:
// first_lock, then twice as long per further failure, capped at max_lock. A success clears
// the key. Memory is bounded: beyond max_keys the least recently failed key is forgotten.
#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"

namespace tenantsync::core {

struct LoginThrottleOptions {
  int max_failures = 5;
  Millis window = std::chrono::minutes(15);
  Millis first_lock = std::chrono::seconds(1);
  Millis max_lock = std::chrono::minutes(15);
  std::size_t max_keys = 100'000;
};

struct ThrottleDecision {
  bool allowed = true;
  Millis retry_after{0};  ///< how long until the key unlocks; zero when allowed
};

class LoginThrottle {
 public:
  explicit LoginThrottle(LoginThrottleOptions options = {});

  /// Whether an attempt for `key` may proceed now.
  ThrottleDecision check(const std::string& key, TimePoint now);
  /// Counts a failed attempt; returns what check() would now say.
  ThrottleDecision record_failure(const std::string& key, TimePoint now);
  /// Forgets the key's failures.
  void record_success(const std::string& key);
  /// Keys currently remembered.
  std::size_t tracked_keys() const;

 private:
  struct Entry {
    int failures = 0;
    TimePoint last_failure{};
    TimePoint locked_until{};
    std::list<std::string>::iterator lru;  // position in lru_, most recent first
  };

  Millis lock_for(int failures) const;

  LoginThrottleOptions options_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> lru_;
};

}  // namespace tenantsync::core
