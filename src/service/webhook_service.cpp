#include "service/webhook_service.hpp"

#include "crypto/webhook_signature.hpp"
#include "service/webhook_events.hpp"

namespace tenantsync::service {

WebhookService::WebhookService(store::WebhookStore& webhooks, const crypto::SecretBox& secrets,
                               const upstream::OutboundPolicy& policy, const Clock& clock,
                               WebhookOptions options)
    : webhooks_(webhooks), secrets_(secrets), policy_(policy), clock_(clock), options_(options) {}

Result<std::string> WebhookService::checked_url(const std::string& url) const {
  if (url.size() > 2048) {
    return make_error(core::ErrorCode::validation_failed,
                      "The field \"url\" must be at most 2048 characters.");
  }
  // The same rules as a base URL a tenant gives for an upstream: https, no literal private
  // address, no user info, query or tricks (upstream/base_url.hpp).
  return upstream::check_base_url(url, "url", policy_);
}

Result<WebhookWithSecret> WebhookService::create(TenantId tenant_id, const std::string& url,
                                                 const std::vector<std::string>& events) {
  auto checked = checked_url(url);
  if (!checked.ok()) return checked.error();
  auto patterns = parse_event_patterns(events, "events");
  if (!patterns.ok()) return patterns.error();
  auto existing = webhooks_.list_webhooks(tenant_id);
  if (!existing.ok()) return existing.error();
  if (static_cast<int>(existing->size()) >= options_.tenant_max_webhooks) {
    return make_error(core::ErrorCode::limit_exceeded, "Limit webhooks reached: this tenant already has " +
                                                           std::to_string(options_.tenant_max_webhooks) +
                                                           " webhooks; delete one first.");
  }
  const std::string secret = crypto::new_webhook_secret();
  store::WebhookEndpoint endpoint;
  endpoint.tenant_id = tenant_id;
  endpoint.url = *checked;
  endpoint.events = join_patterns(*patterns);
  endpoint.secret_cipher = secrets_.seal(secret);
  auto created = webhooks_.create_webhook(endpoint, clock_.now());
  if (!created.ok()) return created.error();
  return WebhookWithSecret{*created, secret};
}

Result<std::vector<store::WebhookEndpoint>> WebhookService::list(TenantId tenant_id) {
  return webhooks_.list_webhooks(tenant_id);
}

Result<store::WebhookEndpoint> WebhookService::find(TenantId tenant_id, store::WebhookId id) {
  auto found = webhooks_.find_webhook(tenant_id, id);
  if (!found.ok()) return found.error();
  if (!found->has_value()) {
    return make_error(core::ErrorCode::not_found,
                      "Webhook " + std::to_string(id.value()) + " does not exist.");
  }
  return **found;
}

Result<store::WebhookEndpoint> WebhookService::update(TenantId tenant_id, store::WebhookId id,
                                                      const WebhookChange& change) {
  auto endpoint = find(tenant_id, id);
  if (!endpoint.ok()) return endpoint.error();
  if (change.url) {
    auto checked = checked_url(*change.url);
    if (!checked.ok()) return checked.error();
    endpoint->url = *checked;
  }
  if (change.events) {
    auto patterns = parse_event_patterns(*change.events, "events");
    if (!patterns.ok()) return patterns.error();
    endpoint->events = join_patterns(*patterns);
  }
  if (change.active) endpoint->active = *change.active;
  return webhooks_.update_webhook(*endpoint, clock_.now());
}

Status WebhookService::remove(TenantId tenant_id, store::WebhookId id) {
  Status removed = webhooks_.delete_webhook(tenant_id, id);
  if (!removed.ok() && removed.error().is(core::ErrorCode::not_found)) {
    return make_error(core::ErrorCode::not_found,
                      "Webhook " + std::to_string(id.value()) + " does not exist.");
  }
  return removed;
}

Result<WebhookWithSecret> WebhookService::rotate_secret(TenantId tenant_id, store::WebhookId id) {
  auto endpoint = find(tenant_id, id);
  if (!endpoint.ok()) return endpoint.error();
  const std::string secret = crypto::new_webhook_secret();
  endpoint->secret_cipher = secrets_.seal(secret);
  auto updated = webhooks_.update_webhook(*endpoint, clock_.now());
  if (!updated.ok()) return updated.error();
  return WebhookWithSecret{*updated, secret};
}

Result<std::vector<store::WebhookDelivery>> WebhookService::deliveries(
    TenantId tenant_id, store::WebhookId id, int limit, std::optional<store::DeliveryId> before) {
  auto endpoint = find(tenant_id, id);
  if (!endpoint.ok()) return endpoint.error();
  return webhooks_.list_deliveries(tenant_id, id, limit, before);
}

Result<store::WebhookDelivery> WebhookService::redeliver(TenantId tenant_id, store::WebhookId id,
                                                         store::DeliveryId delivery) {
  const TimePoint now = clock_.now();
  auto again = webhooks_.redeliver(tenant_id, id, delivery, now + options_.retry_window, now);
  if (!again.ok() && again.error().is(core::ErrorCode::not_found)) {
    return make_error(core::ErrorCode::not_found, "Delivery " + std::to_string(delivery.value()) +
                                                      " of webhook " + std::to_string(id.value()) +
                                                      " does not exist.");
  }
  return again;
}

}  // namespace tenantsync::service
