#pragma once
// The voice sync as people drive it: sync now (or a dry run), confirm the plan of a held run,
// cancel a held or queued run. Starting a run is quick; waiting for it (up to the sync wait) is a
// separate call, so the API can wait off its request threads.

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "service/sync_runs.hpp"
#include "store/run_history.hpp"

namespace tenantsync::service {

class RunService {
 public:
  RunService(store::RunHistory& runs, const Clock& clock, SyncRuns& syncs)
      : runs_(runs), clock_(clock), syncs_(syncs) {}

  /// Starts a voice sync of the tenant (joining one already queued or running), or with
  /// `confirm_plan` the confirmation of the latest held run's plan ("plan_not_found" when that
  /// is not the plan it holds); "limit_exceeded" past the tenant's queued runs. Returns the run
  /// as queued: wait() for its end.
  Result<store::SyncRun> start_voice_sync(TenantId tenant_id, bool dry_run,
                                          const std::optional<std::string>& confirm_plan);
  /// Queues the held run again to apply its plan (`plan_id`, default: the one it holds);
  /// "not_found", "conflict" when the run is not held. Returns the run as queued.
  Result<store::SyncRun> start_confirm(TenantId tenant_id, RunId run_id,
                                       const std::optional<std::string>& plan_id);
  /// The run once it ended, or as it is when the sync wait passed. Blocks for that long.
  Result<store::SyncRun> wait(TenantId tenant_id, RunId run_id) { return syncs_.wait(tenant_id, run_id); }
  /// Cancels a held or queued run; "not_found", "conflict".
  Result<store::SyncRun> cancel(TenantId tenant_id, RunId run_id);

 private:
  store::RunHistory& runs_;
  const Clock& clock_;
  SyncRuns& syncs_;
};

}  // namespace tenantsync::service
