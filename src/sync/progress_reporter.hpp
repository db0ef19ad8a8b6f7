#pragma once
// How a running sync's progress reaches people without flooding anything: published to the
// dashboard at most every 200 ms and stored on the run at most every second (a 100k-record
// run must not write a row per page), except that a new phase or a wait is never held back.
// report() is safe from any thread: a CRM listing reads ahead on a thread of its own
// (sync/page_read_ahead.hpp) and reports its rate-limit waits from there.
#include <chrono>
#include <mutex>
#include <string>

#include "core/clock.hpp"
#include "store/run_queue.hpp"
#include "sync/connectors.hpp"
#include "sync/run_events.hpp"
#include "sync/run_progress.hpp"

namespace tenantsync::sync {

class ProgressReporter {
 public:
  ProgressReporter(const store::SyncRun& run, RunEvents& events, store::RunQueue& queue, const Clock& clock)
      : run_(run), events_(events), queue_(queue), clock_(clock) {}

  /// Publishes and stores `progress` when due.
  void report(const RunProgress& progress);
  /// report() as the ProgressFn a sync takes; valid while this reporter lives.
  ProgressFn as_function() {
    return [this](const RunProgress& progress) { report(progress); };
  }

 private:
  const store::SyncRun& run_;
  RunEvents& events_;
  store::RunQueue& queue_;
  const Clock& clock_;
  std::mutex mutex_;  ///< guards the three below, and keeps reports in order
  std::chrono::steady_clock::time_point last_publish_{};
  std::chrono::steady_clock::time_point last_store_ = std::chrono::steady_clock::now();
  std::string last_phase_;
};

/// A WaitObserver that reports each wait before a retry (429, 5xx, …) as the "waiting" phase,
/// with the time the call resumes and why.
WaitObserver waits_as_progress(ProgressFn progress);

}  // namespace tenantsync::sync
