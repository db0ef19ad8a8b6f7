#pragma once
// Changes the upstreams push in: a Bolna execution POSTed to a tenant's call-webhook URL, and
// HubSpot's signed webhook batches. Each is checked (token or signature, size, shape, whose it
// is), then written (an execution at once, in one transaction) or queued durably (HubSpot events,
// applied by sync/hubspot_events). Polling stays and reconciles what a webhook missed.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "crypto/crypto.hpp"
#include "service/options.hpp"
#include "service/sync_runs.hpp"
#include "store/crm_connection_store.hpp"
#include "store/hook_store.hpp"
#include "store/settings_store.hpp"
#include "sync/event_bus.hpp"

namespace tenantsync::service {

/// What the webhooks did since start, for /metrics.
struct HookCounters {
  std::atomic<std::uint64_t> bolna_applied{0};       ///< executions created or updated
  std::atomic<std::uint64_t> bolna_unchanged{0};     ///< equal or older than the stored row
  std::atomic<std::uint64_t> bolna_unknown_token{0};
  std::atomic<std::uint64_t> bolna_rejected{0};      ///< another account's, unknown agent
  std::atomic<std::uint64_t> bolna_bad_body{0};      ///< too large, not JSON, no id
  std::atomic<std::uint64_t> hubspot_queued{0};
  std::atomic<std::uint64_t> hubspot_duplicates{0};  ///< event ids seen before
  std::atomic<std::uint64_t> hubspot_bad_signature{0};
  std::atomic<std::uint64_t> hubspot_bad_body{0};
  std::atomic<std::uint64_t> hubspot_unknown_portal{0};  ///< events of portals no tenant connected
  std::atomic<std::uint64_t> hubspot_over_limit{0};      ///< dropped past a tenant's queue limit
  std::atomic<std::uint64_t> hubspot_resyncs{0};         ///< syncs queued instead of events

  /// Prometheus text lines (tenantsync_webhook_events_total{source,outcome}).
  std::string render() const;
};

/// A Bolna webhook as the sender sees the answer.
struct BolnaReceipt {
  std::string execution_id;
  std::string outcome;  ///< created | updated | unchanged | stale
};

/// What a HubSpot webhook request did.
struct HubspotReceipt {
  int queued = 0;
  int duplicates = 0;
  int unknown_portal = 0;
  int over_limit = 0;
  int ignored = 0;  ///< subscriptions other than contact.*
};

/// The HubSpot signature headers of a request.
struct HubspotSignedRequest {
  std::string method;
  std::string target;  ///< path and query as received ("/hooks/hubspot?x=1")
  std::string body;
  std::string signature;  ///< X-HubSpot-Signature-v3
  std::string timestamp;  ///< X-HubSpot-Request-Timestamp (epoch ms)
  std::string host;       ///< the Host header, for the URI when no public URL is configured
};

class HookService {
 public:
  /// `events`: where an applied execution is told to the tenant's dashboards ("executions.changed");
  /// null: nowhere.
  HookService(store::HookStore& hooks, store::SettingsStore& settings, store::CrmConnectionStore& crm,
              const crypto::SecretBox& secrets, const Clock& clock, SyncRuns& syncs, HookOptions options,
              sync::EventBus* events = nullptr);

  /// The tenant's call-webhook URL (`<public url>/hooks/bolna/<token>`), its token made on first use.
  /// `host`: the request's Host header, used as `http://<host>` when no public URL is configured.
  Result<std::string> call_webhook_url(TenantId tenant_id, const std::string& host);
  /// A new token: the old URL stops working at once. Returns the new URL.
  Result<std::string> rotate_token(TenantId tenant_id, const std::string& host);
  /// Applies one execution payload POSTed to /hooks/bolna/{token}. Errors: not_found (unknown token),
  /// payload_too_large, malformed_json, validation_failed (no key saved, another account's call, an
  /// agent the tenant's mirror does not hold), the store's.
  Result<BolnaReceipt> receive_bolna(const std::string& token, const std::string& body);
  /// Verifies and queues a HubSpot webhook batch. Errors: not_found (no client secret configured),
  /// unauthorized (bad signature), payload_too_large, malformed_json, the store's.
  Result<HubspotReceipt> receive_hubspot(const HubspotSignedRequest& request);

  HookCounters& counters() { return counters_; }
  const HookOptions& options() const { return options_; }

 private:
  std::string base_url(const std::string& host) const;
  Status check_signature(const HubspotSignedRequest& request);

  store::HookStore& hooks_;
  store::SettingsStore& settings_;
  store::CrmConnectionStore& crm_;
  const crypto::SecretBox& secrets_;
  const Clock& clock_;
  SyncRuns& syncs_;
  HookOptions options_;
  sync::EventBus* events_;
  HookCounters counters_;
};

}  // namespace tenantsync::service
