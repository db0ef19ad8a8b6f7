#pragma once
// Live events across the instances of a cluster (PostgreSQL only): every event an instance's
// EventBus publishes is also sent with NOTIFY on one channel, and every instance delivers what
// the others send to its own event streams (GET /api/events). SQLite has one instance, so its
// bus stays in-process.
//
// The payload carries the event itself, {"t": tenant, "n": name, "d": data}: events are small
// (a run's progress is ~200 bytes), so a listener needs no store read to forward one. An event
// whose payload would reach PostgreSQL's 8000-byte limit is sent cut down to its identifying
// fields with "truncated": true; the dashboard re-reads the run and the summary on any event.
// An instance does not receive its own notifications (store/postgres/pg_notify.hpp), so each
// event reaches each stream once.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/ids.hpp"
#include "store/postgres/pg_notify.hpp"
#include "sync/event_bus.hpp"

namespace tenantsync::app {

/// One event as it travels between instances.
struct ClusterEvent {
  TenantId tenant_id{0};
  std::string name;
  std::string data_json;
};

/// The NOTIFY payload of an event, cut down when it would be too long.
std::string encode_cluster_event(TenantId tenant_id, const std::string& name, const std::string& data_json);
/// The event a payload carries; nullopt for anything else on the channel.
std::optional<ClusterEvent> decode_cluster_event(const std::string& payload);

/// True for the events after which another instance's idle workers may find a run to claim: a
/// run was queued, or one ended and freed its tenant's slot (the per-tenant concurrency cap).
bool frees_or_queues_work(const std::string& name);

/// Relays `bus` to and from the other instances on the database at `url`, from start() to stop().
class ClusterEvents {
 public:
  /// Told on the channel's thread of each event another instance sent, after its delivery.
  using Observer = std::function<void(const ClusterEvent& event)>;

  ClusterEvents(const std::string& url, sync::EventBus& bus);
  /// Sets the observer; call before start() (it is read without a lock).
  void set_observer(Observer observer) { observer_ = std::move(observer); }
  void start() { channel_.start(); }
  void stop() { channel_.stop(); }
  const store::postgres::PgNotifyChannel& channel() const { return channel_; }

 private:
  Observer observer_;
  store::postgres::PgNotifyChannel channel_;
};

}  // namespace tenantsync::app
