#pragma once
// Outbound webhooks: a tenant's endpoints (URL, the change types it wants, its sealed secret)
// and the deliveries of the change feed to them. The API's side (a tenant's CRUD, the delivery
// log) filters on the tenant; the delivery worker's side serves every tenant and claims an
// endpoint with a lease, so in a cluster one instance sends to an endpoint at a time.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/strong_typedef.hpp"

namespace tenantsync::store {

using WebhookId = StrongTypedef<struct WebhookIdTag, std::int64_t>;
using DeliveryId = StrongTypedef<struct DeliveryIdTag, std::int64_t>;

struct WebhookEndpoint {
  WebhookId id{0};
  TenantId tenant_id{0};
  std::string url;
  std::string events;  ///< comma-separated patterns: "*", "lead.*", "execution.updated"
  std::string secret_cipher;
  bool active = true;
  std::int64_t enqueued_seq = 0;  ///< the feed up to here has its deliveries
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
};

enum class DeliveryState { pending, succeeded, failed };
const char* to_string(DeliveryState state);

struct WebhookDelivery {
  DeliveryId id{0};
  TenantId tenant_id{0};
  WebhookId endpoint_id{0};
  std::int64_t change_seq = 0;
  std::string delivery_key;  ///< X-Tenantsync-Delivery
  std::string type;
  std::string body;  ///< the JSON sent
  DeliveryState state = DeliveryState::pending;
  int attempts = 0;
  std::int64_t next_attempt_at_ms = 0;
  std::int64_t retry_until_ms = 0;
  std::optional<std::int64_t> last_status;
  std::string last_error;
  std::int64_t created_at_ms = 0;
  std::optional<std::int64_t> delivered_at_ms;
};

/// A delivery to add when the feed is fanned out to an endpoint.
struct NewDelivery {
  std::int64_t change_seq = 0;
  std::string delivery_key;
  std::string type;
  std::string body;
};

/// What one attempt came to.
struct AttemptOutcome {
  DeliveryState state = DeliveryState::pending;  ///< pending: try again at next_attempt_at
  std::optional<std::int64_t> status;            ///< the receiver's HTTP status, if it answered
  std::string error;                             ///< why it failed (empty on success)
  TimePoint next_attempt_at{};
};

/// An attempt of one delivery, as recorded.
struct AttemptRecord {
  DeliveryId delivery{0};
  AttemptOutcome outcome;
};

class WebhookStore {
 public:
  virtual ~WebhookStore() = default;

  // --- a tenant's endpoints ---
  /// Adds an endpoint; it receives the changes committed after it was made.
  virtual Result<WebhookEndpoint> create_webhook(const WebhookEndpoint& endpoint, TimePoint now) = 0;
  virtual Result<std::vector<WebhookEndpoint>> list_webhooks(TenantId tenant_id) = 0;
  virtual Result<std::optional<WebhookEndpoint>> find_webhook(TenantId tenant_id, WebhookId id) = 0;
  /// Sets url, events, active and secret_cipher of the tenant's endpoint `endpoint.id`; not_found.
  virtual Result<WebhookEndpoint> update_webhook(const WebhookEndpoint& endpoint, TimePoint now) = 0;
  /// Deletes the endpoint and its deliveries; not_found.
  virtual Status delete_webhook(TenantId tenant_id, WebhookId id) = 0;
  /// An endpoint's deliveries, newest first, with ids below `before` when set.
  virtual Result<std::vector<WebhookDelivery>> list_deliveries(TenantId tenant_id, WebhookId id, int limit,
                                                               std::optional<DeliveryId> before) = 0;
  /// Sends a delivery again: pending again, due now, retried until `retry_until`; not_found.
  virtual Result<WebhookDelivery> redeliver(TenantId tenant_id, WebhookId id, DeliveryId delivery,
                                            TimePoint retry_until, TimePoint now) = 0;

  // --- the delivery worker (every tenant) ---
  /// Active endpoints whose tenant's feed has entries past their enqueued_seq, at most `limit`.
  virtual Result<std::vector<WebhookEndpoint>> endpoints_behind_feed(int limit) = 0;
  /// Adds deliveries (a seq already delivered to the endpoint is skipped) and moves the
  /// endpoint's enqueued_seq up to `up_to_seq`, in one transaction.
  virtual Status enqueue_deliveries(WebhookId id, const std::vector<NewDelivery>& deliveries,
                                    std::int64_t up_to_seq, TimePoint retry_until, TimePoint now) = 0;
  /// Leases an active endpoint whose oldest pending delivery is due and which no live lease
  /// holds; nullopt when there is none.
  virtual Result<std::optional<WebhookEndpoint>> claim_webhook(const std::string& owner,
                                                               std::chrono::milliseconds lease,
                                                               TimePoint now) = 0;
  /// The endpoint's pending deliveries in order of seq, at most `limit`.
  virtual Result<std::vector<WebhookDelivery>> pending_deliveries(WebhookId id, int limit) = 0;
  /// Records attempts (one transaction) and renews the owner's lease on the endpoint; conflict
  /// when the lease was lost.
  virtual Status record_attempts(WebhookId id, const std::string& owner,
                                 const std::vector<AttemptRecord>& attempts, std::chrono::milliseconds lease,
                                 TimePoint now) = 0;
  /// Ends the owner's lease on the endpoint.
  virtual Status release_webhook(WebhookId id, const std::string& owner, TimePoint now) = 0;
};

}  // namespace tenantsync::store
