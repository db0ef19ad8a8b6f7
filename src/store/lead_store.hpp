#pragma once
// Leads: the people the CRM syncs bring in (matched by CRM id, phone or e-mail) and the ones
// entered by hand. One area of the Store (store.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/lead_matcher.hpp"
#include "core/result.hpp"
#include "store/sync_records.hpp"

namespace tenantsync::store {

class LeadStore {
 public:
  virtual ~LeadStore() = default;

  // --- leads (src/store/sql_store_leads.cpp) ---
  /// The tenant's leads that share a CRM id (of `provider`), an E.164 phone or a normalized
  /// e-mail with the given keys (empty keys ignored), in one query per key kind.
  virtual Result<std::vector<core::ExistingLead>> find_lead_candidates(
      TenantId tenant_id, const std::string& provider, const std::vector<std::string>& crm_ids,
      const std::vector<std::string>& phones, const std::vector<std::string>& emails) = 0;
  /// Writes a batch of leads and saves the connection's cursor, in one transaction (see
  /// LeadWrite for what an update overwrites; an update equal to the stored row counts as
  /// unchanged and is not written). `cursor_json` empty: leave the cursor. `lease`: the run's job
  /// lease, checked in the same transaction; when it is no longer held (expired, or another
  /// owner's) nothing is written and the call fails with "worker_lost". nullopt only for callers
  /// that run no job (tests, tools): no check.
  virtual Result<LeadBatchResult> apply_lead_batch(TenantId tenant_id, ConnectionId connection_id,
                                                   const std::vector<LeadWrite>& writes,
                                                   const std::string& cursor_json,
                                                   const std::optional<LeaseHold>& lease, TimePoint now) = 0;
  /// The leads linked to the connection, archived ones included: about how many contacts the
  /// CRM holds (a sync of changes compares it with how many changed).
  virtual Result<std::int64_t> count_connection_leads(TenantId tenant_id, ConnectionId connection_id) = 0;
  /// The stored phones of the tenant's leads with these CRM ids (of `provider`), those with a
  /// phone only, in no order: a sync reuses a stored form instead of parsing the same number again.
  virtual Result<std::vector<StoredPhone>> find_stored_phones(TenantId tenant_id, const std::string& provider,
                                                              const std::vector<std::string>& crm_ids) = 0;
  /// Inserts a manual lead (source "manual", match_reason "manual").
  virtual Result<Lead> create_lead(TenantId tenant_id, const Lead& lead, TimePoint now) = 0;
  virtual Result<std::optional<Lead>> find_lead(TenantId tenant_id, LeadId id) = 0;
  /// Leads filtered and sorted as the query says (default newest first by created_at, id).
  virtual Result<LeadPage> list_leads(TenantId tenant_id, const LeadQuery& query) = 0;
  /// Leads created in [from, to) per UTC day and source, oldest day first (DayCount.key = source).
  virtual Result<std::vector<DayCount>> leads_per_day(TenantId tenant_id, std::int64_t from_ms,
                                                      std::int64_t to_ms) = 0;
};

}  // namespace tenantsync::store
