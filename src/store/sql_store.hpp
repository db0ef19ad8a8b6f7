#pragma once
// The one Store implementation: all query text is written once, with `?` placeholders, against
// sql::Database, and runs unchanged on SQLite and PostgreSQL. Methods live in one .cpp per area
// (sql_store_tenants.cpp, sql_store_tokens.cpp, sql_store_settings.cpp, ...).
#include <memory>

#include "store/sql/database.hpp"
#include "store/store.hpp"

namespace tenantsync::store {

class SqlStore final : public Store {
 public:
  explicit SqlStore(std::unique_ptr<sql::Database> db) : db_(std::move(db)) {}

  std::string backend() const override;
  Status ping() override;
  Result<int> migrate() override;
  Result<int> schema_version() override;

  Result<std::pair<Tenant, User>> create_tenant_with_user(const std::string& tenant_name,
                                                          const std::string& email,
                                                          const std::string& password_hash,
                                                          std::int64_t now_ms) override;
  Result<User> create_user(std::int64_t tenant_id, const std::string& email, const std::string& password_hash,
                           std::int64_t now_ms) override;
  Result<std::optional<Tenant>> find_tenant(std::int64_t tenant_id) override;
  Result<std::optional<Tenant>> find_tenant_by_name(const std::string& name) override;
  Result<std::vector<Tenant>> list_tenants() override;
  Result<std::optional<User>> find_user_by_email(const std::string& email) override;

  Status create_token(const std::string& token_hash, std::int64_t user_id, std::int64_t tenant_id,
                      std::int64_t created_at_ms, std::int64_t expires_at_ms) override;
  Result<std::optional<AuthSession>> find_session(const std::string& token_hash,
                                                  std::int64_t now_ms) override;
  Status delete_token(const std::string& token_hash) override;
  Result<int> delete_expired_tokens(std::int64_t now_ms) override;

  Result<TenantSettings> get_settings(std::int64_t tenant_id) override;
  Status put_settings(const TenantSettings& settings, std::int64_t now_ms) override;

  // --- voice-platform mirror (src/store/sql_store_mirror.cpp) ---
  Result<std::vector<core::LocalRecord>> load_mirror(std::int64_t tenant_id,
                                                     core::Resource resource) override;
  Status apply_voice_plans(std::int64_t tenant_id, std::int64_t run_id,
                           const std::vector<core::ResourcePlan>& plans,
                           const std::vector<core::Resource>& fully_listed,
                           const std::vector<CursorWrite>& cursors, const RunOutcome& outcome,
                           std::int64_t now_ms) override;
  Result<MirrorPage> list_mirror(std::int64_t tenant_id, core::Resource resource,
                                 const MirrorQuery& query) override;
  Result<MirrorPage> list_archive(std::int64_t tenant_id, std::optional<core::Resource> resource, int limit,
                                  std::optional<PageCursor> after) override;
  Result<MirrorItem> restore_mirror_item(std::int64_t tenant_id, core::Resource resource, std::int64_t id,
                                         std::int64_t now_ms) override;
  Result<MirrorCounts> count_mirror(std::int64_t tenant_id) override;
  Result<std::map<std::string, std::string>> get_cursors(std::int64_t tenant_id,
                                                         const std::string& target) override;

  // --- runs and jobs (src/store/sql_store_runs.cpp) ---

  Result<RunTicket> request_run(std::int64_t tenant_id, core::RunTarget target, core::RunTrigger trigger,
                                bool dry_run, std::int64_t deadline_ms, std::int64_t now_ms) override;
  Result<std::optional<ClaimedJob>> claim_job(const std::string& owner, std::int64_t lease_ms,
                                              std::int64_t now_ms) override;
  Status renew_lease(std::int64_t job_id, const std::string& owner, std::int64_t lease_ms,
                     std::int64_t now_ms) override;
  Status update_run_progress(std::int64_t run_id, const std::string& progress_json,
                             std::int64_t now_ms) override;
  Status finish_run(std::int64_t run_id, const RunOutcome& outcome, std::int64_t now_ms) override;
  Result<std::vector<ExpiredRun>> sweep_expired_runs(std::int64_t now_ms) override;
  Result<std::optional<SyncRun>> find_run(std::int64_t tenant_id, std::int64_t run_id) override;
  Result<std::vector<SyncRun>> list_runs(std::int64_t tenant_id, int limit,
                                         std::optional<PageCursor> after) override;
  Result<std::optional<SyncRun>> latest_run(std::int64_t tenant_id, core::RunTarget target) override;
  Result<std::optional<SyncRun>> latest_finished_run(std::int64_t tenant_id, core::RunTarget target) override;
  Result<SyncRun> confirm_held_run(std::int64_t tenant_id, std::int64_t run_id, const std::string& plan_id,
                                   std::int64_t now_ms) override;
  Result<SyncRun> cancel_run(std::int64_t tenant_id, std::int64_t run_id, std::int64_t now_ms) override;
  Result<bool> claim_tick(const std::string& schedule, std::int64_t tick_at_ms, const std::string& owner,
                          std::int64_t now_ms) override;

  // --- CRM connections (src/store/sql_store_crm.cpp) ---

  Result<CrmConnection> upsert_crm_connection(const CrmConnection& connection, std::int64_t now_ms) override;
  Result<std::optional<CrmConnection>> find_crm_connection(std::int64_t tenant_id, std::int64_t id) override;
  Result<std::vector<CrmConnection>> list_crm_connections(std::int64_t tenant_id) override;
  Result<std::vector<CrmConnection>> list_active_crm_connections() override;
  Status deactivate_crm_connection(std::int64_t tenant_id, std::int64_t id, std::int64_t now_ms) override;
  Status set_crm_state(std::int64_t tenant_id, std::int64_t id, core::ConnectionState state,
                       const std::string& message, std::optional<std::int64_t> rate_limited_until_ms,
                       std::int64_t now_ms) override;
  Status set_crm_credentials(std::int64_t tenant_id, std::int64_t id, const std::string& credentials_cipher,
                             std::int64_t now_ms) override;
  Status record_crm_sync(const CrmConnection& result, std::int64_t now_ms) override;

  // --- leads (src/store/sql_store_leads.cpp) ---

  Result<std::vector<core::ExistingLead>> find_lead_candidates(
      std::int64_t tenant_id, const std::string& provider, const std::vector<std::string>& crm_ids,
      const std::vector<std::string>& phones, const std::vector<std::string>& emails) override;
  Result<LeadBatchResult> apply_lead_batch(std::int64_t tenant_id, std::int64_t connection_id,
                                           const std::vector<LeadWrite>& writes,
                                           const std::string& cursor_json, std::int64_t now_ms) override;
  Result<Lead> create_lead(std::int64_t tenant_id, const Lead& lead, std::int64_t now_ms) override;
  Result<std::optional<Lead>> find_lead(std::int64_t tenant_id, std::int64_t id) override;
  Result<LeadPage> list_leads(std::int64_t tenant_id, const LeadQuery& query) override;

  /// The underlying database, for tests and tools.
  sql::Database& database() { return *db_; }

 private:
  std::unique_ptr<sql::Database> db_;
};

}  // namespace tenantsync::store
