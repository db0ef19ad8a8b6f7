#pragma once
// The voice-platform mirror: the local copy of agents, phone numbers, campaigns and executions,
// what syncs archived, and the cursors incremental reads resume from. One area of the Store
// (store.hpp); the voice sync reads it, the engine writes a run's plans, the API lists it.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/mirror.hpp"
#include "core/reconcile.hpp"
#include "core/result.hpp"
#include "store/sync_records.hpp"

namespace tenantsync::store {

class MirrorStore {
 public:
  virtual ~MirrorStore() = default;

  // --- voice-platform mirror (src/store/sql_store_mirror.cpp) ---
  /// Every row (active and archived) of one resource of the tenant, as the planner needs it.
  virtual Result<std::vector<core::LocalRecord>> load_mirror(TenantId tenant_id,
                                                             core::Resource resource) = 0;
  /// Applies the plans and ends the run in ONE transaction: creates (first_seen_run = last_seen_run
  /// = run), updates and restores (all fields, upstream account = plan.account_id, last_seen_run),
  /// archives (archived_at = now, reason, archive_run = run); for each resource in
  /// `fully_listed`, every active row gets last_seen_run = run; upserts `cursors`; writes
  /// `outcome` on the run and deletes its job. Rolls everything back on any error. `lease`: the
  /// run's job lease, checked first in the same transaction ("worker_lost" and nothing written
  /// when it is no longer held); nullopt only for callers that run no job (tests): no check.
  virtual Status apply_voice_plans(TenantId tenant_id, RunId run_id,
                                   const std::vector<core::ResourcePlan>& plans,
                                   const std::vector<core::Resource>& fully_listed,
                                   const std::vector<CursorWrite>& cursors, const RunOutcome& outcome,
                                   const std::optional<LeaseHold>& lease, TimePoint now) = 0;
  /// One page of a resource (active rows, or archived rows with query.archived), newest first.
  virtual Result<MirrorPage> list_mirror(TenantId tenant_id, core::Resource resource,
                                         const MirrorQuery& query) = 0;
  /// Archived rows of every resource (or one), most recently archived first; cursor sort_ms is
  /// archived_at.
  virtual Result<MirrorPage> list_archive(TenantId tenant_id, std::optional<core::Resource> resource,
                                          int limit, std::optional<PageCursor> after) = 0;
  /// Brings an archived row back (clears archived_at/reason/run); "not_found" when there is no
  /// such row of the tenant, "conflict" when it is not archived.
  virtual Result<MirrorItem> restore_mirror_item(TenantId tenant_id, core::Resource resource,
                                                 MirrorRowId id, TimePoint now) = 0;
  /// Active rows per resource and all leads.
  virtual Result<MirrorCounts> count_mirror(TenantId tenant_id) = 0;
  // --- a voice run's executions, staged as read (src/store/sql_store_voice_staging.cpp) ---
  // A run writes each agent's executions here as it reads them and plans by comparison in SQL,
  // so it never holds an account's executions in memory; apply_voice_plans applies a plan with
  // `staged` set from these rows and deletes them in its transaction.
  /// Stages `records` (all with an id) of `listing` for `run_id`; returns the ids among them the
  /// run had staged already (the first one stays staged, as the planner keeps the first).
  virtual Result<std::vector<std::string>> stage_executions(TenantId tenant_id, RunId run_id,
                                                            const std::string& listing,
                                                            const std::vector<core::UpstreamRecord>& records) = 0;
  /// Drops the rows `listing` staged for `run_id` (its listing failed: none of it is applied).
  virtual Status drop_staged_listing(TenantId tenant_id, RunId run_id, const std::string& listing) = 0;
  /// Drops the rows staged for `run_id` and those of the tenant's runs that are no longer running
  /// (a run that died before its write).
  virtual Status clear_staging(TenantId tenant_id, RunId run_id) = 0;
  /// The plan of the executions staged for `run_id` against the mirror, with the rules of
  /// core::plan_reconcile for an incremental listing: totals in `staged`, the first items listed.
  virtual Result<core::ResourcePlan> plan_staged_executions(TenantId tenant_id, RunId run_id,
                                                           const core::ReconcileContext& context) = 0;
  /// Whether rows of `resource` under `account_id` were archived by a switch to another account.
  virtual Result<bool> has_switched_away(TenantId tenant_id, core::Resource resource,
                                         const std::string& account_id) = 0;

  /// The saved cursors of a target (key → value).
  virtual Result<std::map<std::string, std::string>> get_cursors(TenantId tenant_id,
                                                                 const std::string& target) = 0;
};

}  // namespace tenantsync::store
