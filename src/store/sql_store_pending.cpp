// TEMPORARY: placeholders for the sync-engine Store methods while they are being written.
// Each helper deletes the placeholders of the methods it implements; this file goes away once all
// are implemented. Never on main.
#include "store/sql_store.hpp"

namespace tenantsync::store {
namespace {
Error pending(const char* what) { return make_error("not_implemented", what); }
}  // namespace

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
