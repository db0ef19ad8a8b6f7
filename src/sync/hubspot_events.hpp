#pragma once
// The worker that applies queued HubSpot webhook events (queued by service/hook_service): per
// connection it takes the oldest pending events, reads the contacts they name with HubSpot's batch
// read (one call per ≤ 100 ids, paced by the client's rate gate like a sync), and writes them
// through the same normalize → match → write steps as a CRM sync (sync/lead_contact,
// core/lead_matcher, LeadStore::apply_lead_batch). A contact HubSpot no longer has (deleted, or
// merged into another) archives its lead (crm_archived_at); one it has again un-archives it. The
// events are then marked processed; their ids stay a day so replays are recognised.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "crypto/crypto.hpp"
#include "store/crm_connection_store.hpp"
#include "store/hook_store.hpp"
#include "store/lead_store.hpp"
#include "store/settings_store.hpp"
#include "sync/connectors.hpp"
#include "sync/event_bus.hpp"

namespace tenantsync::sync {

struct HubspotEventOptions {
  /// How often the queue is looked at when it was empty.
  std::chrono::milliseconds poll_interval{200};
  /// Events of one connection handled in one pass.
  int batch_events = 500;
  /// Processed events are kept this long (HubSpot retries for 24 h) to recognise replays.
  std::chrono::milliseconds keep_processed{std::chrono::hours(25)};
  /// Owners (for lead owner names) are re-read after this long.
  std::chrono::milliseconds owners_ttl{std::chrono::minutes(10)};
};

/// Counts, for the caller's metrics.
struct HubspotEventTotals {
  std::uint64_t applied = 0;  ///< events applied
  std::uint64_t failed = 0;   ///< passes that failed (retried on the next one)
};

class HubspotEventWorker {
 public:
  HubspotEventWorker(store::HookStore& hooks, store::LeadStore& leads, store::CrmConnectionStore& crm,
                     store::SettingsStore& settings, const crypto::SecretBox& secrets, Connectors& connectors,
                     EventBus& events, const Clock& clock, HubspotEventOptions options = {});
  ~HubspotEventWorker();
  HubspotEventWorker(const HubspotEventWorker&) = delete;
  HubspotEventWorker& operator=(const HubspotEventWorker&) = delete;

  /// Starts the worker thread.
  void start();
  /// Stops it after the pass in progress.
  void stop();
  /// Wakes the worker at once (events were just queued).
  void notify();
  /// One pass over every connection with pending events; returns how many events were applied.
  /// What the thread runs; tests call it directly.
  Result<int> run_once();
  HubspotEventTotals totals() const;

 private:
  Result<int> apply_connection(const store::PendingConnection& pending);
  void loop();

  store::HookStore& hooks_;
  store::LeadStore& leads_;
  store::CrmConnectionStore& crm_;
  store::SettingsStore& settings_;
  const crypto::SecretBox& secrets_;
  Connectors& connectors_;
  EventBus& events_;
  const Clock& clock_;
  HubspotEventOptions options_;

  struct OwnerCache {
    std::map<std::string, upstream::CrmOwner> owners;
    TimePoint read_at{};
    TimePoint retry_at{};  ///< after a failed pass, the connection waits until then
  };
  std::map<std::int64_t, OwnerCache> owners_;  // by connection id; the worker thread only

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool notified_ = false;
  HubspotEventTotals totals_;
  std::thread thread_;
};

}  // namespace tenantsync::sync
