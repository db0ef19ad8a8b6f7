#include "app/webhook_delivery.hpp"

#include <spdlog/spdlog.h>

#include "core/log_text.hpp"

namespace tenantsync::app {

WebhookDelivery::WebhookDelivery(store::WebhookStore& webhooks, store::ChangeFeedStore& feed,
                                 const crypto::SecretBox& secrets, const Clock& clock,
                                 WebhookDeliveryOptions options)
    : options_(std::move(options)),
      clock_(clock),
      http_(upstream::CurlOptions{
          .connect_timeout = std::min(options_.dispatch.request_timeout, std::chrono::milliseconds(5'000)),
          .default_timeout = options_.dispatch.request_timeout,
          // A receiver's answer is only read for its status.
          .max_body_bytes = 64u * 1024u,
          .max_idle_handles = static_cast<std::size_t>(options_.workers),
          .user_agent = "tenantsync-webhooks/0.1",
          .allow_private_upstreams = options_.allow_private}),
      dispatcher_(webhooks, feed, secrets, http_, clock, random_, options_.dispatch) {}

WebhookDelivery::~WebhookDelivery() { stop(); }

void WebhookDelivery::start() {
  threads_.emplace_back([this] { fan_out_loop(); });
  for (int i = 0; i < options_.workers; ++i) threads_.emplace_back([this] { worker_loop(); });
}

void WebhookDelivery::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

bool WebhookDelivery::wait(std::chrono::milliseconds d) {
  std::unique_lock lock(mutex_);
  const std::uint64_t seen = generation_;
  wake_.wait_for(lock, d, [&] { return stopping_ || generation_ != seen; });
  return !stopping_;
}

void WebhookDelivery::fan_out_loop() {
  TimePoint next_prune = clock_.now();
  for (;;) {
    bool more = false;
    auto fanned = dispatcher_.fan_out();
    if (!fanned.ok()) {
      spdlog::error("event=webhook_fan_out_failed message={}", core::log_value(fanned.error().message));
    } else if (*fanned > 0) {
      {
        std::lock_guard lock(mutex_);
        ++generation_;
      }
      wake_.notify_all();
      more = *fanned == options_.dispatch.fan_out_endpoints;  // more endpoints behind: no pause
    }
    if (clock_.now() >= next_prune) {
      next_prune = clock_.now() + options_.prune_interval;
      auto pruned = dispatcher_.prune(options_.retention);
      if (!pruned.ok()) {
        spdlog::error("event=changes_prune_failed message={}", core::log_value(pruned.error().message));
      } else if (*pruned > 0) {
        spdlog::info("event=changes_pruned removed={}", *pruned);
      }
    }
    if (!wait(more ? std::chrono::milliseconds(0) : options_.poll_interval)) return;
  }
}

void WebhookDelivery::worker_loop() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    auto sent = dispatcher_.deliver_next();
    if (!sent.ok()) {
      spdlog::error("event=webhook_delivery_failed message={}", core::log_value(sent.error().message));
    } else if (*sent) {
      continue;  // another endpoint may be due
    }
    if (!wait(options_.poll_interval)) return;
  }
}

}  // namespace tenantsync::app
