#pragma once
// The rows the sync engine reads and writes through the Store: mirror rows, runs and their
// jobs, cursors, CRM connections and leads. Plain data; the Store's area interfaces (see the
// table in store.hpp) say how they are read and written.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error_code.hpp"
#include "core/ids.hpp"
#include "core/mirror.hpp"
#include "core/reconcile.hpp"
#include "core/run_types.hpp"

namespace tenantsync::store {

// ---------------------------------------------------------------- mirror (voice platform)

/// One mirror row as the API lists it.
struct MirrorItem {
  core::Resource resource = core::Resource::agents;
  MirrorRowId id{0};
  std::string upstream_id;
  std::string upstream_account_id;
  std::string name;
  std::string status;
  std::string agent_id;
  std::string batch_id;
  std::int64_t upstream_created_at_ms = 0;  ///< 0 when the upstream gave none
  std::int64_t upstream_updated_at_ms = 0;
  std::string fields_json = "{}";
  RunId first_seen_run{0};
  RunId last_seen_run{0};
  std::int64_t created_at_ms = 0;  ///< when tenantsync first stored it
  std::int64_t updated_at_ms = 0;
  std::optional<std::int64_t> archived_at_ms;
  std::string archive_reason;
  std::optional<RunId> archive_run;  ///< the run that archived it; nullopt while active
};

/// A keyset position in a newest-first list: (sort time, id) of the last item seen.
struct PageCursor {
  std::int64_t sort_ms = 0;
  std::int64_t id = 0;  ///< the row id in whichever table is paged (mirror, leads, runs)
};

/// Filters of GET /api/agents|phone-numbers|campaigns|executions and GET /api/archive.
/// Lists sort by upstream creation time (falling back to tenantsync's), newest first.
struct MirrorQuery {
  bool archived = false;                ///< false: active rows only; true: archived rows only (the archive)
  std::string agent_id;                 ///< empty: any
  std::string status;                   ///< empty: any
  std::optional<std::int64_t> from_ms;  ///< upstream creation time, inclusive
  std::optional<std::int64_t> to_ms;    ///< upstream creation time, exclusive
  int limit = 50;
  std::optional<PageCursor> after;
};

struct MirrorPage {
  std::vector<MirrorItem> items;
  std::optional<PageCursor> next;  ///< set when more rows may follow
};

/// Active rows per resource plus leads: the numbers of GET /api/tenant/summary.
struct MirrorCounts {
  std::int64_t agents = 0;
  std::int64_t phone_numbers = 0;
  std::int64_t campaigns = 0;
  std::int64_t executions = 0;
  std::int64_t leads = 0;
};

/// A value the engine keeps between runs (e.g. the executions cursor of one agent).
struct CursorWrite {
  std::string target;  ///< "voice" or "crm:<connection id>"
  std::string key;
  std::string value;
};

// ---------------------------------------------------------------- runs and jobs

/// One sync run (the run history users see). JSON columns are passed through as text.
struct SyncRun {
  RunId id{0};
  TenantId tenant_id{0};
  core::RunTarget target = core::RunTarget::voice();
  core::RunTrigger trigger = core::RunTrigger::manual;
  core::RunState state = core::RunState::queued;
  bool dry_run = false;
  std::int64_t created_at_ms = 0;
  std::optional<std::int64_t> started_at_ms;
  std::optional<std::int64_t> finished_at_ms;
  std::optional<std::int64_t> heartbeat_at_ms;
  std::optional<std::int64_t> deadline_at_ms;
  std::string counts_json = "{}";
  std::optional<core::ErrorCode> error_code;  ///< nullopt when the run did not fail
  std::string error_message;
  std::string plan_json;  ///< the stored plan of a held (or dry) run; empty when none
  std::string warnings_json = "[]";
  std::string upstream_account_id;
  std::string progress_json = "{}";
  std::string confirmed_plan_id;  ///< set when a person confirmed a held plan; the run applies only that plan
};

/// The result of asking for a run of a target: the new run, or the queued/running one it joined.
struct RunTicket {
  SyncRun run;
  bool joined = false;
};

/// A job claimed by a worker: the run to execute and the lease that protects it.
struct ClaimedJob {
  JobId job_id{0};
  RunId run_id{0};
  TenantId tenant_id{0};
  core::RunTarget target = core::RunTarget::voice();
  int attempts = 0;  ///< including this claim
  std::int64_t lease_expires_at_ms = 0;
};

/// The job lease a worker holds while it runs a job (see run_queue.hpp). A run's writes carry it
/// and the store refuses them ("worker_lost") unless the lease is still this owner's and
/// unexpired, checked in the write's own transaction: once the sweep or another worker has the
/// run, a late worker changes nothing.
struct LeaseHold {
  JobId job_id{0};
  std::string owner;  ///< the worker's owner string, as given to claim_job
};

/// How a run ends (written in the same transaction as its changes, if any).
struct RunOutcome {
  core::RunState state = core::RunState::succeeded;  ///< succeeded | failed | held | cancelled
  std::string counts_json = "{}";
  std::optional<core::ErrorCode> error_code;
  std::string error_message;
  std::string plan_json;
  std::string warnings_json = "[]";
  std::string upstream_account_id;
};

/// Which runs the lease sweep ended.
struct ExpiredRun {
  RunId run_id{0};
  TenantId tenant_id{0};
  core::RunTarget target = core::RunTarget::voice();
  core::ErrorCode error_code = core::ErrorCode::worker_lost;  ///< worker_lost | deadline_exceeded
};

// ---------------------------------------------------------------- CRM

struct CrmConnection {
  ConnectionId id{0};
  TenantId tenant_id{0};
  core::CrmProvider provider = core::CrmProvider::hubspot;
  std::string provider_account_id;  ///< HubSpot portalId, Salesforce org id
  core::CrmAuthKind auth_kind = core::CrmAuthKind::nango;
  std::string credentials_cipher;   ///< encrypted JSON (SecretBox); empty for nango
  std::string nango_connection_id;
  std::string provider_config_key;
  std::string instance_url;  ///< Salesforce
  bool active = true;
  core::ConnectionState state = core::ConnectionState::connected;
  std::string state_message;
  std::optional<std::int64_t> rate_limited_until_ms;
  std::string cursor;  ///< JSON the CRM sync resumes from; empty before the first sync
  std::optional<std::int64_t> last_sync_at_ms;
  int last_sync_created = 0;
  int last_sync_updated = 0;
  int last_sync_unchanged = 0;
  std::string last_sync_error;
  std::optional<std::int64_t> next_sync_at_ms;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
};

/// A lead as the API shows it.
struct Lead {
  LeadId id{0};
  TenantId tenant_id{0};
  std::string source;  ///< crm | manual
  std::string name;
  std::string email;  ///< as entered / sent by the CRM (trimmed)
  std::string email_norm;
  std::string phone_raw;
  std::string phone_e164;
  bool phone_valid = false;
  /// The region phone_e164 and phone_valid were worked out in; "" when unknown (made before
  /// migration 0011) or no phone. Not shown by the API.
  std::string phone_region;
  ConnectionId crm_connection_id{0};  ///< 0 when none
  std::string crm_provider;
  std::string crm_id;
  std::string crm_owner;
  std::string crm_owner_email;
  std::string crm_status;
  std::string crm_stage;
  std::string crm_description;
  std::optional<std::int64_t> crm_last_activity_at_ms;
  std::optional<std::int64_t> crm_archived_at_ms;
  std::optional<std::int64_t> crm_updated_at_ms;
  std::string match_reason;  ///< crm_id | phone | email | new | manual
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
  std::optional<RunId> created_run;  ///< the CRM run that created it; nullopt for manual leads
  std::optional<RunId> updated_run;  ///< the CRM run that last changed it
};

/// One write of a CRM page: a new lead (id == 0) or an update of lead `id`.
/// For an update, every CRM field is overwritten; name, email and phone are overwritten only
/// when the contact has a value (a CRM contact without a phone never blanks a lead's phone).
struct LeadWrite {
  Lead lead;
  bool link_crm_id = true;  ///< write crm_provider/crm_id/crm_connection_id (false: leave the link)
  /// When this write archives a lead because its CRM contact was merged into another one: that
  /// contact's CRM id. The change feed then says lead.merged (naming it) instead of lead.archived.
  std::string merged_into;
};

/// What GET /api/leads sorts by; each is a time, so the keyset cursor is (that time, id).
enum class LeadSort { created_at, updated_at, last_activity_at };

struct LeadQuery {
  std::string q;  ///< matches name, phone (raw or E.164) or e-mail, case-insensitive substring
  std::string q_e164;  ///< q read as a phone number in the tenant's region, when it is one: equal phone_e164
  std::string source;  ///< crm | manual; empty: any
  std::string owner;   ///< crm_owner or crm_owner_email, exact; empty: any
  std::string status;  ///< crm_status, exact
  std::string stage;   ///< crm_stage, exact
  std::optional<ConnectionId> connection_id;
  std::optional<bool> archived;  ///< archived in the CRM (crm_archived_at set) or not; nullopt: both
  LeadSort sort = LeadSort::created_at;
  bool ascending = false;  ///< newest first unless set
  int limit = 50;
  std::optional<PageCursor> after;  ///< (the sort time, id); a missing time sorts as 0
};

struct LeadPage {
  std::vector<Lead> items;
  std::optional<PageCursor> next;
};

/// One bar of a chart: a UTC day (epoch ms of its midnight), a key (a call's status, a lead's
/// source) and a count.
struct DayCount {
  std::int64_t day_ms = 0;
  std::string key;
  std::int64_t count = 0;
};

/// A lead's phone as stored: the raw number, the normal form made of it and the region it was made
/// in (Lead's fields of the same names).
struct StoredPhone {
  std::string raw;
  std::string e164;
  bool valid = false;
  std::string region;
};

/// What apply_lead_batch did.
struct LeadBatchResult {
  int created = 0;
  int updated = 0;
  int unchanged = 0;              ///< updates whose stored values were already equal
  std::vector<LeadId> ids;        ///< ids of the writes, in order (new ids for creations)
};

}  // namespace tenantsync::store
