// TEMPORARY: placeholders for the sync-engine Store methods while they are being written.
// Each helper deletes the placeholders of the methods it implements; this file goes away once all
// are implemented. Never on main.
#include "store/sql_store.hpp"

namespace tenantsync::store {
namespace {
Error pending(const char* what) { return make_error("not_implemented", what); }
}  // namespace

Result<std::vector<core::LocalRecord>> SqlStore::load_mirror(std::int64_t, core::Resource) { return pending("load_mirror"); }
Status SqlStore::apply_voice_plans(std::int64_t, std::int64_t, const std::vector<core::ResourcePlan>&, const std::vector<core::Resource>&, const std::vector<CursorWrite>&, const RunOutcome&, std::int64_t) { return pending("apply_voice_plans"); }
Result<MirrorPage> SqlStore::list_mirror(std::int64_t, core::Resource, const MirrorQuery&) { return pending("list_mirror"); }
Result<MirrorPage> SqlStore::list_archive(std::int64_t, std::optional<core::Resource>, int, std::optional<PageCursor>) { return pending("list_archive"); }
Result<MirrorItem> SqlStore::restore_mirror_item(std::int64_t, core::Resource, std::int64_t, std::int64_t) { return pending("restore_mirror_item"); }
Result<MirrorCounts> SqlStore::count_mirror(std::int64_t) { return pending("count_mirror"); }
Result<std::map<std::string, std::string>> SqlStore::get_cursors(std::int64_t, const std::string&) { return pending("get_cursors"); }
Result<RunTicket> SqlStore::request_run(std::int64_t, const std::string&, const std::string&, bool, std::int64_t, std::int64_t) { return pending("request_run"); }
Result<std::optional<ClaimedJob>> SqlStore::claim_job(const std::string&, std::int64_t, std::int64_t) { return pending("claim_job"); }
Status SqlStore::renew_lease(std::int64_t, const std::string&, std::int64_t, std::int64_t) { return pending("renew_lease"); }
Status SqlStore::update_run_progress(std::int64_t, const std::string&, std::int64_t) { return pending("update_run_progress"); }
Status SqlStore::finish_run(std::int64_t, const RunOutcome&, std::int64_t) { return pending("finish_run"); }
Result<std::vector<ExpiredRun>> SqlStore::sweep_expired_runs(std::int64_t) { return pending("sweep_expired_runs"); }
Result<std::optional<SyncRun>> SqlStore::find_run(std::int64_t, std::int64_t) { return pending("find_run"); }
Result<std::vector<SyncRun>> SqlStore::list_runs(std::int64_t, int, std::optional<PageCursor>) { return pending("list_runs"); }
Result<std::optional<SyncRun>> SqlStore::latest_run(std::int64_t, const std::string&) { return pending("latest_run"); }
Result<std::optional<SyncRun>> SqlStore::latest_finished_run(std::int64_t, const std::string&) { return pending("latest_finished_run"); }
Result<SyncRun> SqlStore::confirm_held_run(std::int64_t, std::int64_t, const std::string&, std::int64_t) { return pending("confirm_held_run"); }
Result<SyncRun> SqlStore::cancel_run(std::int64_t, std::int64_t, std::int64_t) { return pending("cancel_run"); }
Result<bool> SqlStore::claim_tick(const std::string&, std::int64_t, const std::string&, std::int64_t) { return pending("claim_tick"); }

}  // namespace tenantsync::store
