#pragma once
// The sync engine: turns triggers into runs, runs them on worker threads under a lease, and
// records how each ended. Runs are jobs in the database (store::RunQueue), so any instance
// sharing the database can execute any run, a crashed worker's run is noticed when its lease
// expires (sync::LeaseKeeper), and a trigger for a target that already has a queued or running
// run joins that run. What a run of each target does is in voice_run.hpp and crm_run.hpp.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "crypto/crypto.hpp"
#include "sync/connectors.hpp"
#include "sync/crm_run.hpp"
#include "sync/crm_sync.hpp"
#include "sync/event_bus.hpp"
#include "sync/run_events.hpp"
#include "sync/sync_stores.hpp"
#include "sync/voice_run.hpp"
#include "sync/voice_sync.hpp"

namespace tenantsync::sync {

struct EngineOptions {
  std::string instance_id = "tenantsync";  ///< lease owner; unique per process in a cluster
  int workers = 2;                         ///< runs executed at once by this instance
  std::chrono::milliseconds lease{30'000};
  std::chrono::milliseconds run_deadline{std::chrono::minutes(30)};
  std::chrono::milliseconds poll_interval{1'000};  ///< how often idle workers look for other instances' work
  /// How often the sweeper (a thread of its own, so busy workers do not delay it) fails runs past
  /// their deadline and runs whose worker died.
  std::chrono::milliseconds sweep_interval{5'000};
  /// Queued and running runs one tenant may have at once, dry runs included (0: no limit).
  int tenant_max_active_runs = 20;
  /// Runs of one tenant executing at once across the cluster (leased, unexpired); 0: no limit.
  int tenant_concurrency = 1;
  std::chrono::milliseconds sync_on_login_after{std::chrono::minutes(15)};
  VoiceSyncOptions voice{};
  CrmSyncOptions crm{};
  /// When the scheduler next syncs CRM connections (for their status); nullopt: never.
  std::function<std::optional<TimePoint>()> next_crm_sync;
};

class SyncEngine {
 public:
  SyncEngine(const SyncStores& stores, const Clock& clock, const crypto::SecretBox& secrets,
             Connectors& connectors, EventBus& events, EngineOptions options);
  ~SyncEngine();
  SyncEngine(const SyncEngine&) = delete;
  SyncEngine& operator=(const SyncEngine&) = delete;

  /// Ends the leases left under this instance's name by a previous process, then starts the worker
  /// threads and the sweeper (none run before; tests may drive run_one() instead).
  void start();
  /// Asks running syncs to stop between pages and joins the workers and the sweeper.
  void stop();

  /// A run of `target` for the tenant, or the queued/running one it joins.
  Result<store::RunTicket> request(TenantId tenant_id, core::RunTarget target, core::RunTrigger trigger,
                                   bool dry_run = false);
  /// Puts a held run back in the queue to apply exactly the plan `plan_id`.
  Result<store::SyncRun> confirm(TenantId tenant_id, RunId run_id, const std::string& plan_id);
  /// Waits until the run ends or `timeout` passes, and returns it as last read.
  Result<store::SyncRun> wait(TenantId tenant_id, RunId run_id, std::chrono::milliseconds timeout);
  /// The login trigger: a voice run when the tenant has a key and its last run ended longer
  /// ago than sync_on_login_after (or never ran). Returns the run, if one was requested.
  std::optional<RunId> on_login(TenantId tenant_id);

  /// Claims and executes one due job on the calling thread; false when there was none.
  bool run_one();
  /// Another instance queued a run or freed a tenant's slot (its live event said so): an idle
  /// worker looks for work now instead of at its next poll.
  void work_elsewhere() { wake_worker(); }

  const EngineOptions& options() const { return options_; }

 private:
  void worker_loop();
  /// The sweeper's thread: sweep() every sweep_interval until stop().
  void sweep_loop();
  /// Tells one idle worker that a job is waiting (without it, it would find it at its next poll).
  void wake_worker();
  void execute(const store::ClaimedJob& job);
  /// Returns the heap pages a finished run freed to the system (glibc's malloc_trim).
  static void release_freed_memory();
  /// Ends a run its workers kept dying on, for good.
  /// finish_run, tried again while the database fails for a while (busy, full, connection lost).
  Status record_outcome(RunId run_id, const store::RunOutcome& outcome);
  void give_up(const store::SyncRun& run, const store::ClaimedJob& job, std::int64_t started_ms);
  /// Runs the target's executor, turning an exception into a failed outcome.
  Executed execute_target(const store::SyncRun& run, const store::LeaseHold& lease,
                          const ProgressFn& progress, const StopFn& stop);
  void finished(const store::SyncRun& run, const store::RunOutcome& outcome, std::int64_t started_ms);
  void publish_summary(TenantId tenant_id);
  void sweep();

  /// Lists a job in live_jobs_ for as long as a worker runs it (the lease keeper's lifetime).
  class LiveJob {
   public:
    LiveJob(SyncEngine& engine, JobId job_id);
    ~LiveJob();
    LiveJob(const LiveJob&) = delete;
    LiveJob& operator=(const LiveJob&) = delete;

   private:
    SyncEngine& engine_;
    const JobId job_id_;
  };

  SyncStores stores_;
  const Clock& clock_;
  RunEvents run_events_;
  EngineOptions options_;
  VoiceRunner voice_;
  CrmRunner crm_;

  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable work_cv_;      ///< a run was requested
  int work_waiting_ = 0;                 ///< wake-ups not yet taken by a worker (guarded by mutex_)
  std::condition_variable finished_cv_;  ///< a run ended
  std::vector<std::thread> workers_;
  std::thread sweeper_;
  std::condition_variable sweep_cv_;  ///< wakes the sweeper for stop()
  std::mutex sweep_mutex_;            ///< one sweep at a time (the sweeper's, or an idle worker's)
  std::chrono::steady_clock::time_point last_sweep_{};  ///< guarded by sweep_mutex_
  /// The jobs this process's workers are running now: the sweep renews their leases before it
  /// judges any lost, since their own renewal may be waiting behind a long write.
  std::mutex live_jobs_mutex_;
  std::vector<JobId> live_jobs_;  ///< guarded by live_jobs_mutex_
};

}  // namespace tenantsync::sync
