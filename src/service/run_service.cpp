#include "service/run_service.hpp"

#include <spdlog/spdlog.h>

#include "service/errors.hpp"
#include "sync/run_report.hpp"

namespace tenantsync::service {

Result<store::SyncRun> RunService::start_voice_sync(TenantId tenant_id, bool dry_run,
                                                    const std::optional<std::string>& confirm_plan) {
  if (!syncs_.available()) return sync_unavailable();
  if (confirm_plan && !confirm_plan->empty()) {
    // The plan a person saw belongs to the target's latest held run.
    auto held = runs_.latest_finished_run(tenant_id, core::RunTarget::voice());
    if (!held.ok()) return held.error();
    if (!held->has_value() || (*held)->state != core::RunState::held ||
        sync::stored_plan_id((*held)->plan_json) != *confirm_plan)
      return plan_not_found();
    return syncs_.confirm(tenant_id, (*held)->id, *confirm_plan);
  }
  auto ticket = syncs_.request(tenant_id, core::RunTarget::voice(), core::RunTrigger::manual, dry_run);
  if (!ticket.ok()) return ticket.error();
  return ticket->run;
}

Result<store::SyncRun> RunService::start_confirm(TenantId tenant_id, RunId run_id,
                                                 const std::optional<std::string>& plan_id) {
  if (!syncs_.available()) return sync_unavailable();
  auto held = runs_.find_run(tenant_id, run_id);
  if (!held.ok()) return held.error();
  if (!held->has_value()) return make_error(core::ErrorCode::not_found, "No such run.");
  if ((*held)->state != core::RunState::held)
    return make_error(core::ErrorCode::conflict, "Only a held sync can be confirmed; this one is " +
                                                     std::string(core::to_string((*held)->state)) + ".");
  return syncs_.confirm(tenant_id, run_id, plan_id.value_or(sync::stored_plan_id((*held)->plan_json)));
}

Result<store::SyncRun> RunService::cancel(TenantId tenant_id, RunId run_id) {
  auto run = runs_.cancel_run(tenant_id, run_id, clock_.now());
  if (run.ok()) spdlog::info("event=run_cancelled run_id={} tenant_id={}", run->id, tenant_id);
  return run;
}

}  // namespace tenantsync::service
