#include "sync/lease_keeper.hpp"

#include <spdlog/spdlog.h>

namespace tenantsync::sync {

LeaseKeeper::LeaseKeeper(store::RunQueue& queue, const Clock& clock, const store::ClaimedJob& job,
                         std::string owner, std::chrono::milliseconds lease)
    : queue_(queue), clock_(clock), job_(job), owner_(std::move(owner)), lease_(lease), thread_([this] {
        renew_until_done();
      }) {}

LeaseKeeper::~LeaseKeeper() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void LeaseKeeper::renew_until_done() {
  std::unique_lock lock(mutex_);
  while (!done_) {
    cv_.wait_for(lock, lease_ / 3);
    if (done_) break;
    const Status renewed = queue_.renew_lease(job_.job_id, owner_, lease_, clock_.now());
    if (!renewed.ok() && renewed.error().code == core::ErrorCode::conflict) {
      lost_ = true;
      spdlog::warn("event=lease_lost run_id={} job_id={}", job_.run_id, job_.job_id);
      break;
    }
    // A busy database (e.g. this run's own long write on SQLite) is not a lost lease: try again
    // at the next beat.
    if (!renewed.ok())
      spdlog::warn("event=lease_renew_failed run_id={} code={}", job_.run_id,
                   core::to_string(renewed.error().code));
  }
}

}  // namespace tenantsync::sync
