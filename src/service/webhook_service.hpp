#pragma once
// A tenant's outbound webhooks: create (the secret is shown once), list, change, delete, rotate
// the secret, the delivery log and redelivery. A URL passes the outbound-address rules of every
// upstream call (upstream/outbound_policy) before it is saved; the transport checks the address
// again at every connection.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "crypto/crypto.hpp"
#include "service/options.hpp"
#include "store/webhook_store.hpp"
#include "upstream/outbound_policy.hpp"

namespace tenantsync::service {

/// An endpoint with its secret in clear: the answer of create and rotate, the only times it is shown.
struct WebhookWithSecret {
  store::WebhookEndpoint endpoint;
  std::string secret;
};

/// A change to an endpoint; unset fields stay.
struct WebhookChange {
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> events;
  std::optional<bool> active;
};

class WebhookService {
 public:
  WebhookService(store::WebhookStore& webhooks, const crypto::SecretBox& secrets,
                 const upstream::OutboundPolicy& policy, const Clock& clock, WebhookOptions options);

  /// validation_failed (URL, events), forbidden_upstream (a private address without the
  /// operator's allowance), limit_exceeded (the tenant's endpoints).
  Result<WebhookWithSecret> create(TenantId tenant_id, const std::string& url,
                                   const std::vector<std::string>& events);
  Result<std::vector<store::WebhookEndpoint>> list(TenantId tenant_id);
  Result<store::WebhookEndpoint> update(TenantId tenant_id, store::WebhookId id, const WebhookChange& change);
  Status remove(TenantId tenant_id, store::WebhookId id);
  /// A new secret; deliveries sent from now on are signed with it.
  Result<WebhookWithSecret> rotate_secret(TenantId tenant_id, store::WebhookId id);
  /// The endpoint's deliveries, newest first; not_found when the endpoint is not the tenant's.
  Result<std::vector<store::WebhookDelivery>> deliveries(TenantId tenant_id, store::WebhookId id, int limit,
                                                         std::optional<store::DeliveryId> before);
  Result<store::WebhookDelivery> redeliver(TenantId tenant_id, store::WebhookId id,
                                           store::DeliveryId delivery);

 private:
  Result<store::WebhookEndpoint> find(TenantId tenant_id, store::WebhookId id);
  Result<std::string> checked_url(const std::string& url) const;

  store::WebhookStore& webhooks_;
  const crypto::SecretBox& secrets_;
  upstream::OutboundPolicy policy_;
  const Clock& clock_;
  WebhookOptions options_;
};

}  // namespace tenantsync::service
