#pragma once
// The live events a run sends the dashboard (over EventBus → GET /api/events), formatted in
// one place: run.queued, run.started, run.progress, run.finished, summary.
#include <cstdint>
#include <string>

#include "store/sync_records.hpp"
#include "sync/event_bus.hpp"
#include "sync/run_progress.hpp"

namespace tenantsync::sync {

/// A run's progress as stored on the run and sent in run.progress:
/// {phase, resource, pages, records, planned, applied[, waiting_until, waiting_reason]}.
std::string progress_json(const RunProgress& progress);

class RunEvents {
 public:
  explicit RunEvents(EventBus& bus) : bus_(bus) {}

  void queued(TenantId tenant_id, RunId run_id, const core::RunTarget& target, core::RunTrigger trigger);
  void started(const store::SyncRun& run);
  void progress(const store::SyncRun& run, const RunProgress& progress);
  /// run.finished with the outcome's counts and error.
  void finished(const store::SyncRun& run, const store::RunOutcome& outcome);
  /// run.finished of a run the lease sweep failed.
  void expired(const store::ExpiredRun& run);
  /// The tenant's new counts (after a run ended).
  void summary(TenantId tenant_id, const store::MirrorCounts& counts);

 private:
  EventBus& bus_;
};

}  // namespace tenantsync::sync
