#pragma once
// Private to SqlStore: how a sync_runs row is read and how a run is ended, shared by the runs
// (sql_store_runs.cpp) and the mirror apply (sql_store_mirror.cpp), which ends its run in the same
// transaction as its changes.
#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "store/sql/transaction.hpp"
#include "store/sync_records.hpp"

namespace tenantsync::store::detail {

/// The columns run_from reads, in order.
inline constexpr const char* kRunColumns =
    "id, tenant_id, target, trigger, state, dry_run, created_at, started_at, finished_at, heartbeat_at, "
    "deadline_at, counts, error_code, error_message, plan, warnings, upstream_account_id, progress, "
    "confirmed_plan_id";

/// A run from a row selected with kRunColumns.
SyncRun run_from(const sql::Row& row);

/// Writes the outcome on a queued or running run and deletes its job, inside tx. "not_found" when
/// there is no such run (of the tenant, when tenant_id > 0), "conflict" when it already ended
/// (e.g. the lease sweep failed it meanwhile).
Status end_run(sql::Transaction& tx, TenantId tenant_id, RunId run_id, const RunOutcome& outcome,
               std::int64_t now_ms);

/// "worker_lost" unless `lease` is still held: its job's lease_owner is lease.owner and its
/// lease_expires_at is after now_ms. On PostgreSQL it locks the job row until tx ends, so the
/// sweep cannot take the run between this check and the commit (SQLite's single writer already
/// excludes it).
Status check_lease(sql::Transaction& tx, const LeaseHold& lease, std::int64_t now_ms);

}  // namespace tenantsync::store::detail
