#pragma once
// How long the use cases that start syncs wait for them, and what one tenant may hold.
#include <chrono>
#include <cstddef>
#include <string>

namespace tenantsync::service {

struct WebhookOptions {
  int tenant_max_webhooks = 10;  ///< endpoints per tenant
  /// How long a delivery is retried before it is marked failed (also after a redelivery).
  std::chrono::milliseconds retry_window = std::chrono::hours(24);
};

struct HookOptions {
  /// Where tenantsync is reached from outside (TENANTSYNC_PUBLIC_URL), e.g. "https://sync.example.com":
  /// the call-webhook URL starts with it, and HubSpot signs the full URI it POSTed to.
  std::string public_url;
  /// The HubSpot app's client secret (TENANTSYNC_HUBSPOT_CLIENT_SECRET); empty: POST /hooks/hubspot is off.
  std::string hubspot_client_secret;
  /// HubSpot's timestamps older than this (or as far in the future) are refused.
  std::chrono::milliseconds signature_window{std::chrono::minutes(5)};
  /// Largest webhook body read (Bolna execution, HubSpot batch).
  std::size_t max_body_bytes = 256 * 1024;
  /// Pending HubSpot events one tenant may have queued; past it events are dropped and a sync of
  /// the connection is queued instead.
  int tenant_max_pending_events = 10'000;
};

struct UseCaseOptions {
  /// How long a sync request (the ↻ button, Refresh CRM, a confirmation, the cron endpoint)
  /// waits for its runs before answering with them still running.
  std::chrono::milliseconds sync_wait = std::chrono::seconds(60);
  /// How long saving a new key waits for the sync it starts (the counts are then right in its
  /// answer; a slower sync goes on and reports over /api/events).
  std::chrono::milliseconds key_change_wait = std::chrono::seconds(5);
  /// Active CRM connections one tenant may have (each is synced on every CRM tick).
  int tenant_max_crm_connections = 10;
  WebhookOptions webhooks{};
  /// Webhooks in (service/hook_service.hpp).
  HookOptions hooks{};
};

}  // namespace tenantsync::service
