#pragma once
// The Store: every read and write of tenantsync's own data. One interface, two backends
// (SQLite by default, PostgreSQL for many instances), one shared test suite
// (src/store/store_suite.cpp) that runs against both.
//
// Rules every implementation keeps:
//  - every query on tenant data filters on tenant_id (tenant isolation);
//  - multi-row changes happen in one transaction, rolled back on any error;
//  - failures are values: Error{code, message}, codes listed in kStoreErrorCodes below.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/lead_matcher.hpp"
#include "core/mirror.hpp"
#include "core/reconcile.hpp"
#include "core/result.hpp"
#include "store/sync_records.hpp"

namespace tenantsync::store {

/// Error codes a Store returns: "db_error" (unexpected database failure), "email_taken",
/// "not_found", "conflict".
struct Tenant {
  std::int64_t id = 0;
  std::string name;
  std::string default_region = "US";  ///< ISO 3166-1 alpha-2, used to parse phone numbers
  std::int64_t created_at_ms = 0;
};

struct User {
  std::int64_t id = 0;
  std::int64_t tenant_id = 0;
  std::string email;          ///< trimmed, lower-cased; unique across tenants
  std::string password_hash;  ///< libsodium crypto_pwhash_str (Argon2id)
  std::int64_t created_at_ms = 0;
};

/// What a valid bearer token resolves to.
struct AuthSession {
  std::int64_t user_id = 0;
  std::int64_t tenant_id = 0;
  std::string email;
  std::int64_t expires_at_ms = 0;
};

struct TenantSettings {
  std::int64_t tenant_id = 0;
  std::string voice_api_key_cipher;  ///< encrypted (libsodium secretbox), base64; empty when unset
  std::string voice_key_last4;
  std::string voice_base_url;         ///< empty: the configured default (TENANTSYNC_BOLNA_URL)
  std::string voice_account_id;       ///< from GET /user/me; a change of it is an account switch
  std::string default_region = "US";  ///< stored on the tenant row
  std::int64_t updated_at_ms = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  /// "sqlite" or "postgresql".
  virtual std::string backend() const = 0;
  /// A cheap round trip, for /readyz.
  virtual Status ping() = 0;
  /// Applies pending migrations (idempotent); returns how many were applied.
  virtual Result<int> migrate() = 0;
  /// Highest applied migration version (0 on an empty database).
  virtual Result<int> schema_version() = 0;

  // --- tenants and users ---
  /// Creates a tenant and its first user in one transaction; "email_taken" if the e-mail exists.
  virtual Result<std::pair<Tenant, User>> create_tenant_with_user(const std::string& tenant_name,
                                                                  const std::string& email,
                                                                  const std::string& password_hash,
                                                                  std::int64_t now_ms) = 0;
  /// Adds a user to an existing tenant; "email_taken", "not_found" (tenant).
  virtual Result<User> create_user(std::int64_t tenant_id, const std::string& email,
                                   const std::string& password_hash, std::int64_t now_ms) = 0;
  virtual Result<std::optional<Tenant>> find_tenant(std::int64_t tenant_id) = 0;
  virtual Result<std::optional<Tenant>> find_tenant_by_name(const std::string& name) = 0;
  virtual Result<std::vector<Tenant>> list_tenants() = 0;
  virtual Result<std::optional<User>> find_user_by_email(const std::string& email) = 0;

  // --- bearer tokens (stored only as hashes) ---
  virtual Status create_token(const std::string& token_hash, std::int64_t user_id, std::int64_t tenant_id,
                              std::int64_t created_at_ms, std::int64_t expires_at_ms) = 0;
  /// The session of an unexpired token, or nullopt.
  virtual Result<std::optional<AuthSession>> find_session(const std::string& token_hash,
                                                          std::int64_t now_ms) = 0;
  virtual Status delete_token(const std::string& token_hash) = 0;
  /// Removes expired tokens; returns how many.
  virtual Result<int> delete_expired_tokens(std::int64_t now_ms) = 0;

  // --- tenant settings ---
  /// The tenant's settings; defaults (no key, region from the tenant) when never saved.
  virtual Result<TenantSettings> get_settings(std::int64_t tenant_id) = 0;
  /// Writes all fields of settings (and the tenant's default_region) in one transaction.
  virtual Status put_settings(const TenantSettings& settings, std::int64_t now_ms) = 0;

  // --- voice-platform mirror (src/store/sql_store_mirror.cpp) ---
  /// Every row (active and archived) of one resource of the tenant, as the planner needs it.
  virtual Result<std::vector<core::LocalRecord>> load_mirror(std::int64_t tenant_id,
                                                             core::Resource resource) = 0;
  /// Applies the plans and ends the run in ONE transaction: creates (first_seen_run = last_seen_run
  /// = run), updates and restores (all fields, upstream account = plan.account_id, last_seen_run),
  /// archives (archived_at = now, reason, archive_run = run); for each resource in
  /// `fully_listed`, every active row gets last_seen_run = run; upserts `cursors`; writes
  /// `outcome` on the run and deletes its job. Rolls everything back on any error.
  virtual Status apply_voice_plans(std::int64_t tenant_id, std::int64_t run_id,
                                   const std::vector<core::ResourcePlan>& plans,
                                   const std::vector<core::Resource>& fully_listed,
                                   const std::vector<CursorWrite>& cursors, const RunOutcome& outcome,
                                   std::int64_t now_ms) = 0;
  /// One page of a resource (active rows, or archived rows with query.archived), newest first.
  virtual Result<MirrorPage> list_mirror(std::int64_t tenant_id, core::Resource resource,
                                         const MirrorQuery& query) = 0;
  /// Archived rows of every resource (or one), most recently archived first; cursor sort_ms is
  /// archived_at.
  virtual Result<MirrorPage> list_archive(std::int64_t tenant_id, std::optional<core::Resource> resource,
                                          int limit, std::optional<PageCursor> after) = 0;
  /// Brings an archived row back (clears archived_at/reason/run); "not_found" when there is no
  /// such row of the tenant, "conflict" when it is not archived.
  virtual Result<MirrorItem> restore_mirror_item(std::int64_t tenant_id, core::Resource resource,
                                                 std::int64_t id, std::int64_t now_ms) = 0;
  /// Active rows per resource and all leads.
  virtual Result<MirrorCounts> count_mirror(std::int64_t tenant_id) = 0;
  /// The saved cursors of a target (key → value).
  virtual Result<std::map<std::string, std::string>> get_cursors(std::int64_t tenant_id,
                                                                 const std::string& target) = 0;

  // --- runs and jobs (src/store/sql_store_runs.cpp) ---
  /// Asks for a run of (tenant, target). A non-dry request joins the target's queued or running
  /// non-dry run if there is one (joined = true); otherwise inserts a queued run and its job
  /// (run_after = now) in one transaction. Dry runs never join and are never joined.
  /// `deadline_ms` is how long the run may take once started (deadline_at = start + it).
  virtual Result<RunTicket> request_run(std::int64_t tenant_id, const std::string& target,
                                        const std::string& trigger, bool dry_run, std::int64_t deadline_ms,
                                        std::int64_t now_ms) = 0;
  /// Claims the oldest due job nobody holds (FOR UPDATE SKIP LOCKED on PostgreSQL): sets its
  /// lease (owner, now + lease_ms), attempts + 1, and the run to running (started_at,
  /// heartbeat_at, deadline_at). nullopt when there is no work.
  virtual Result<std::optional<ClaimedJob>> claim_job(const std::string& owner, std::int64_t lease_ms,
                                                      std::int64_t now_ms) = 0;
  /// Extends the lease and the run's heartbeat; "conflict" when the lease is no longer ours.
  virtual Status renew_lease(std::int64_t job_id, const std::string& owner, std::int64_t lease_ms,
                             std::int64_t now_ms) = 0;
  /// Stores the run's progress JSON (and heartbeat).
  virtual Status update_run_progress(std::int64_t run_id, const std::string& progress_json,
                                     std::int64_t now_ms) = 0;
  /// Ends a run without mirror changes (failed, held, cancelled, or succeeded with nothing to
  /// apply) and deletes its job, in one transaction.
  virtual Status finish_run(std::int64_t run_id, const RunOutcome& outcome, std::int64_t now_ms) = 0;
  /// Fails runs whose job lease expired ("worker_lost"; the target gets a new queued run and job
  /// with the same trigger) and running runs past their deadline ("deadline_exceeded"; job
  /// deleted). Returns what it ended.
  virtual Result<std::vector<ExpiredRun>> sweep_expired_runs(std::int64_t now_ms) = 0;
  virtual Result<std::optional<SyncRun>> find_run(std::int64_t tenant_id, std::int64_t run_id) = 0;
  /// The run history, newest first; cursor sort_ms is created_at.
  virtual Result<std::vector<SyncRun>> list_runs(std::int64_t tenant_id, int limit,
                                                 std::optional<PageCursor> after) = 0;
  /// The newest non-dry run of a target in any state, or nullopt.
  virtual Result<std::optional<SyncRun>> latest_run(std::int64_t tenant_id, const std::string& target) = 0;
  /// The newest non-dry run of a target that ended (succeeded, failed, held, cancelled).
  virtual Result<std::optional<SyncRun>> latest_finished_run(std::int64_t tenant_id,
                                                             const std::string& target) = 0;
  /// Moves a held run back to queued with confirmed_plan_id = plan_id and a new job.
  /// "not_found" (no such run of the tenant), "conflict" (not held, or another run of the
  /// target is queued or running).
  virtual Result<SyncRun> confirm_held_run(std::int64_t tenant_id, std::int64_t run_id,
                                           const std::string& plan_id, std::int64_t now_ms) = 0;
  /// Cancels a held or queued run (deleting its job); "not_found", "conflict" (another state).
  virtual Result<SyncRun> cancel_run(std::int64_t tenant_id, std::int64_t run_id, std::int64_t now_ms) = 0;
  /// Claims one scheduler tick for the cluster: true for exactly one caller per (schedule, tick).
  virtual Result<bool> claim_tick(const std::string& schedule, std::int64_t tick_at_ms,
                                  const std::string& owner, std::int64_t now_ms) = 0;

  // --- CRM connections (src/store/sql_store_crm.cpp) ---
  /// Inserts the connection, or, when (tenant, provider, provider_account_id) exists, updates its
  /// credentials (auth_kind, credentials_cipher, nango ids, instance_url), sets it active and
  /// state "connected"; the cursor and last-sync fields are kept. Returns the stored row.
  virtual Result<CrmConnection> upsert_crm_connection(const CrmConnection& connection,
                                                      std::int64_t now_ms) = 0;
  virtual Result<std::optional<CrmConnection>> find_crm_connection(std::int64_t tenant_id,
                                                                   std::int64_t id) = 0;
  /// The tenant's connections, active and inactive, oldest first.
  virtual Result<std::vector<CrmConnection>> list_crm_connections(std::int64_t tenant_id) = 0;
  /// Every active connection of every tenant (the cron endpoint and the scheduler).
  virtual Result<std::vector<CrmConnection>> list_active_crm_connections() = 0;
  /// Sets active = false ("not_found" when not the tenant's); its leads stay.
  virtual Status deactivate_crm_connection(std::int64_t tenant_id, std::int64_t id, std::int64_t now_ms) = 0;
  /// Sets state, state_message and rate_limited_until.
  virtual Status set_crm_state(std::int64_t tenant_id, std::int64_t id, const std::string& state,
                               const std::string& message, std::optional<std::int64_t> rate_limited_until_ms,
                               std::int64_t now_ms) = 0;
  /// Replaces the encrypted credentials (after a token refresh).
  virtual Status set_crm_credentials(std::int64_t tenant_id, std::int64_t id,
                                     const std::string& credentials_cipher, std::int64_t now_ms) = 0;
  /// Records the end of a sync: last_sync_* (at = now), next_sync_at, state and message.
  virtual Status record_crm_sync(const CrmConnection& result, std::int64_t now_ms) = 0;

  // --- leads (src/store/sql_store_leads.cpp) ---
  /// The tenant's leads that share a CRM id (of `provider`), an E.164 phone or a normalized
  /// e-mail with the given keys (empty keys ignored), in one query per key kind.
  virtual Result<std::vector<core::ExistingLead>> find_lead_candidates(
      std::int64_t tenant_id, const std::string& provider, const std::vector<std::string>& crm_ids,
      const std::vector<std::string>& phones, const std::vector<std::string>& emails) = 0;
  /// Writes one page of leads and saves the connection's cursor, in one transaction (see
  /// LeadWrite for what an update overwrites; an update equal to the stored row counts as
  /// unchanged and is not written). `cursor_json` empty: leave the cursor.
  virtual Result<LeadBatchResult> apply_lead_batch(std::int64_t tenant_id, std::int64_t connection_id,
                                                   const std::vector<LeadWrite>& writes,
                                                   const std::string& cursor_json, std::int64_t now_ms) = 0;
  /// Inserts a manual lead (source "manual", match_reason "manual").
  virtual Result<Lead> create_lead(std::int64_t tenant_id, const Lead& lead, std::int64_t now_ms) = 0;
  virtual Result<std::optional<Lead>> find_lead(std::int64_t tenant_id, std::int64_t id) = 0;
  /// Leads newest first (created_at, id), filtered by query.q.
  virtual Result<LeadPage> list_leads(std::int64_t tenant_id, const LeadQuery& query) = 0;
};

struct StoreOptions {
  int pool_size = 8;               ///< connections (PostgreSQL) / reader connections (SQLite)
  int busy_timeout_ms = 5000;      ///< SQLite busy timeout
  int acquire_timeout_ms = 10000;  ///< longest wait for a free connection before "db_error"
};

/// Opens "sqlite:PATH" (creating the file and its folder) or "postgresql://..." / "postgres://...".
/// Does not migrate. Errors: "bad_database_url", "db_error".
Result<std::unique_ptr<Store>> open_store(const std::string& database_url, const StoreOptions& options = {});

}  // namespace tenantsync::store
