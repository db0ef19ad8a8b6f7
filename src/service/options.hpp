#pragma once
// How long the use cases that start syncs wait for them, and what one tenant may hold.
#include <chrono>

namespace tenantsync::service {

struct WebhookOptions {
  int tenant_max_webhooks = 10;  ///< endpoints per tenant
  /// How long a delivery is retried before it is marked failed (also after a redelivery).
  std::chrono::milliseconds retry_window = std::chrono::hours(24);
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
};

}  // namespace tenantsync::service
