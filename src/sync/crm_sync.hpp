#pragma once
// One CRM run for one connection, streaming: each batch of pages (a few hundred contacts,
// CrmSyncOptions::write_batch_contacts) is normalized (sync/lead_contact.hpp: E.164 phones,
// lower-cased e-mails), matched against the tenant's leads with one batch lookup, and written with
// the connection's cursor in one transaction before the next batch is read, so memory stays flat
// and a killed sync resumes where it stopped.
//
// The cursor (crm_connections.cursor, JSON) says where the next run starts:
//   {"phase":"full","archived_read":true,"after":"<list cursor>","below":"<id>","started_ms":T}
//       a first sync: the archived contacts first (until all are read, `archived_read` is
//       absent and they are read again), then the live ones, the list up from `after` and the
//       top reader down from below `below` (sync/both_ends_listing.hpp; absent: nothing read
//       from the top yet)
//   {"phase":"incremental","modified_after_ms":M}        later syncs: changes after M (when the
//       CRM says most contacts changed, every contact is read instead, as a first sync does, with
//       a "full" cursor of its own)
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/run_limits.hpp"
#include "store/lead_store.hpp"
#include "sync/event_bus.hpp"
#include "sync/run_progress.hpp"
#include "upstream/crm/crm_client.hpp"

namespace tenantsync::sync {

struct CrmSyncOptions {
  /// Changes are re-read from this long before the last checkpoint: search indexes lag a little.
  std::chrono::milliseconds overlap{std::chrono::minutes(5)};
  /// Bounds of what one run reads; every contact listing of the run counts as the resource
  /// "contacts". Pages are written as they come, so memory stays flat either way.
  core::RunLimits limits{};
  /// Pages are written together, in one transaction with the cursor of the last of them, once
  /// this many contacts are read (and at the end of each listing): the statements' and the
  /// transaction's own cost is paid once for several pages (PostgreSQL: 12 ms a page of 100 when
  /// written alone). A killed sync reads at most these again.
  std::size_t write_batch_contacts = 500;
  /// A sync of changes reads every contact instead (from both ends, as a first sync does) when
  /// the CRM says at least this many changed and they are a third of the connection's contacts or
  /// more: reading them through search alone would be slower (crm_sync.cpp says why).
  std::int64_t read_everything_from_changes = 5000;
};

struct CrmSyncResult {
  store::RunOutcome outcome;
  int created = 0;
  int updated = 0;
  int unchanged = 0;
  int archived = 0;  ///< leads whose contact was archived in the CRM (marked, never deleted)
  /// Wall time spent in the store (the candidate lookup and the page writes): the run's lead
  /// writes per second are the contacts over it (bench/sync_bench.mjs prints them per backend).
  std::chrono::microseconds store_time{0};
};

/// The provider-neutral parts of a lead that a contact sets.
store::Lead lead_from_contact(const upstream::CrmContact& contact, core::CrmProvider provider,
                              ConnectionId connection_id, const std::string& region,
                              const std::map<std::string, upstream::CrmOwner>& owners, TimePoint now);

/// A page of contacts as lead writes, matched against the tenant's leads (one batch lookup).
struct PlannedLeadWrites {
  std::vector<store::LeadWrite> writes;
  int archived = 0;  ///< writes of contacts archived in the CRM
  std::chrono::microseconds lookup_time{0};  ///< wall time of the candidate lookup
};

/// Normalizes `contacts` into leads and matches each one (CRM id, then phone, then e-mail) in
/// page order; two contacts that land on one lead share a write. Shared by a sync's pages and the
/// webhook worker (sync/hubspot_events), so both write a contact the same way.
Result<PlannedLeadWrites> plan_lead_writes(store::LeadStore& leads, const store::CrmConnection& connection,
                                           const std::vector<upstream::CrmContact>& contacts,
                                           const std::string& region,
                                           const std::map<std::string, upstream::CrmOwner>& owners, TimePoint now);

class CrmSync {
 public:
  CrmSync(store::LeadStore& leads, upstream::CrmClient& client, const Clock& clock, EventBus& events,
          CrmSyncOptions options);

  /// Runs one sync of `connection`; writes lead pages as it goes (never the run's outcome), each
  /// only while `lease` is still held (else the run fails "worker_lost" with nothing more written).
  CrmSyncResult run(const store::SyncRun& run, const store::LeaseHold& lease,
                    const store::CrmConnection& connection, const std::string& region,
                    const ProgressFn& progress, const StopFn& should_stop);

 private:
  Status write_page(const store::SyncRun& run, const store::LeaseHold& lease,
                    const store::CrmConnection& connection, const std::string& region,
                    std::vector<upstream::CrmContact>& contacts, const std::string& cursor_json,
                    CrmSyncResult& result);

  store::LeadStore& leads_;
  upstream::CrmClient& client_;
  const Clock& clock_;
  EventBus& events_;
  CrmSyncOptions options_;
  std::map<std::string, upstream::CrmOwner> owners_;
};

}  // namespace tenantsync::sync
