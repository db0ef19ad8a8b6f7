#pragma once
// The threads that send the change feed to webhooks, apart from the sync workers and the request
// threads, so a slow or failing receiver never slows a sync or a request: one thread fans new
// feed entries out into deliveries and prunes old ones; `workers` threads each lease one endpoint
// at a time and send its deliveries in order (per endpoint concurrency 1, cluster-wide, through
// the lease). Each attempt is bounded by the request timeout, so a receiver holds a worker for at
// most that long per attempt. The transport is its own libcurl client under the outbound-address
// rules of every upstream call.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/random_source.hpp"
#include "service/webhook_dispatch.hpp"
#include "upstream/http_client.hpp"

namespace tenantsync::app {

struct WebhookDeliveryOptions {
  service::DispatchOptions dispatch;
  int workers = 4;
  /// How often the feed is checked for new entries and the workers for due deliveries when idle.
  std::chrono::milliseconds poll_interval{100};
  std::chrono::milliseconds retention = std::chrono::hours(24 * 90);  ///< TENANTSYNC_CHANGES_RETENTION
  std::chrono::milliseconds prune_interval = std::chrono::hours(1);
  bool allow_private = false;  ///< TENANTSYNC_ALLOW_PRIVATE_UPSTREAMS
};

class WebhookDelivery {
 public:
  WebhookDelivery(store::WebhookStore& webhooks, store::ChangeFeedStore& feed,
                  const crypto::SecretBox& secrets, const Clock& clock, WebhookDeliveryOptions options);
  ~WebhookDelivery();
  WebhookDelivery(const WebhookDelivery&) = delete;
  WebhookDelivery& operator=(const WebhookDelivery&) = delete;

  void start();
  /// Stops the threads; an attempt in flight ends within the request timeout.
  void stop();

 private:
  void fan_out_loop();
  void worker_loop();
  /// Waits up to `d` or until stopped or woken; false once stopped.
  bool wait(std::chrono::milliseconds d);

  WebhookDeliveryOptions options_;
  const Clock& clock_;
  upstream::CurlHttpClient http_;
  core::SystemRandomSource random_;
  service::WebhookDispatcher dispatcher_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::uint64_t generation_ = 0;  ///< bumped when the fan-out added work, to wake idle workers
  std::vector<std::thread> threads_;
};

}  // namespace tenantsync::app
