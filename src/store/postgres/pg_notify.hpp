#pragma once
// A PostgreSQL LISTEN/NOTIFY channel shared by every instance on one database: what one instance
// sends, every other instance receives. It carries the live events of runs across a cluster
// (src/app/cluster_events.hpp gives the payloads their meaning; this file only moves text).
//
// One connection of its own (not the pool's: a LISTEN belongs to a session) and one thread that
// both sends (SELECT pg_notify) and receives on it. A notification carries the sender's backend
// process id, so the thread drops the ones it sent itself: the sender already delivered them
// locally. When the connection breaks (a database restart, pg_terminate_backend) the thread
// reconnects with a growing back-off and LISTENs again; what is sent while it is down is dropped
// (live events are a hint: the dashboard re-reads the store).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace tenantsync::store::postgres {

struct NotifyOptions {
  std::string channel = "tenantsync_events";
  std::chrono::milliseconds min_backoff{250};
  std::chrono::milliseconds max_backoff{5'000};
  std::size_t max_queued = 1'000;  ///< payloads waiting to be sent; past it the oldest is dropped
  int connect_timeout_s = 5;
  /// Told when the channel starts or stops listening (false: with the reason), for the log.
  std::function<void(bool listening, const std::string& why)> on_state;
};

/// PostgreSQL refuses a NOTIFY payload of 8000 bytes or more.
constexpr std::size_t kMaxNotifyPayload = 7'999;

class PgNotifyChannel {
 public:
  /// Called on the channel's thread with each payload another session sent.
  using Receiver = std::function<void(const std::string& payload)>;

  PgNotifyChannel(std::string url, Receiver receiver, NotifyOptions options = {});
  ~PgNotifyChannel();
  PgNotifyChannel(const PgNotifyChannel&) = delete;
  PgNotifyChannel& operator=(const PgNotifyChannel&) = delete;

  /// Starts the thread (connects, LISTENs, reconnects until stop()).
  void start();
  void stop();
  /// Queues a payload for the other sessions; false when it is too long (kMaxNotifyPayload).
  bool send(std::string payload);
  /// True while the connection is up and LISTENing.
  bool listening() const { return listening_; }
  /// Connections made so far (the first included): a reconnect adds one.
  std::uint64_t connections() const { return connections_; }
  /// Payloads dropped: queue full, or sent while the connection was down.
  std::uint64_t dropped() const { return dropped_; }
  /// The server process of the current connection (0 while down), for tests and diagnostics.
  int backend_pid() const { return backend_pid_; }

 private:
  void run();
  /// Listens and sends on one connection until it breaks or stop(); true when it had connected.
  bool session();
  void wake();

  std::string url_;
  Receiver receiver_;
  NotifyOptions options_;
  std::mutex mutex_;
  std::condition_variable stop_cv_;
  std::deque<std::string> outbox_;  // guarded by mutex_
  bool stopping_ = false;           // guarded by mutex_
  int wake_fd_ = -1;                // eventfd: wakes the thread's poll() for send() and stop()
  std::atomic<bool> listening_{false};
  std::atomic<int> backend_pid_{0};
  std::atomic<std::uint64_t> connections_{0};
  std::atomic<std::uint64_t> dropped_{0};
  std::thread thread_;
};

}  // namespace tenantsync::store::postgres
