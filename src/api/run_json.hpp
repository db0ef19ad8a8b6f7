#pragma once
// Runs as the API shows them: the run history item, and the answer of a sync request
// (POST /api/tenant/sync, POST /api/sync/runs/{id}/confirm) with the seed's fields.
#include <string>
#include <utility>

#include "api/json.hpp"
#include "store/sync_records.hpp"

namespace tenantsync::api {

/// {id, target, trigger, state, dry_run, created_at, started_at, finished_at, duration_ms, counts,
/// error, warnings, progress, upstream_account_id} and, with `with_plan`, plan.
Json run_json(const store::SyncRun& run, bool with_plan = false);

/// A run's warnings as the API shows them: [{resource, code, message}]. Runs stored before
/// warnings had a shape were bare sentences; they show as record warnings of no resource.
Json warnings_of(const store::SyncRun& run);

/// The warnings of resources a run did not read completely (a code other than "record_warning").
Json resources_not_read(const Json& warnings);

/// A succeeded run's sentence: "Sync completed", or "Sync completed with warnings" when some
/// resource was not read completely (dry runs: "Dry run completed…").
std::string completed_message(const store::SyncRun& run);

/// The status and body of sync_answer().
std::pair<int, Json> sync_result(const store::SyncRun& run);

/// The answer to a sync request once `run` is as read: "Sync completed" (or "… with warnings"
/// and the resources not read), "Sync failed: …",
/// held (409 with the plan), or still running (202).
http::Response sync_answer(const store::SyncRun& run);

/// "<sort_ms>.<id>" and back; nullopt (and no error) for an empty text.
std::string encode_cursor(const store::PageCursor& cursor);
std::optional<store::PageCursor> decode_cursor(const std::string& text);
/// The request's ?cursor= decoded, or 422 validation_failed.
std::optional<store::PageCursor> query_cursor(const http::Request& request);

}  // namespace tenantsync::api
