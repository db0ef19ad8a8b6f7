#pragma once
// The JSON a run stores and the API shows: per-resource counts, the plan of a held or dry
// run (with a stable id a person confirms), and warnings.
#include <string>
#include <vector>

#include "core/reconcile.hpp"
#include "core/result.hpp"
#include "store/sync_records.hpp"

namespace tenantsync::sync {

/// {"agents":{"created":…,"updated":…,"archived":…,"restored":…,"unchanged":…,"total":…},…}
std::string counts_json(const std::vector<core::ResourcePlan>& plans);

/// A stable id of what a plan removes and restores: equal ids mean "the same removals", so a
/// confirmed plan is applied only while the upstream still agrees with it.
std::string plan_id(const std::vector<core::ResourcePlan>& plans);

/// {"plan_id", "account_id", "message", "resources":{"agents":{"archive":[{id,upstream_id,name,reason}],
/// "create":[{upstream_id,name}], "restore":[…], "update":N, "unchanged":N}, …}}; long lists are
/// cut to their first items with the full count beside them.
std::string plan_json(const std::vector<core::ResourcePlan>& plans, const std::string& message);

/// The outcome of a run that failed with `error` (its code, and its message as the run's).
store::RunOutcome failed_outcome(const Error& error);

/// The plan id a run's stored plan_json carries (what a person confirms), or empty.
std::string stored_plan_id(const std::string& plan_json);

/// A run's counts_json summed over its resources: the numbers of its log line (total_after
/// is not summed).
core::PlanCounts totals_of(const std::string& counts_json);

/// A JSON array of at most `limit` warnings (the rest summed up in a last entry).
std::string warnings_json(const std::vector<std::string>& warnings, std::size_t limit = 50);

}  // namespace tenantsync::sync
