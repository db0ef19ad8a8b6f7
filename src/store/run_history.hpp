#pragma once
// The run history: the runs people see, and what they may do with a held or queued one
// (confirm its plan, cancel it). One area of the Store (store.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/sync_records.hpp"

namespace tenantsync::store {

class RunHistory {
 public:
  virtual ~RunHistory() = default;

  // --- runs (src/store/sql_store_runs.cpp) ---
  virtual Result<std::optional<SyncRun>> find_run(TenantId tenant_id, RunId run_id) = 0;
  /// The run history, newest first; cursor sort_ms is created_at.
  virtual Result<std::vector<SyncRun>> list_runs(TenantId tenant_id, int limit,
                                                 std::optional<PageCursor> after) = 0;
  /// The newest non-dry run of a target in any state, or nullopt.
  virtual Result<std::optional<SyncRun>> latest_run(TenantId tenant_id, core::RunTarget target) = 0;
  /// The newest non-dry run of a target that ended (succeeded, failed, held, cancelled).
  virtual Result<std::optional<SyncRun>> latest_finished_run(TenantId tenant_id, core::RunTarget target) = 0;
  /// Moves a held run back to queued with confirmed_plan_id = plan_id and a new job.
  /// "not_found" (no such run of the tenant), "conflict" (not held, or another run of the
  /// target is queued or running).
  virtual Result<SyncRun> confirm_held_run(TenantId tenant_id, RunId run_id,
                                           const std::string& plan_id, TimePoint now) = 0;
  /// Cancels a held or queued run (deleting its job); "not_found", "conflict" (another state).
  virtual Result<SyncRun> cancel_run(TenantId tenant_id, RunId run_id, TimePoint now) = 0;
};

}  // namespace tenantsync::store
