#pragma once
// The worker's side of the job lease (the store's side, claim / renew / sweep, is described in
// src/store/run_queue.hpp): while a run executes, a LeaseKeeper renews its job's lease every
// lease/3 on a thread of its own, so other instances do not take the run over. When a renewal
// answers "conflict", another instance's sweep decided this worker was dead and the run is
// someone else's now: lost() turns true and the run stops between pages without writing.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.hpp"
#include "store/run_queue.hpp"

namespace tenantsync::sync {

class LeaseKeeper {
 public:
  /// Starts renewing `job`'s lease as `owner` for `lease` at a time; stops when destroyed.
  LeaseKeeper(store::RunQueue& queue, const Clock& clock, const store::ClaimedJob& job, std::string owner,
              std::chrono::milliseconds lease);
  ~LeaseKeeper();
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  /// True once the lease belongs to someone else; the run must not write anything then.
  bool lost() const { return lost_; }

 private:
  void renew_until_done();

  store::RunQueue& queue_;
  const Clock& clock_;
  const store::ClaimedJob job_;
  const std::string owner_;
  const std::chrono::milliseconds lease_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;  ///< guarded by mutex_
  std::atomic<bool> lost_{false};
  std::thread thread_;  ///< last: starts once every member above is set
};

}  // namespace tenantsync::sync
