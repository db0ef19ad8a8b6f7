#pragma once
// The JSON a run stores and the API shows: per-resource counts, the plan of a held or dry
// run (with a stable id a person confirms), and warnings.
#include <optional>
#include <string>
#include <string_view>
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

/// The code of a warning about records (skipped, cut, an unreadable time) in a resource the run
/// did read; any other code says why a resource was not read completely.
inline constexpr std::string_view kRecordWarning = "record_warning";

/// A resource a run did not read completely, and why (the listing's error).
struct ResourceNotRead {
  core::Resource resource = core::Resource::agents;
  Error error;
};

/// A note about records of a resource the run read (or of no resource in particular).
struct RecordNote {
  std::optional<core::Resource> resource;
  std::string message;
};

/// The run's warnings as stored and shown, a JSON array of {resource, code, message}: first one
/// per resource not read (code: why), then at most `limit` record notes (code kRecordWarning; the
/// rest summed up in a last note).
std::string warnings_json(const std::vector<ResourceNotRead>& not_read, const std::vector<RecordNote>& notes,
                          std::size_t limit = 50);

}  // namespace tenantsync::sync
