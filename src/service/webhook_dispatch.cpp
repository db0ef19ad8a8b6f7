#include "service/webhook_dispatch.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "core/log_text.hpp"
#include "core/time_format.hpp"
#include "crypto/webhook_signature.hpp"
#include "service/webhook_events.hpp"

namespace tenantsync::service {

WebhookDispatcher::WebhookDispatcher(store::WebhookStore& webhooks, store::ChangeFeedStore& feed,
                                     const crypto::SecretBox& secrets, upstream::HttpClient& http,
                                     const Clock& clock, core::RandomSource& random, DispatchOptions options)
    : webhooks_(webhooks),
      feed_(feed),
      secrets_(secrets),
      http_(http),
      clock_(clock),
      random_(random),
      options_(std::move(options)) {}

nlohmann::json WebhookDispatcher::change_json(const store::Change& change) {
  nlohmann::json object{{"kind", change.object_kind}, {"id", change.object_id}};
  object["upstream_id"] =
      change.upstream_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(change.upstream_id);
  // What the entry knows besides the ids: a lead's source, a mirror row's status, a run's state.
  const char* detail = change.object_kind == "lead"  ? "source"
                       : change.object_kind == "run" ? "state"
                                                     : "status";
  object[detail] = change.detail.empty() ? nlohmann::json(nullptr) : nlohmann::json(change.detail);
  // A merged lead came from the CRM; its entry's detail is the contact it was merged into.
  if (change.type == "lead.merged") {
    object["source"] = "crm";
    object["merged_into"] = change.detail;
  }
  return {{"seq", change.seq},
          {"type", change.type},
          {"occurred_at", format_iso8601(from_epoch_ms(change.occurred_at_ms))},
          {"object", std::move(object)}};
}

std::string WebhookDispatcher::render_body(const store::Change& change, const std::string& delivery_key) {
  const nlohmann::json fields = change_json(change);
  nlohmann::ordered_json body{{"id", delivery_key}};
  for (const auto& [key, value] : fields.items()) body[key] = value;
  return body.dump();
}

Result<int> WebhookDispatcher::fan_out() {
  auto endpoints = webhooks_.endpoints_behind_feed(options_.fan_out_endpoints);
  if (!endpoints.ok()) return endpoints.error();
  for (const store::WebhookEndpoint& endpoint : *endpoints) {
    store::ChangeQuery query;
    query.after_seq = endpoint.enqueued_seq;
    query.limit = options_.fan_out_changes;
    auto changes = feed_.list_changes(endpoint.tenant_id, query);
    if (!changes.ok()) return changes.error();
    if (changes->empty()) continue;
    const auto patterns = split_patterns(endpoint.events);
    std::vector<store::NewDelivery> deliveries;
    for (const store::Change& change : *changes) {
      if (!matches_any(patterns, change.type)) continue;
      const std::string key = "dlv_" + crypto::random_hex(16);
      deliveries.push_back({change.seq, key, change.type, render_body(change, key)});
    }
    const TimePoint now = clock_.now();
    Status enqueued = webhooks_.enqueue_deliveries(endpoint.id, deliveries, changes->back().seq,
                                                   now + options_.retry_window, now);
    if (!enqueued.ok()) return enqueued.error();
  }
  return static_cast<int>(endpoints->size());
}

store::AttemptOutcome WebhookDispatcher::attempt(const store::WebhookEndpoint& endpoint,
                                                 const store::WebhookDelivery& delivery,
                                                 const std::string& secret) {
  upstream::HttpRequest request;
  request.method = "POST";
  request.url = endpoint.url;
  request.body = delivery.body;
  request.timeout = options_.request_timeout;
  request.idempotent = false;  // retried here, on the delivery's own schedule, not by the transport
  const std::int64_t unix_seconds = to_epoch_ms(clock_.now()) / 1000;
  request.headers = {
      {"Content-Type", "application/json"},
      {"X-Tenantsync-Signature", crypto::webhook_signature(secret, unix_seconds, delivery.body)},
      {"X-Tenantsync-Delivery", delivery.delivery_key},
      {"X-Tenantsync-Event", delivery.type}};
  auto response = http_.send(request);
  const TimePoint now = clock_.now();
  store::AttemptOutcome outcome;
  if (response.ok() && response->status >= 200 && response->status < 300) {
    outcome.state = store::DeliveryState::succeeded;
    outcome.status = response->status;
    outcome.next_attempt_at = now;
    return outcome;
  }
  if (response.ok()) {
    outcome.status = response->status;
    outcome.error = "the receiver answered " + std::to_string(response->status);
  } else {
    outcome.error = response.error().message.substr(0, 300);
  }
  // Equal jitter: half the ceiling, plus up to the other half at random, so retries of many
  // endpoints spread out but none comes back at once.
  const Millis ceiling = options_.backoff.ceiling(delivery.attempts);
  const Millis wait =
      ceiling / 2 +
      Millis(static_cast<std::int64_t>(random_.next_unit() * static_cast<double>(ceiling.count() / 2)));
  outcome.next_attempt_at = now + wait;
  outcome.state = to_epoch_ms(outcome.next_attempt_at) > delivery.retry_until_ms
                      ? store::DeliveryState::failed
                      : store::DeliveryState::pending;
  return outcome;
}

Result<bool> WebhookDispatcher::deliver_next() {
  auto claimed = webhooks_.claim_webhook(options_.owner, options_.lease, clock_.now());
  if (!claimed.ok()) return claimed.error();
  if (!claimed->has_value()) return false;
  const store::WebhookEndpoint& endpoint = **claimed;
  const TimePoint claimed_at = clock_.now();
  auto secret = secrets_.open(endpoint.secret_cipher);
  auto pending = webhooks_.pending_deliveries(endpoint.id, options_.send_batch);
  Status result;
  // Outcomes are recorded together (one transaction per batch, not per delivery): the queue moves
  // at the receiver's pace, not the database's. A crash before the record sends them again, with
  // the same delivery ids.
  std::vector<store::AttemptRecord> outcomes;
  if (!pending.ok()) {
    result = pending.error();
  } else {
    for (const store::WebhookDelivery& delivery : *pending) {
      if (delivery.next_attempt_at_ms > to_epoch_ms(clock_.now())) break;  // waiting for its retry
      if (clock_.now() - claimed_at > options_.lease / 2) break;           // record before the lease ends
      store::AttemptOutcome outcome;
      if (secret.ok()) {
        outcome = attempt(endpoint, delivery, *secret);
      } else {
        // The key that sealed the secret is gone from the ring: nothing can be signed; the
        // deliveries wait (and fail at the end of their window) until the secret is rotated.
        outcome.error = "the webhook's secret cannot be read; rotate it";
        outcome.next_attempt_at = clock_.now() + options_.backoff.cap;
        outcome.state = to_epoch_ms(outcome.next_attempt_at) > delivery.retry_until_ms
                            ? store::DeliveryState::failed
                            : store::DeliveryState::pending;
      }
      if (outcome.state != store::DeliveryState::succeeded) {
        spdlog::info("event=webhook_attempt_failed tenant={} webhook={} delivery={} seq={} state={} error={}",
                     endpoint.tenant_id.value(), endpoint.id.value(), delivery.id.value(),
                     delivery.change_seq, store::to_string(outcome.state), core::log_value(outcome.error));
      }
      outcomes.push_back({delivery.id, outcome});
      // A failed (given up) delivery no longer holds the queue; a pending one waits for its retry.
      if (outcome.state == store::DeliveryState::pending) break;
    }
  }
  if (!outcomes.empty()) {
    Status recorded =
        webhooks_.record_attempts(endpoint.id, options_.owner, outcomes, options_.lease, clock_.now());
    if (!recorded.ok() && result.ok()) result = recorded;
  }
  Status released = webhooks_.release_webhook(endpoint.id, options_.owner, clock_.now());
  if (!result.ok() && !result.error().is(core::ErrorCode::conflict)) return result.error();
  if (!released.ok()) return released.error();
  return true;
}

Result<std::int64_t> WebhookDispatcher::prune(std::chrono::milliseconds retention) {
  return feed_.prune_changes(clock_.now() - retention);
}

}  // namespace tenantsync::service
