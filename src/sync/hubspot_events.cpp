#include "sync/hubspot_events.hpp"

#include <map>
#include <set>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/lead_matcher.hpp"
#include "core/log_text.hpp"
#include "sync/crm_sync.hpp"
#include "upstream/crm/hubspot_client.hpp"

namespace tenantsync::sync {
namespace {

using Json = nlohmann::json;

// A connection whose pass failed (credentials refused, HubSpot down) is left alone this long, so
// its events wait without the worker spinning on it; they stay queued.
constexpr std::chrono::seconds kRetryAfterFailure{30};

std::vector<std::string> split_ids(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::size_t end = comma == std::string::npos ? text.size() : comma;
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Writes the contacts as a sync's page is written (the same plan_lead_writes), without a cursor
// or a lease: no run owns these writes.
Result<store::LeadBatchResult> write_contacts(store::LeadStore& leads, const store::CrmConnection& connection,
                                              const std::vector<upstream::CrmContact>& contacts,
                                              const std::string& region,
                                              const std::map<std::string, upstream::CrmOwner>& owners,
                                              TimePoint now) {
  auto planned = plan_lead_writes(leads, connection, contacts, region, owners, now);
  if (!planned.ok()) return planned.error();
  return leads.apply_lead_batch(connection.tenant_id, connection.id, planned->writes, "", std::nullopt, now);
}

// Archives the leads linked to contacts HubSpot no longer has: deleted, or merged away (named in
// `merged_into`, with the contact they became, so the feed tells a merge).
Result<store::LeadBatchResult> archive_missing(store::LeadStore& leads, const store::CrmConnection& connection,
                                               const std::vector<std::string>& missing,
                                               const std::map<std::string, std::string>& merged_into,
                                               TimePoint now) {
  store::LeadBatchResult none;
  if (missing.empty()) return none;
  auto candidates = leads.find_lead_candidates(
      connection.tenant_id, std::string(core::to_string(connection.provider)), missing, {}, {});
  if (!candidates.ok()) return candidates.error();
  const std::set<std::string> gone(missing.begin(), missing.end());
  std::vector<store::LeadWrite> writes;
  for (const core::ExistingLead& e : *candidates) {
    if (!gone.count(e.crm_id)) continue;
    auto lead = leads.find_lead(connection.tenant_id, LeadId{e.id});
    if (!lead.ok()) return lead.error();
    if (!lead->has_value() || (*lead)->crm_archived_at_ms) continue;
    store::LeadWrite w;
    w.lead = **lead;
    w.link_crm_id = false;
    w.lead.crm_archived_at_ms = to_epoch_ms(now);
    if (auto into = merged_into.find(e.crm_id); into != merged_into.end()) w.merged_into = into->second;
    writes.push_back(std::move(w));
  }
  if (writes.empty()) return none;
  return leads.apply_lead_batch(connection.tenant_id, connection.id, writes, "", std::nullopt, now);
}

}  // namespace

HubspotEventWorker::HubspotEventWorker(store::HookStore& hooks, store::LeadStore& leads,
                                       store::CrmConnectionStore& crm, store::SettingsStore& settings,
                                       const crypto::SecretBox& secrets, Connectors& connectors, EventBus& events,
                                       const Clock& clock, HubspotEventOptions options)
    : hooks_(hooks),
      leads_(leads),
      crm_(crm),
      settings_(settings),
      secrets_(secrets),
      connectors_(connectors),
      events_(events),
      clock_(clock),
      options_(options) {}

HubspotEventWorker::~HubspotEventWorker() { stop(); }

void HubspotEventWorker::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void HubspotEventWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void HubspotEventWorker::notify() {
  {
    std::lock_guard lock(mutex_);
    notified_ = true;
  }
  wake_.notify_all();
}

HubspotEventTotals HubspotEventWorker::totals() const {
  std::lock_guard lock(mutex_);
  return totals_;
}

void HubspotEventWorker::loop() {
  TimePoint last_prune{};
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_ || notified_; });
      if (stopping_) return;
      notified_ = false;
    }
    auto applied = run_once();
    if (!applied.ok())
      spdlog::warn("event=hubspot_events_failed code={} message={}", core::to_string(applied.error().code),
                   core::log_value(applied.error().message));
    if (clock_.now() - last_prune > std::chrono::minutes(10)) {
      last_prune = clock_.now();
      (void)hooks_.prune_hubspot_events(clock_.now() - options_.keep_processed);
    }
  }
}

Result<int> HubspotEventWorker::run_once() {
  auto pending = hooks_.hubspot_pending_connections(50);
  if (!pending.ok()) return pending.error();
  int applied = 0;
  for (const store::PendingConnection& p : *pending) {
    auto done = apply_connection(p);
    std::lock_guard lock(mutex_);
    if (done.ok()) {
      applied += *done;
      totals_.applied += static_cast<std::uint64_t>(*done);
    } else {
      ++totals_.failed;
      spdlog::warn("event=hubspot_events_connection_failed tenant_id={} connection_id={} code={} message={}",
                   p.tenant_id, p.connection_id, core::to_string(done.error().code),
                   core::log_value(done.error().message));
    }
  }
  return applied;
}

Result<int> HubspotEventWorker::apply_connection(const store::PendingConnection& p) {
  auto events = hooks_.pending_hubspot_events(p.tenant_id, p.connection_id, options_.batch_events);
  if (!events.ok()) return events.error();
  if (events->empty()) return 0;
  std::vector<std::int64_t> rows;
  for (const auto& e : *events) rows.push_back(e.id);

  auto& cache = owners_[p.connection_id.value()];
  if (cache.retry_at > clock_.now()) return 0;  // waiting after a failure

  auto found = crm_.find_crm_connection(p.tenant_id, p.connection_id);
  if (!found.ok()) return found.error();
  if (!found->has_value() || !(*found)->active) {
    // Disconnected since the events came: nothing to apply them to.
    if (Status s = hooks_.mark_hubspot_events(p.tenant_id, p.connection_id, rows, clock_.now()); !s.ok())
      return s.error();
    return 0;
  }
  const store::CrmConnection& connection = **found;

  // Every contact an event names is read once, however many events name it: HubSpot's answer is
  // its state now, so late, repeated or out-of-order events all end in the same write.
  std::vector<std::string> ids;
  std::set<std::string> seen;
  std::map<std::string, std::string> merged_into;  // merged-away contact → the one it became
  for (const auto& e : *events) {
    std::vector<std::string> named = split_ids(e.merged_ids);
    for (const auto& id : named) merged_into[id] = e.object_id;
    named.insert(named.begin(), e.object_id);
    for (auto& id : named)
      if (seen.insert(id).second) ids.push_back(std::move(id));
  }

  std::string credentials;
  if (!connection.credentials_cipher.empty()) {
    auto opened = secrets_.open(connection.credentials_cipher);
    if (!opened.ok()) {
      cache.retry_at = clock_.now() + kRetryAfterFailure;
      return opened.error();
    }
    credentials = std::move(opened).value();
  }
  auto session = connectors_.crm(connection, credentials, nullptr);
  if (!session.ok()) {
    cache.retry_at = clock_.now() + kRetryAfterFailure;
    return session.error();
  }
  // Only HubSpot sends these events, and only its client reads contacts by id.
  auto* hubspot = dynamic_cast<upstream::HubSpotClient*>(&(*session)->client());
  if (!hubspot) {
    (void)hooks_.mark_hubspot_events(p.tenant_id, p.connection_id, rows, clock_.now());
    return make_error(core::ErrorCode::internal_error, "The connection's client cannot read contacts by id.");
  }
  upstream::HubSpotClient& client = *hubspot;
  const auto fail = [&](const Error& e) -> Error {
    cache.retry_at = clock_.now() + kRetryAfterFailure;
    return e;
  };
  if (cache.owners.empty() || clock_.now() - cache.read_at > options_.owners_ttl) {
    auto owners = client.list_owners();
    if (owners.ok()) {
      cache.owners.clear();
      for (auto& o : *owners) cache.owners[o.id] = o;
      cache.read_at = clock_.now();
    }
  }
  auto settings = settings_.get_settings(p.tenant_id);
  const std::string region = settings.ok() ? settings->default_region : "US";

  int created = 0, updated = 0;
  for (std::size_t i = 0; i < ids.size(); i += upstream::HubSpotClient::kMaxBatchRead) {
    const std::vector<std::string> chunk(ids.begin() + static_cast<std::ptrdiff_t>(i),
                                         ids.begin() + static_cast<std::ptrdiff_t>(
                                                           std::min(ids.size(), i + upstream::HubSpotClient::kMaxBatchRead)));
    auto batch = client.read_contacts(chunk);
    if (!batch.ok()) return fail(batch.error());
    auto written = write_contacts(leads_, connection, batch->found, region, cache.owners, clock_.now());
    if (!written.ok()) return fail(written.error());
    auto archived = archive_missing(leads_, connection, batch->missing, merged_into, clock_.now());
    if (!archived.ok()) return fail(archived.error());
    created += written->created;
    updated += written->updated + archived->updated;
  }
  if (const std::string rotated = (*session)->updated_credentials_json(); !rotated.empty())
    (void)crm_.set_crm_credentials(p.tenant_id, p.connection_id, secrets_.seal(rotated), clock_.now());
  if (Status s = hooks_.mark_hubspot_events(p.tenant_id, p.connection_id, rows, clock_.now()); !s.ok())
    return s.error();
  if (created + updated > 0)
    events_.publish(p.tenant_id, "leads.changed",
                    Json{{"connection_id", p.connection_id.value()}, {"created", created}, {"updated", updated}}
                        .dump());
  spdlog::info("event=hubspot_events_applied tenant_id={} connection_id={} events={} contacts={} created={} "
               "updated={}",
               p.tenant_id, p.connection_id, events->size(), ids.size(), created, updated);
  return static_cast<int>(events->size());
}

}  // namespace tenantsync::sync
