#pragma once
// The sync engine as the use cases drive it: ask for a run, confirm a held one, wait for runs
// up to the sync wait. A server may run without the engine; every call then fails with
// "sync_unavailable".
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "service/options.hpp"
#include "store/sync_records.hpp"

namespace tenantsync::sync {
class SyncEngine;
}

namespace tenantsync::service {

class SyncRuns {
 public:
  /// `engine` null: a server without the sync engine.
  SyncRuns(sync::SyncEngine* engine, const UseCaseOptions& options)
      : engine_(engine), sync_wait_(options.sync_wait) {}

  bool available() const { return engine_ != nullptr; }
  Result<store::RunTicket> request(TenantId tenant_id, core::RunTarget target, core::RunTrigger trigger,
                                   bool dry_run = false);
  Result<store::SyncRun> confirm(TenantId tenant_id, RunId run_id, const std::string& plan_id);
  /// The run once it ended, or as it is when `timeout` passed.
  Result<store::SyncRun> wait(TenantId tenant_id, RunId run_id, std::chrono::milliseconds timeout);
  /// wait() for the sync wait, how long a person's sync request waits for its runs.
  Result<store::SyncRun> wait(TenantId tenant_id, RunId run_id) {
    return wait(tenant_id, run_id, sync_wait_);
  }
  std::chrono::milliseconds sync_wait() const { return sync_wait_; }
  /// When the scheduler next syncs CRM connections; nullopt: never, or no engine.
  std::optional<TimePoint> next_crm_sync() const;

 private:
  sync::SyncEngine* engine_;
  std::chrono::milliseconds sync_wait_;
};

}  // namespace tenantsync::service
