#pragma once
// Waiting is a side effect: behind an interface, so tests move a fake clock instead of sleeping.
#include <chrono>

namespace tenantsync::upstream {

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  /// Blocks the calling thread for `duration`.
  virtual void sleep_for(std::chrono::milliseconds duration) = 0;
};

class ThreadSleeper final : public Sleeper {
 public:
  void sleep_for(std::chrono::milliseconds duration) override;
};

}  // namespace tenantsync::upstream
