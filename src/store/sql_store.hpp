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
                                                          TimePoint now) override;
  Result<User> create_user(TenantId tenant_id, const std::string& email, const std::string& password_hash,
                           TimePoint now) override;
  Result<std::optional<Tenant>> find_tenant(TenantId tenant_id) override;
  Result<std::optional<Tenant>> find_tenant_by_name(const std::string& name) override;
  Result<std::vector<Tenant>> list_tenants() override;
  Result<std::optional<User>> find_user_by_email(const std::string& email) override;

  Status create_token(const std::string& token_hash, UserId user_id, TenantId tenant_id,
                      TimePoint created_at, TimePoint expires_at) override;
  Result<std::optional<AuthSession>> find_session(const std::string& token_hash,
                                                  TimePoint now) override;
  Status delete_token(const std::string& token_hash) override;
  Result<int> delete_user_tokens(TenantId tenant_id, UserId user_id) override;
  Result<int> delete_expired_tokens(TimePoint now) override;

  Result<std::vector<SealedSecret>> list_sealed_secrets() override;
  Result<bool> has_sealed_secrets() override;
  Result<bool> replace_sealed_secret(const SealedSecret& secret, const std::string& new_cipher) override;

  Result<TenantSettings> get_settings(TenantId tenant_id) override;

  // --- changes pushed in (src/store/sql_store_hooks.cpp) ---
  Status put_hook_token(TenantId tenant_id, const std::string& token_hash, const std::string& token_cipher,
                        TimePoint now) override;
  Result<std::optional<std::string>> get_hook_token_cipher(TenantId tenant_id) override;
  Result<std::optional<TenantId>> find_hook_tenant(const std::string& token_hash) override;
  Result<bool> has_active_agent(TenantId tenant_id, const std::string& account_id,
                                const std::string& agent_id) override;
  Result<PushedWrite> upsert_pushed_execution(TenantId tenant_id, const std::string& account_id,
                                              const core::UpstreamRecord& record, const std::string& region,
                                              TimePoint now) override;
  Result<EnqueueResult> enqueue_hubspot_events(TenantId tenant_id, ConnectionId connection_id,
                                               const std::vector<HubspotEvent>& events, int max_pending,
                                               TimePoint now) override;
  Result<std::vector<PendingConnection>> hubspot_pending_connections(int limit) override;
  Result<std::vector<HubspotEvent>> pending_hubspot_events(TenantId tenant_id, ConnectionId connection_id,
                                                           int limit) override;
  Status mark_hubspot_events(TenantId tenant_id, ConnectionId connection_id, const std::vector<std::int64_t>& ids,
                             TimePoint now) override;
  Result<int> prune_hubspot_events(TimePoint before) override;
  Status put_settings(const TenantSettings& settings, TimePoint now) override;

  // --- voice-platform mirror (src/store/sql_store_mirror.cpp) ---
  Result<std::vector<core::LocalRecord>> load_mirror(TenantId tenant_id,
                                                     core::Resource resource) override;
  Status apply_voice_plans(TenantId tenant_id, RunId run_id, const std::vector<core::ResourcePlan>& plans,
                           const std::vector<core::Resource>& fully_listed,
                           const std::vector<CursorWrite>& cursors, const RunOutcome& outcome,
                           const std::optional<LeaseHold>& lease, TimePoint now) override;
  Result<MirrorPage> list_mirror(TenantId tenant_id, core::Resource resource,
                                 const MirrorQuery& query) override;
  Result<MirrorPage> list_archive(TenantId tenant_id, std::optional<core::Resource> resource, int limit,
                                  std::optional<PageCursor> after) override;
  Result<MirrorItem> restore_mirror_item(TenantId tenant_id, core::Resource resource, MirrorRowId id,
                                         TimePoint now) override;
  Result<MirrorCounts> count_mirror(TenantId tenant_id) override;
  Result<std::map<std::string, std::string>> get_cursors(TenantId tenant_id,
                                                         const std::string& target) override;
  Result<std::vector<std::string>> stage_executions(TenantId tenant_id, RunId run_id, const std::string& listing,
                                                    const std::vector<core::UpstreamRecord>& records) override;
  Status drop_staged_listing(TenantId tenant_id, RunId run_id, const std::string& listing) override;
  Status clear_staging(TenantId tenant_id, RunId run_id) override;
  Result<core::ResourcePlan> plan_staged_executions(TenantId tenant_id, RunId run_id,
                                                   const core::ReconcileContext& context) override;
  Result<bool> has_switched_away(TenantId tenant_id, core::Resource resource,
                                 const std::string& account_id) override;

  // --- runs and jobs (src/store/sql_store_runs.cpp) ---

  Result<RunTicket> request_run(TenantId tenant_id, core::RunTarget target, core::RunTrigger trigger,
                                bool dry_run, std::chrono::milliseconds deadline, TimePoint now,
                                int max_active) override;
  Result<std::optional<ClaimedJob>> claim_job(const std::string& owner, std::chrono::milliseconds lease,
                                              TimePoint now, int max_running) override;
  Status renew_lease(JobId job_id, const std::string& owner, std::chrono::milliseconds lease,
                     TimePoint now) override;
  Status update_run_progress(RunId run_id, const std::string& progress_json,
                             TimePoint now) override;
  Status finish_run(RunId run_id, const RunOutcome& outcome, TimePoint now) override;
  Result<int> expire_leases_of(const std::string& owner, TimePoint now) override;
  Result<std::vector<ExpiredRun>> sweep_expired_runs(TimePoint now, const HeldLeases& held) override;
  Result<std::optional<SyncRun>> find_run(TenantId tenant_id, RunId run_id) override;
  Result<std::vector<SyncRun>> list_runs(TenantId tenant_id, int limit,
                                         std::optional<PageCursor> after) override;
  Result<std::optional<SyncRun>> latest_run(TenantId tenant_id, core::RunTarget target) override;
  Result<std::optional<SyncRun>> latest_finished_run(TenantId tenant_id,
                                                     core::RunTarget target) override;
  Result<SyncRun> confirm_held_run(TenantId tenant_id, RunId run_id, const std::string& plan_id,
                                   TimePoint now) override;
  Result<SyncRun> cancel_run(TenantId tenant_id, RunId run_id, TimePoint now) override;
  Result<bool> claim_tick(const std::string& schedule, TimePoint tick_at, const std::string& owner,
                          TimePoint now) override;

  // --- CRM connections (src/store/sql_store_crm.cpp) ---

  Result<CrmConnection> upsert_crm_connection(const CrmConnection& connection, TimePoint now) override;
  Result<std::optional<CrmConnection>> find_crm_connection(TenantId tenant_id, ConnectionId id) override;
  Result<std::vector<CrmConnection>> list_crm_connections(TenantId tenant_id) override;
  Result<std::vector<CrmConnection>> list_active_crm_connections() override;
  Status deactivate_crm_connection(TenantId tenant_id, ConnectionId id, TimePoint now) override;
  Status set_crm_state(TenantId tenant_id, ConnectionId id, core::ConnectionState state,
                       const std::string& message, std::optional<TimePoint> rate_limited_until,
                       TimePoint now) override;
  Status set_crm_credentials(TenantId tenant_id, ConnectionId id, const std::string& credentials_cipher,
                             TimePoint now) override;
  Status record_crm_sync(const CrmConnection& result, TimePoint now) override;

  // --- leads (src/store/sql_store_leads.cpp) ---

  Result<std::vector<core::ExistingLead>> find_lead_candidates(
      TenantId tenant_id, const std::string& provider, const std::vector<std::string>& crm_ids,
      const std::vector<std::string>& phones, const std::vector<std::string>& emails) override;
  Result<std::int64_t> count_connection_leads(TenantId tenant_id, ConnectionId connection_id) override;
  Result<std::vector<StoredPhone>> find_stored_phones(TenantId tenant_id, const std::string& provider,
                                                      const std::vector<std::string>& crm_ids) override;
  Result<LeadBatchResult> apply_lead_batch(TenantId tenant_id, ConnectionId connection_id,
                                           const std::vector<LeadWrite>& writes,
                                           const std::string& cursor_json,
                                           const std::optional<LeaseHold>& lease, TimePoint now) override;
  Result<Lead> create_lead(TenantId tenant_id, const Lead& lead, TimePoint now) override;
  Result<std::optional<Lead>> find_lead(TenantId tenant_id, LeadId id) override;
  Result<LeadPage> list_leads(TenantId tenant_id, const LeadQuery& query) override;
  Result<std::vector<DayCount>> leads_per_day(TenantId tenant_id, std::int64_t from_ms,
                                              std::int64_t to_ms) override;

  // --- the call log (src/store/sql_store_calls.cpp) ---

  Result<CallPage> list_calls(TenantId tenant_id, const CallQuery& query) override;
  Result<std::optional<CallRow>> find_call(TenantId tenant_id, MirrorRowId id) override;
  Result<std::optional<CallDetail>> find_call_detail(TenantId tenant_id, MirrorRowId id) override;
  Status save_call_detail(TenantId tenant_id, const CallDetail& detail) override;
  Status update_call_columns(TenantId tenant_id, MirrorRowId id, const CallColumnsUpdate& update) override;
  Result<CallStats> call_stats(TenantId tenant_id, const std::string& agent_id,
                               const std::string& batch_id) override;
  Result<std::vector<DayCount>> calls_per_day(TenantId tenant_id, std::int64_t from_ms,
                                              std::int64_t to_ms) override;
  Result<std::vector<AgentCallStats>> calls_per_agent(TenantId tenant_id) override;
  Result<std::optional<MirrorItem>> find_mirror_item(TenantId tenant_id, core::Resource resource,
                                                     MirrorRowId id) override;

  // --- teams and tenant erasure (src/store/sql_store_team.cpp) ---
  Result<std::vector<Member>> list_members(TenantId tenant_id) override;
  Result<std::optional<Member>> find_member(TenantId tenant_id, UserId user_id) override;
  Result<Member> set_member_role(TenantId tenant_id, UserId user_id, core::Role role) override;
  Status remove_member(TenantId tenant_id, UserId user_id) override;
  Result<std::vector<Membership>> list_memberships(UserId user_id) override;
  Result<Invitation> create_invitation(TenantId tenant_id, const std::string& token_hash, const std::string& email,
                                       core::Role role, UserId invited_by, TimePoint now,
                                       TimePoint expires_at) override;
  Result<std::vector<Invitation>> list_invitations(TenantId tenant_id, TimePoint now) override;
  Status revoke_invitation(TenantId tenant_id, std::int64_t invitation_id) override;
  Result<std::optional<Invitation>> find_invitation(const std::string& token_hash, TimePoint now) override;
  Result<Member> accept_invitation(const std::string& token_hash, const std::string& password_hash,
                                   TimePoint now) override;
  Result<Member> accept_invitation_as(const std::string& token_hash, UserId user_id, TimePoint now) override;
  Status delete_tenant(TenantId tenant_id) override;
  Result<std::vector<std::string>> tenant_tables() override;

  // --- the audit log (src/store/sql_store_audit.cpp) ---
  Status append_audit(const AuditEntry& entry) override;
  Result<AuditPage> list_audit(TenantId tenant_id, const AuditQuery& query) override;
  Result<int> delete_audit_before(TimePoint cutoff) override;
  // --- the change feed and outbound webhooks (src/store/sql_store_webhooks.cpp) ---

  Result<std::vector<Change>> list_changes(TenantId tenant_id, const ChangeQuery& query) override;
  Result<std::int64_t> latest_change_seq(TenantId tenant_id) override;
  Result<std::int64_t> prune_changes(TimePoint before) override;
  Result<WebhookEndpoint> create_webhook(const WebhookEndpoint& endpoint, TimePoint now) override;
  Result<std::vector<WebhookEndpoint>> list_webhooks(TenantId tenant_id) override;
  Result<std::optional<WebhookEndpoint>> find_webhook(TenantId tenant_id, WebhookId id) override;
  Result<WebhookEndpoint> update_webhook(const WebhookEndpoint& endpoint, TimePoint now) override;
  Status delete_webhook(TenantId tenant_id, WebhookId id) override;
  Result<std::vector<WebhookDelivery>> list_deliveries(TenantId tenant_id, WebhookId id, int limit,
                                                       std::optional<DeliveryId> before) override;
  Result<WebhookDelivery> redeliver(TenantId tenant_id, WebhookId id, DeliveryId delivery, TimePoint retry_until,
                                    TimePoint now) override;
  Result<std::vector<WebhookEndpoint>> endpoints_behind_feed(int limit) override;
  Status enqueue_deliveries(WebhookId id, const std::vector<NewDelivery>& deliveries, std::int64_t up_to_seq,
                            TimePoint retry_until, TimePoint now) override;
  Result<std::optional<WebhookEndpoint>> claim_webhook(const std::string& owner, std::chrono::milliseconds lease,
                                                       TimePoint now) override;
  Result<std::vector<WebhookDelivery>> pending_deliveries(WebhookId id, int limit) override;
  Status record_attempts(WebhookId id, const std::string& owner, const std::vector<AttemptRecord>& attempts,
                         std::chrono::milliseconds lease, TimePoint now) override;
  Status release_webhook(WebhookId id, const std::string& owner, TimePoint now) override;

  /// The underlying database, for tests and tools.
  sql::Database& database() { return *db_; }

 private:
  std::unique_ptr<sql::Database> db_;
};

}  // namespace tenantsync::store
