#pragma once
// CRM connections: which CRM account a tenant connected, its encrypted credentials, its state
// and the cursor its sync resumes from. One area of the Store (store.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/sync_records.hpp"

namespace tenantsync::store {

class CrmConnectionStore {
 public:
  virtual ~CrmConnectionStore() = default;

  // --- CRM connections (src/store/sql_store_crm.cpp) ---
  /// Inserts the connection, or, when (tenant, provider, provider_account_id) exists, updates its
  /// credentials (auth_kind, credentials_cipher, nango ids, instance_url), sets it active and
  /// state "connected"; the cursor and last-sync fields are kept. Returns the stored row.
  virtual Result<CrmConnection> upsert_crm_connection(const CrmConnection& connection,
                                                      TimePoint now) = 0;
  virtual Result<std::optional<CrmConnection>> find_crm_connection(TenantId tenant_id,
                                                                   ConnectionId id) = 0;
  /// The tenant's connections, active and inactive, oldest first.
  virtual Result<std::vector<CrmConnection>> list_crm_connections(TenantId tenant_id) = 0;
  /// Every active connection of every tenant (the cron endpoint and the scheduler).
  virtual Result<std::vector<CrmConnection>> list_active_crm_connections() = 0;
  /// Sets active = false ("not_found" when not the tenant's); its leads stay.
  virtual Status deactivate_crm_connection(TenantId tenant_id, ConnectionId id, TimePoint now) = 0;
  /// Sets state, state_message and rate_limited_until.
  virtual Status set_crm_state(TenantId tenant_id, ConnectionId id, core::ConnectionState state,
                               const std::string& message, std::optional<TimePoint> rate_limited_until,
                               TimePoint now) = 0;
  /// Replaces the encrypted credentials (after a token refresh).
  virtual Status set_crm_credentials(TenantId tenant_id, ConnectionId id,
                                     const std::string& credentials_cipher, TimePoint now) = 0;
  /// Records the end of a sync: last_sync_* (at = now), next_sync_at, state and message.
  virtual Status record_crm_sync(const CrmConnection& result, TimePoint now) = 0;
};

}  // namespace tenantsync::store
