#pragma once
// Inside SqlStore: applying a plan of staged executions (sql_store_voice_staging.cpp) from the
// voice apply's transaction (sql_store_mirror.cpp).
#include <cstdint>

#include "core/ids.hpp"
#include "core/reconcile.hpp"
#include "core/result.hpp"
#include "store/sql/transaction.hpp"

namespace tenantsync::store::detail {

/// Applies `plan` (with `staged` set) from the rows `run_id` staged: updates and restores,
/// creates, the archives of other accounts' rows; then deletes the staged rows. Fails with
/// "conflict" when the staged rows are not those the plan was made from.
Status apply_staged_executions(sql::Transaction& tx, TenantId tenant_id, RunId run_id,
                               const core::ResourcePlan& plan, std::int64_t now_ms);

}  // namespace tenantsync::store::detail
