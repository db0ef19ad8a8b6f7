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
Result<CrmConnection> SqlStore::upsert_crm_connection(const CrmConnection&, std::int64_t) { return pending("upsert_crm_connection"); }
Result<std::optional<CrmConnection>> SqlStore::find_crm_connection(std::int64_t, std::int64_t) { return pending("find_crm_connection"); }
Result<std::vector<CrmConnection>> SqlStore::list_crm_connections(std::int64_t) { return pending("list_crm_connections"); }
Result<std::vector<CrmConnection>> SqlStore::list_active_crm_connections() { return pending("list_active_crm_connections"); }
Status SqlStore::deactivate_crm_connection(std::int64_t, std::int64_t, std::int64_t) { return pending("deactivate_crm_connection"); }
Status SqlStore::set_crm_state(std::int64_t, std::int64_t, const std::string&, const std::string&, std::optional<std::int64_t>, std::int64_t) { return pending("set_crm_state"); }
Status SqlStore::set_crm_credentials(std::int64_t, std::int64_t, const std::string&, std::int64_t) { return pending("set_crm_credentials"); }
Status SqlStore::record_crm_sync(const CrmConnection&, std::int64_t) { return pending("record_crm_sync"); }
Result<std::vector<core::ExistingLead>> SqlStore::find_lead_candidates(std::int64_t, const std::string&, const std::vector<std::string>&, const std::vector<std::string>&, const std::vector<std::string>&) { return pending("find_lead_candidates"); }
Result<LeadBatchResult> SqlStore::apply_lead_batch(std::int64_t, std::int64_t, const std::vector<LeadWrite>&, const std::string&, std::int64_t) { return pending("apply_lead_batch"); }
Result<Lead> SqlStore::create_lead(std::int64_t, const Lead&, std::int64_t) { return pending("create_lead"); }
Result<std::optional<Lead>> SqlStore::find_lead(std::int64_t, std::int64_t) { return pending("find_lead"); }
Result<LeadPage> SqlStore::list_leads(std::int64_t, const LeadQuery&) { return pending("list_leads"); }

}  // namespace tenantsync::store
