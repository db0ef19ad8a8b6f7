#include "service/sync_runs.hpp"

#include "service/errors.hpp"
#include "sync/engine.hpp"

namespace tenantsync::service {

Result<store::RunTicket> SyncRuns::request(TenantId tenant_id, core::RunTarget target, core::RunTrigger trigger,
                                           bool dry_run) {
  if (engine_ == nullptr) return sync_unavailable();
  return engine_->request(tenant_id, target, trigger, dry_run);
}

Result<store::SyncRun> SyncRuns::confirm(TenantId tenant_id, RunId run_id,
                                         const std::string& plan_id) {
  if (engine_ == nullptr) return sync_unavailable();
  return engine_->confirm(tenant_id, run_id, plan_id);
}

Result<store::SyncRun> SyncRuns::wait(TenantId tenant_id, RunId run_id,
                                      std::chrono::milliseconds timeout) {
  if (engine_ == nullptr) return sync_unavailable();
  return engine_->wait(tenant_id, run_id, timeout);
}

std::optional<TimePoint> SyncRuns::next_crm_sync() const {
  if (engine_ == nullptr || !engine_->options().next_crm_sync) return std::nullopt;
  return engine_->options().next_crm_sync();
}

}  // namespace tenantsync::service
