#pragma once
// Per-tenant live events (run progress, new counts, new leads) for the dashboard's
// server-sent event stream. In-process on SQLite; on PostgreSQL a relay (app/cluster_events)
// also hands each event to the other instances of the cluster, which deliver() it to their own
// streams, so a dashboard sees the runs every instance executes.
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/ids.hpp"

namespace tenantsync::sync {

/// Receives one event (name, JSON data); returns false once it no longer wants events.
using EventListener = std::function<bool(const std::string& name, const std::string& data_json)>;

class EventBus {
 public:
  /// Keeps a listener subscribed while held; destroying the last copy unsubscribes it.
  using Subscription = std::shared_ptr<void>;

  /// Starts delivering the tenant's events to `listener` until it returns false.
  void subscribe(TenantId tenant_id, EventListener listener);
  /// Like subscribe(), and also ends when the Subscription goes (an event stream that closed
  /// is then gone at once, not at the tenant's next event). The bus must outlive it.
  Subscription subscribe_scoped(TenantId tenant_id, EventListener listener);
  /// Receives every event published here, to pass it on to the other instances.
  using Relay =
      std::function<void(TenantId tenant_id, const std::string& name, const std::string& data_json)>;

  /// Delivers to this instance's listeners (deliver()), then hands the event to the relay.
  void publish(TenantId tenant_id, const std::string& name, const std::string& data_json);
  /// Delivers to every listener of the tenant, synchronously; drops those that refuse. For events
  /// another instance published (they are not relayed again).
  void deliver(TenantId tenant_id, const std::string& name, const std::string& data_json);
  /// Sets the relay; call before anything publishes (it is read without a lock).
  void set_relay(Relay relay) { relay_ = std::move(relay); }
  /// Listeners currently subscribed (all tenants), for /metrics and tests.
  std::size_t listener_count() const;

 private:
  Relay relay_;
  mutable std::mutex mutex_;
  std::unordered_map<TenantId, std::vector<std::shared_ptr<EventListener>>> listeners_;
};

/// The SSE wire form of one event: "event: <name>\ndata: <json>\n\n".
std::string format_sse(const std::string& name, const std::string& data_json);

}  // namespace tenantsync::sync
