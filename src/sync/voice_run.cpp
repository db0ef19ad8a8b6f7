#include "sync/voice_run.hpp"

#include "sync/progress_reporter.hpp"
#include "sync/run_report.hpp"

namespace tenantsync::sync {
VoiceEndpoint voice_endpoint(const Connectors& connectors, const std::string& base_url,
                             const std::string& api_key) {
  return VoiceEndpoint{base_url.empty() ? connectors.default_voice_base_url() : base_url, api_key};
}

VoiceRunner::VoiceRunner(store::SettingsStore& settings, store::MirrorStore& mirror,
                         const crypto::SecretBox& secrets, Connectors& connectors, const Clock& clock,
                         VoiceSyncOptions options)
    : settings_(settings),
      mirror_(mirror),
      secrets_(secrets),
      connectors_(connectors),
      clock_(clock),
      options_(options) {}

Result<VoiceEndpoint> VoiceRunner::endpoint_of(TenantId tenant_id) {
  auto settings = settings_.get_settings(tenant_id);
  if (!settings.ok()) return make_error(settings.error().code, "Sync failed: " + settings.error().message);
  if (settings->voice_api_key_cipher.empty())
    return make_error(core::ErrorCode::no_api_key,
                      "Sync failed: no voice API key is saved. Add one in Settings.");
  auto key = secrets_.open(settings->voice_api_key_cipher);
  if (!key.ok())
    return make_error(key.error().code,
                      "Sync failed: the saved API key cannot be decrypted with this server's secret key. "
                      "Save the key again in Settings.");
  return voice_endpoint(connectors_, settings->voice_base_url, *key);
}

Executed VoiceRunner::execute(const store::SyncRun& run, const store::LeaseHold& lease,
                              const ProgressFn& progress, const StopFn& stop) {
  auto endpoint = endpoint_of(run.tenant_id);
  if (!endpoint.ok()) return {failed_outcome(endpoint.error())};
  auto client = connectors_.voice(*endpoint, waits_as_progress(progress));
  VoiceSync sync(mirror_, *client, clock_, options_);
  VoiceSyncResult planned = sync.run(run, progress, stop);
  if (!planned.apply) return {planned.outcome};
  return apply(run, lease, planned, progress, stop);
}

Executed VoiceRunner::apply(const store::SyncRun& run, const store::LeaseHold& lease,
                            VoiceSyncResult& planned, const ProgressFn& progress, const StopFn& stop) {
  if (stop()) {
    (void)mirror_.clear_staging(run.tenant_id, run.id);
    return {failed_outcome(make_error(
        core::ErrorCode::interrupted,
        "Sync failed: the service stopped before the changes were written. Nothing was changed."))};
  }
  RunProgress applying;
  applying.phase = "applying";
  progress(applying);
  auto written = mirror_.apply_voice_plans(run.tenant_id, run.id, planned.plans, planned.fully_listed,
                                           planned.cursors, planned.outcome, lease, clock_.now());
  if (!written.ok()) {
    (void)mirror_.clear_staging(run.tenant_id, run.id);  // the write rolled back; its staged rows go
    return {failed_outcome(make_error(written.error().code, "Sync failed: the changes could not be saved (" +
                                                                written.error().message +
                                                                "). Nothing was changed."))};
  }
  return {planned.outcome, true};
}

}  // namespace tenantsync::sync
