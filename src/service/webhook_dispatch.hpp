#pragma once
// Sending the change feed to webhooks, one step at a time (the threads that repeat the steps are
// app/webhook_delivery's):
//  - fan_out: new feed entries become deliveries of the endpoints whose events they match, each
//    with its body rendered once (so a retry or a redelivery sends the same bytes) and an
//    idempotency key;
//  - deliver_next: leases one endpoint whose oldest pending delivery is due and sends its
//    deliveries in order of seq, one at a time, until one fails (it is retried with exponential
//    backoff and jitter until the retry window ends, then marked failed) or the batch ends;
//  - prune: removes feed entries and finished deliveries past the retention.
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "core/backoff.hpp"
#include "core/clock.hpp"
#include "core/random_source.hpp"
#include "core/result.hpp"
#include "crypto/crypto.hpp"
#include "store/change_feed_store.hpp"
#include "store/webhook_store.hpp"
#include "upstream/http_client.hpp"

namespace tenantsync::service {

struct DispatchOptions {
  std::string owner = "tenantsync";  ///< this instance, in endpoint leases
  /// An endpoint unrenewed this long is another instance's to take (renewed at every attempt).
  std::chrono::milliseconds lease = std::chrono::seconds(60);
  std::chrono::milliseconds request_timeout = std::chrono::seconds(10);  ///< one delivery attempt
  core::BackoffPolicy backoff{std::chrono::seconds(5), std::chrono::hours(1)};
  std::chrono::milliseconds retry_window = std::chrono::hours(24);
  int fan_out_endpoints = 100;  ///< endpoints one fan-out round serves
  int fan_out_changes = 500;    ///< feed entries one round reads per endpoint
  int send_batch = 100;         ///< deliveries sent under one claim before the endpoint is released
};

class WebhookDispatcher {
 public:
  WebhookDispatcher(store::WebhookStore& webhooks, store::ChangeFeedStore& feed,
                    const crypto::SecretBox& secrets, upstream::HttpClient& http, const Clock& clock,
                    core::RandomSource& random, DispatchOptions options);

  /// Turns new feed entries into deliveries; returns how many endpoints had new entries.
  Result<int> fan_out();
  /// Sends the due deliveries of one endpoint; false when no endpoint was due.
  Result<bool> deliver_next();
  /// Removes feed entries and finished deliveries older than `retention`; returns how many.
  Result<std::int64_t> prune(std::chrono::milliseconds retention);

  /// A feed entry as the API and the webhooks show it (docs/api.md, "The change feed").
  static nlohmann::json change_json(const store::Change& change);
  /// The body of a change's delivery: change_json with the delivery's id first.
  static std::string render_body(const store::Change& change, const std::string& delivery_key);

 private:
  store::AttemptOutcome attempt(const store::WebhookEndpoint& endpoint,
                                const store::WebhookDelivery& delivery, const std::string& secret);

  store::WebhookStore& webhooks_;
  store::ChangeFeedStore& feed_;
  const crypto::SecretBox& secrets_;
  upstream::HttpClient& http_;
  const Clock& clock_;
  core::RandomSource& random_;
  DispatchOptions options_;
};

}  // namespace tenantsync::service
