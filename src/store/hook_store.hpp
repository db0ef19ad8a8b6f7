#pragma once
// Changes pushed in by the upstreams: each tenant's call-webhook token, executions a Bolna webhook
// carries, and the durable queue of HubSpot webhook events. One area of the Store (store.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/mirror.hpp"
#include "core/result.hpp"

namespace tenantsync::store {

/// What writing one pushed execution did.
enum class PushedWrite { created, updated, unchanged, stale };

/// One HubSpot webhook event as queued (the fields the worker needs).
struct HubspotEvent {
  std::int64_t id = 0;   ///< queue row id (0 before it is queued)
  std::string event_id;  ///< HubSpot's eventId
  std::string kind;      ///< subscriptionType, e.g. "contact.propertyChange"
  std::string object_id;
  std::string merged_ids;  ///< contact.merge: the merged-away ids, comma-separated
  std::int64_t occurred_at_ms = 0;
};

/// What queueing a batch of events did.
struct EnqueueResult {
  int queued = 0;
  int duplicates = 0;  ///< event ids already queued or processed for the connection
  int over_limit = 0;  ///< dropped because the tenant's pending queue was full
};

/// A connection with events waiting.
struct PendingConnection {
  TenantId tenant_id{0};
  ConnectionId connection_id{0};
};

class HookStore {
 public:
  virtual ~HookStore() = default;

  // --- call-webhook tokens (src/store/sql_store_hooks.cpp) ---
  /// Sets (or replaces) the tenant's token: its SHA-256 for look-ups and the sealed token itself.
  virtual Status put_hook_token(TenantId tenant_id, const std::string& token_hash,
                                const std::string& token_cipher, TimePoint now) = 0;
  /// The tenant's sealed token, or nullopt when it has none yet.
  virtual Result<std::optional<std::string>> get_hook_token_cipher(TenantId tenant_id) = 0;
  /// The tenant holding the token with this SHA-256, if any.
  virtual Result<std::optional<TenantId>> find_hook_tenant(const std::string& token_hash) = 0;

  // --- executions pushed by Bolna ---
  /// Whether the tenant's mirror holds the agent, active, under the account.
  virtual Result<bool> has_active_agent(TenantId tenant_id, const std::string& account_id,
                                        const std::string& agent_id) = 0;
  /// Inserts or updates one execution of the account in one transaction (no run: first and last
  /// seen runs are left as they are). An update older than the stored row (upstream_updated_at) is
  /// `stale` and writes nothing; equal content is `unchanged`. `region`: the tenant's, for numbers.
  virtual Result<PushedWrite> upsert_pushed_execution(TenantId tenant_id, const std::string& account_id,
                                                      const core::UpstreamRecord& record,
                                                      const std::string& region, TimePoint now) = 0;

  // --- HubSpot events ---
  /// Queues events of one connection, skipping event ids it already has; past `max_pending`
  /// pending events of the tenant, the rest are dropped (counted in over_limit).
  virtual Result<EnqueueResult> enqueue_hubspot_events(TenantId tenant_id, ConnectionId connection_id,
                                                       const std::vector<HubspotEvent>& events,
                                                       int max_pending, TimePoint now) = 0;
  /// Connections with pending events, the longest-waiting first.
  virtual Result<std::vector<PendingConnection>> hubspot_pending_connections(int limit) = 0;
  /// The oldest pending events of one connection.
  virtual Result<std::vector<HubspotEvent>> pending_hubspot_events(TenantId tenant_id,
                                                                   ConnectionId connection_id,
                                                                   int limit) = 0;
  /// Marks events processed (by queue row id).
  virtual Status mark_hubspot_events(TenantId tenant_id, ConnectionId connection_id,
                                     const std::vector<std::int64_t>& ids, TimePoint now) = 0;
  /// Deletes processed events older than `before`; returns how many.
  virtual Result<int> prune_hubspot_events(TimePoint before) = 0;
};

}  // namespace tenantsync::store
