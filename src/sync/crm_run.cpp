#include "sync/crm_run.hpp"

#include <spdlog/spdlog.h>

#include "sync/progress_reporter.hpp"
#include "sync/run_report.hpp"

namespace tenantsync::sync {
namespace {

// How long a rate-limited connection waits when the CRM did not say.
constexpr std::int64_t kDefaultRateLimitWaitMs = 60'000;

}  // namespace

store::CrmConnection connection_after(store::CrmConnection connection, const store::RunOutcome& outcome,
                                      std::int64_t rate_limited_until_ms, TimePoint now,
                                      std::optional<std::int64_t> next_sync_at_ms) {
  connection.rate_limited_until_ms.reset();  // set again below only while it applies
  connection.last_sync_error = outcome.state == core::RunState::succeeded ? "" : outcome.error_message;
  if (outcome.state == core::RunState::succeeded) {
    connection.state = core::ConnectionState::connected;
    connection.state_message = "";
  } else if (outcome.error_code == core::ErrorCode::needs_reauth ||
             outcome.error_code == core::ErrorCode::key_rejected) {
    connection.state = core::ConnectionState::needs_reauth;
    connection.state_message = "Reconnect your CRM: the credentials were refused.";
  } else if (outcome.error_code == core::ErrorCode::rate_limited) {
    connection.state = core::ConnectionState::rate_limited;
    connection.state_message = outcome.error_message;
    connection.rate_limited_until_ms =
        rate_limited_until_ms > 0 ? rate_limited_until_ms : to_epoch_ms(now) + kDefaultRateLimitWaitMs;
  } else {
    connection.state = core::ConnectionState::error;
    connection.state_message = outcome.error_message;
  }
  connection.next_sync_at_ms = next_sync_at_ms;
  return connection;
}

CrmRunner::CrmRunner(store::CrmConnectionStore& connections, store::LeadStore& leads,
                     store::SettingsStore& settings, const crypto::SecretBox& secrets, Connectors& connectors,
                     const Clock& clock, EventBus& events, CrmSyncOptions options, NextSync next_sync)
    : connections_(connections),
      leads_(leads),
      settings_(settings),
      secrets_(secrets),
      connectors_(connectors),
      clock_(clock),
      events_(events),
      options_(options),
      next_sync_(std::move(next_sync)) {}

store::RunOutcome CrmRunner::execute(const store::SyncRun& run, const store::LeaseHold& lease,
                                     const ProgressFn& progress, const StopFn& stop) {
  auto connection = active_connection(run);
  if (!connection.ok()) return failed_outcome(connection.error());  // nothing left to record it on

  store::CrmConnection record = *connection;
  store::RunOutcome outcome;
  std::int64_t rate_limited_until_ms = 0;
  if (auto session = open_session(*connection, progress); !session.ok()) {
    outcome = failed_outcome(session.error());
  } else {
    const CrmSyncResult result = sync_leads(run, lease, *connection, **session, progress, stop);
    outcome = result.outcome;
    record.last_sync_created = result.created;
    record.last_sync_updated = result.updated;
    record.last_sync_unchanged = result.unchanged;
    rate_limited_until_ms = (*session)->rate_limited_until_ms();
  }
  // A run that lost its lease leaves the connection to the worker that holds it now.
  if (outcome.error_code == core::ErrorCode::worker_lost) return outcome;
  const TimePoint now = clock_.now();
  const std::optional<TimePoint> next = next_sync_ ? next_sync_() : std::nullopt;
  record = connection_after(std::move(record), outcome, rate_limited_until_ms, now,
                            next ? std::optional<std::int64_t>(to_epoch_ms(*next)) : std::nullopt);
  if (auto s = connections_.record_crm_sync(record, clock_.now()); !s.ok())
    spdlog::error("event=crm_record_failed connection_id={} message=\"{}\"", record.id, s.error().message);
  return outcome;
}

Result<store::CrmConnection> CrmRunner::active_connection(const store::SyncRun& run) {
  const Error removed =
      make_error(core::ErrorCode::connection_inactive, "Sync failed: the CRM connection was removed.");
  if (!run.target.is_crm()) return removed;
  auto found = connections_.find_crm_connection(run.tenant_id, run.target.connection());
  if (!found.ok() || !found->has_value() || !(*found)->active) return removed;
  return **found;
}

Result<std::unique_ptr<CrmSession>> CrmRunner::open_session(const store::CrmConnection& connection,
                                                            const ProgressFn& progress) {
  std::string credentials;
  if (!connection.credentials_cipher.empty()) {
    auto opened = secrets_.open(connection.credentials_cipher);
    if (!opened.ok())
      return make_error(core::ErrorCode::needs_reauth,
                        "Sync failed: the stored CRM credentials cannot be decrypted. Reconnect your CRM.");
    credentials = std::move(opened).value();
  }
  auto session = connectors_.crm(connection, credentials, waits_as_progress(progress));
  if (!session.ok()) return make_error(session.error().code, "Sync failed: " + session.error().message);
  return session;
}

CrmSyncResult CrmRunner::sync_leads(const store::SyncRun& run, const store::LeaseHold& lease,
                                    const store::CrmConnection& connection, CrmSession& session,
                                    const ProgressFn& progress, const StopFn& stop) {
  (void)connections_.set_crm_state(run.tenant_id, connection.id, core::ConnectionState::syncing, "",
                                   std::nullopt, clock_.now());
  CrmSync crm(leads_, session.client(), clock_, events_, options_);
  CrmSyncResult result = crm.run(run, lease, connection, region_of(run.tenant_id), progress, stop);
  if (const std::string rotated = session.updated_credentials_json(); !rotated.empty())
    (void)connections_.set_crm_credentials(run.tenant_id, connection.id, secrets_.seal(rotated),
                                           clock_.now());
  return result;
}

std::string CrmRunner::region_of(TenantId tenant_id) {
  // The region lives on the tenant; the settings carry it.
  auto settings = settings_.get_settings(tenant_id);
  return settings.ok() ? settings->default_region : "US";
}

}  // namespace tenantsync::sync
