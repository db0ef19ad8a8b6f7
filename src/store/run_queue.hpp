#pragma once
// The run queue: runs waiting to execute are jobs in the database, so any instance sharing the
// database can execute any run. One area of the Store (store.hpp), used by the sync engine and
// the scheduler.
//
// The job lease, in one picture:
//   claim_job     a worker takes a due job (the oldest of the tenant served longest ago) and holds
//                 it for `lease_ms` (owner, expiry);
//   renew_lease   while the run goes on, sync::LeaseKeeper (src/sync/lease_keeper.hpp) extends
//                 it every lease/3, and stops the run when the lease is no longer its own;
//   sweep_expired_runs  any instance fails a run whose lease expired (its worker died) and queues
//                 the target again; the engine gives a run up after a few such claims. It first
//                 renews the leases of the sweeping instance's own live workers (HeldLeases).
//   expire_leases_of  a restarted instance with a stable name (TENANTSYNC_INSTANCE_ID) ends the
//                 leases of its previous life at once, so the sweep need not wait for them to expire.
// The lease length is the engine's option (TENANTSYNC_JOB_LEASE, src/app/config.cpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/sync_records.hpp"

namespace tenantsync::store {

/// The leases one instance's live workers hold now (sync::SyncEngine knows them: a worker thread
/// of this process is running each job under a LeaseKeeper).
struct HeldLeases {
  std::string owner;
  std::vector<JobId> job_ids;
  std::chrono::milliseconds lease{0};
};

class RunQueue {
 public:
  virtual ~RunQueue() = default;

  // --- runs and jobs (src/store/sql_store_runs.cpp) ---
  /// Asks for a run of (tenant, target). A non-dry request joins the target's queued or running
  /// non-dry run if there is one (joined = true); otherwise inserts a queued run and its job
  /// (run_after = now) in one transaction. Dry runs never join and are never joined.
  /// `deadline_ms` is how long the run may take once started (deadline_at = start + it).
  /// `max_active` (0: no limit) caps the tenant's queued and running runs, dry runs included: a
  /// request that would add a run past it fails with "limit_exceeded" (joining adds none).
  virtual Result<RunTicket> request_run(TenantId tenant_id, core::RunTarget target, core::RunTrigger trigger,
                                        bool dry_run, std::chrono::milliseconds deadline, TimePoint now,
                                        int max_active) = 0;
  /// Claims a due job nobody holds (FOR UPDATE SKIP LOCKED on PostgreSQL), fairly across
  /// tenants: the oldest due job of the tenant whose latest run started longest ago (a tenant
  /// never served first), so one tenant's backlog does not hold back the others. Sets its lease
  /// (owner, now + lease_ms), attempts + 1, and the run to running (started_at, heartbeat_at,
  /// deadline_at). A tenant that already has `max_running` jobs leased and unexpired (by any
  /// instance) is skipped, so one tenant cannot occupy every worker of the cluster (0: no cap).
  /// nullopt when there is no work.
  virtual Result<std::optional<ClaimedJob>> claim_job(const std::string& owner,
                                                      std::chrono::milliseconds lease, TimePoint now,
                                                      int max_running) = 0;
  /// Extends the lease and the run's heartbeat; "conflict" when the lease is no longer ours.
  virtual Status renew_lease(JobId job_id, const std::string& owner, std::chrono::milliseconds lease,
                             TimePoint now) = 0;
  /// Stores the run's progress JSON (and heartbeat).
  virtual Status update_run_progress(RunId run_id, const std::string& progress_json,
                                     TimePoint now) = 0;
  /// Ends a run without mirror changes (failed, held, cancelled, or succeeded with nothing to
  /// apply) and deletes its job, in one transaction.
  virtual Status finish_run(RunId run_id, const RunOutcome& outcome, TimePoint now) = 0;
  /// Ends the leases `owner` still holds now (the jobs stay, their leases expire at `now`), so the
  /// next sweep fails those runs as "worker_lost" and queues them again. An instance calls it as it
  /// starts: leases under its name are left from its previous life (it was killed), and waiting for
  /// them to expire would only delay the runs. Returns how many leases it ended.
  virtual Result<int> expire_leases_of(const std::string& owner, TimePoint now) = 0;
  /// Fails runs whose job lease expired ("worker_lost"; the target gets a new queued run and job
  /// with the same trigger) and running runs past their deadline ("deadline_exceeded"; job
  /// deleted). Returns what it ended. Before judging any lease, it extends (to now + held.lease)
  /// those of `held` still under held.owner: those workers are alive in the sweeping process,
  /// and their own renewal may be waiting behind a long write (SQLite has one writer; on
  /// PostgreSQL, behind the job row a write holds), which is no dead worker. A job row locked by
  /// a write in progress is skipped on PostgreSQL, by this renewal and by the sweep alike.
  virtual Result<std::vector<ExpiredRun>> sweep_expired_runs(TimePoint now, const HeldLeases& held) = 0;
  /// Claims one scheduler tick for the cluster: true for exactly one caller per (schedule, tick).
  virtual Result<bool> claim_tick(const std::string& schedule, TimePoint tick_at,
                                  const std::string& owner, TimePoint now) = 0;
};

}  // namespace tenantsync::store
