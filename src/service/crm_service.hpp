#pragma once
// CRM connections as people manage them: connect one (check the credentials with the CRM,
// store them encrypted, first sync in the background), see their status, sync them now
// (Refresh CRM, the external cron endpoint), disconnect.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "crypto/crypto.hpp"
#include "service/options.hpp"
#include "service/sync_runs.hpp"
#include "store/crm_connection_store.hpp"
#include "store/run_history.hpp"
#include "sync/connectors.hpp"

namespace tenantsync::service {

/// A connection request as parsed from the person's input.
struct ConnectCrm {
  std::optional<core::CrmProvider> provider;  ///< nullopt: not a provider tenantsync knows
  std::string instance_url;  ///< Salesforce; empty when not given
  std::optional<core::CrmAuthKind> auth_kind;  ///< nullopt when none was given
  std::string secret;        ///< the Nango connection id, the access token or the refresh token
  std::optional<std::string> provider_config_key;  ///< Nango's; default: the provider
};

/// A Nango connect session asked for by a person: which CRM, and Nango's integration for it.
struct ConnectSessionRequest {
  std::optional<core::CrmProvider> provider;       ///< nullopt: not a provider tenantsync knows
  std::optional<std::string> provider_config_key;  ///< default: the provider
};

/// A connect session for the browser: the token Connect UI takes, and where Connect UI and
/// Nango's API are.
struct ConnectSession {
  std::string token;
  std::int64_t expires_at_ms = 0;
  std::string connect_url;  ///< Nango's connect link (Connect UI's URL with the token)
  std::string api_url;      ///< Nango's API base URL, which Connect UI calls
  std::string provider_config_key;
};

/// A connection as its status shows it.
struct ConnectionStatus {
  store::CrmConnection connection;
  core::ConnectionState state = core::ConnectionState::connected;  ///< the stored state, or syncing while a
                                                                   ///< run of it is queued or running
  std::optional<TimePoint> next_sync_at;
};

struct ConnectedCrm {
  /// Set when the CRM could not be reached to check the credentials: nothing was saved.
  std::optional<Error> unreachable;
  ConnectionStatus connection;
  RunId run_id{0};  ///< the first sync, queued
};

/// One connection's sync of a Refresh: its run as the wait left it, or why none was started.
struct ConnectionSync {
  store::CrmConnection connection;
  std::optional<store::SyncRun> run;
  std::optional<Error> error;
};

class CrmService {
 public:
  CrmService(store::CrmConnectionStore& connections, store::RunHistory& runs,
             const crypto::SecretBox& secrets, sync::Connectors& connectors, const Clock& clock,
             SyncRuns& syncs, const UseCaseOptions& options);

  /// Errors: "validation_failed", "credentials_rejected", "sync_unavailable", "limit_exceeded"
  /// (the tenant has its most active connections already), the store's; for a Nango connection "not_found"
  /// (the same for an unknown id and another tenant's) and "nango_not_configured". The credentials check at
  /// the CRM has a short budget without retries (Connectors::crm_check).
  Result<ConnectedCrm> connect(TenantId tenant_id, const ConnectCrm& request);
  /// Creates a Nango connect session whose connection will be bound to the tenant.
  /// Errors: "validation_failed", "nango_not_configured", Nango's (upstream_*, key_rejected, …).
  Result<ConnectSession> create_connect_session(TenantId tenant_id, const ConnectSessionRequest& request);
  /// The tenant's connections, active and inactive, oldest first.
  Result<std::vector<ConnectionStatus>> status(TenantId tenant_id);
  /// Queues a run of each of the tenant's active connections (Refresh CRM); wait_for() them.
  Result<std::vector<ConnectionSync>> start_sync_now(TenantId tenant_id);
  /// Queues a run of every active connection of every tenant (the cron endpoint).
  Result<std::vector<ConnectionSync>> start_sync_all();
  /// Waits for the queued runs of `syncs` to end, up to the sync wait in all, and returns them
  /// as the wait left them. Blocks for that long.
  Result<std::vector<ConnectionSync>> wait_for(std::vector<ConnectionSync> syncs);
  /// Deactivates the connection (its leads stay); "not_found" when not the tenant's.
  Status disconnect(TenantId tenant_id, ConnectionId connection_id);

 private:
  ConnectionStatus status_of(const store::CrmConnection& connection);
  /// Ok when Nango's connection names the tenant; otherwise the one not_found every unknown or
  /// foreign id gets, or a failure to ask Nango that says nothing about the id.
  Status check_nango_owner(TenantId tenant_id, const store::CrmConnection& draft);
  /// Queues a run of every connection (the engine's workers bound how many run at once).
  Result<std::vector<ConnectionSync>> queue_connections(const std::vector<store::CrmConnection>& connections,
                                                        core::RunTrigger trigger);

  store::CrmConnectionStore& connections_;
  store::RunHistory& runs_;
  const crypto::SecretBox& secrets_;
  sync::Connectors& connectors_;
  const Clock& clock_;
  SyncRuns& syncs_;
  int max_connections_;
};

}  // namespace tenantsync::service
