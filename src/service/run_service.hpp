#pragma once
// The voice sync as people drive it: sync now (or a dry run), confirm the plan of a held run,
// cancel a held or queued run. Each waits for the run it started, up to the sync wait.

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

  /// A voice sync of the tenant (joining one already queued or running), or with
  /// `confirm_plan` the confirmation of the latest held run's plan ("plan_not_found" when that
  /// is not the plan it holds). Returns the run as the wait left it.
  Result<store::SyncRun> sync_voice(TenantId tenant_id, bool dry_run,
                                    const std::optional<std::string>& confirm_plan);
  /// Applies the held run's plan (`plan_id`, default: the one it holds); "not_found",
  /// "conflict" when the run is not held. Returns the run as the wait left it.
  Result<store::SyncRun> confirm(TenantId tenant_id, RunId run_id,
                                 const std::optional<std::string>& plan_id);
  /// Cancels a held or queued run; "not_found", "conflict".
  Result<store::SyncRun> cancel(TenantId tenant_id, RunId run_id);

 private:
  store::RunHistory& runs_;
  const Clock& clock_;
  SyncRuns& syncs_;
};

}  // namespace tenantsync::service
