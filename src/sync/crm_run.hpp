#pragma once
// Executing one CRM run for the engine, one step each: find the run's active connection, open
// its stored credentials and a session with the CRM, let CrmSync write the leads, and leave the
// connection in the state that tells a person what to do next.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "crypto/crypto.hpp"
#include "store/crm_connection_store.hpp"
#include "store/lead_store.hpp"
#include "store/settings_store.hpp"
#include "sync/connectors.hpp"
#include "sync/crm_sync.hpp"
#include "sync/event_bus.hpp"
#include "sync/run_progress.hpp"

namespace tenantsync::sync {

/// The connection as a finished run leaves it (`connection` carries the run's last_sync_*
/// numbers when a sync ran): its last error, its state and message (connected, needs_reauth,
/// rate_limited until `rate_limited_until_ms` or a minute from `now` when 0, error), and
/// when it syncs next.
store::CrmConnection connection_after(store::CrmConnection connection, const store::RunOutcome& outcome,
                                      std::int64_t rate_limited_until_ms, TimePoint now,
                                      std::optional<std::int64_t> next_sync_at_ms);

class CrmRunner {
 public:
  using NextSync = std::function<std::optional<TimePoint>()>;

  CrmRunner(store::CrmConnectionStore& connections, store::LeadStore& leads, store::SettingsStore& settings,
            const crypto::SecretBox& secrets, Connectors& connectors, const Clock& clock, EventBus& events,
            CrmSyncOptions options, NextSync next_sync);

  /// Runs `run` under the job lease `lease`; every page write is refused ("worker_lost") once the
  /// lease is no longer held.
  store::RunOutcome execute(const store::SyncRun& run, const store::LeaseHold& lease,
                            const ProgressFn& progress, const StopFn& stop);

 private:
  /// The active connection the run's target names; "connection_inactive" otherwise.
  Result<store::CrmConnection> active_connection(const store::SyncRun& run);
  /// A CRM client with the connection's decrypted credentials.
  Result<std::unique_ptr<CrmSession>> open_session(const store::CrmConnection& connection,
                                                   const ProgressFn& progress);
  /// Marks the connection syncing, runs CrmSync, and keeps credentials a refresh rotated.
  CrmSyncResult sync_leads(const store::SyncRun& run, const store::LeaseHold& lease,
                           const store::CrmConnection& connection, CrmSession& session,
                           const ProgressFn& progress, const StopFn& stop);
  /// The tenant's default region, for phone numbers without a country code.
  std::string region_of(TenantId tenant_id);

  store::CrmConnectionStore& connections_;
  store::LeadStore& leads_;
  store::SettingsStore& settings_;
  const crypto::SecretBox& secrets_;
  Connectors& connectors_;
  const Clock& clock_;
  EventBus& events_;
  CrmSyncOptions options_;
  NextSync next_sync_;
};

}  // namespace tenantsync::sync
