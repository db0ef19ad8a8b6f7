#pragma once
// Webhook sending for the simulated upstreams (bolna_webhooks.cpp, hubspot_webhooks.cpp): timer
// threads that run scheduled steps (a call moving to its next status) and POST their deliveries
// over plain HTTP/1.1 to loopback addresses only (127.0.0.0/8, ::1, localhost): the simulator
// never sends anywhere else, whatever URL a test or a tenant set. Several senders, as the real
// upstreams send from many workers: one slow answer does not hold every other webhook back, so
// a latency measured through them is the receiver's, not a queue in the simulator.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace tenantsync::sim {

struct WebhookDelivery {
  std::string url;  ///< http://<loopback host>:<port>/<path>
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int attempts = 1;  ///< tries until a 2xx, each one second after the last failure
};

/// What a POST to a loopback URL answered: the status, or -1 when it could not be sent
/// (connection refused, timeout, a URL that is not loopback http).
int post_loopback(const WebhookDelivery& delivery, std::chrono::milliseconds timeout);

/// Whether `url` is http:// on a loopback host, so post_loopback may send to it.
bool is_loopback_http_url(const std::string& url);

class WebhookSender {
 public:
  /// A step run on the sender's thread at its time; it returns what to send.
  using Step = std::function<std::vector<WebhookDelivery>()>;

  WebhookSender();
  ~WebhookSender();
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  /// Runs `step` after `delay`, then sends its deliveries in order.
  void schedule(std::chrono::milliseconds delay, Step step);
  /// Sends `delivery` after `delay`.
  void send(std::chrono::milliseconds delay, WebhookDelivery delivery);
  /// Drops everything scheduled (a reset).
  void clear();

  struct Totals {
    std::uint64_t sent = 0;    ///< answered 2xx
    std::uint64_t failed = 0;  ///< gave up after every attempt
    std::uint64_t pending = 0;
  };
  Totals totals() const;

 private:
  void loop();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::multimap<std::chrono::steady_clock::time_point, Step> due_;
  static constexpr int kSenders = 8;
  bool stopping_ = false;
  Totals totals_;
  std::uint64_t in_flight_ = 0;  ///< steps taken off due_ whose deliveries are being sent
  std::vector<std::thread> threads_;
};

}  // namespace tenantsync::sim
