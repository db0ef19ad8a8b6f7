#pragma once
// Executing one voice run for the engine: open the tenant's key, build its voice client, let
// VoiceSync read and plan, and write the plans with the run's outcome in one transaction.
#include <string>

#include "core/clock.hpp"
#include "crypto/crypto.hpp"
#include "store/mirror_store.hpp"
#include "store/settings_store.hpp"
#include "sync/connectors.hpp"
#include "sync/run_progress.hpp"
#include "sync/voice_sync.hpp"

namespace tenantsync::sync {

/// How a run's execution ended. `written`: the outcome was already stored together with the
/// run's changes; otherwise the engine stores it.
struct Executed {
  store::RunOutcome outcome;
  bool written = false;
};

/// Where a tenant's voice platform is: its white-label URL, or the configured default.
VoiceEndpoint voice_endpoint(const Connectors& connectors, const std::string& base_url,
                             const std::string& api_key);

class VoiceRunner {
 public:
  VoiceRunner(store::SettingsStore& settings, store::MirrorStore& mirror, const crypto::SecretBox& secrets,
              Connectors& connectors, const Clock& clock, VoiceSyncOptions options);

  /// Runs `run` under the job lease `lease`; its write is refused ("worker_lost") once the lease
  /// is no longer held.
  Executed execute(const store::SyncRun& run, const store::LeaseHold& lease, const ProgressFn& progress,
                   const StopFn& stop);

 private:
  /// The tenant's voice endpoint with its decrypted key; the error's message is the run's.
  Result<VoiceEndpoint> endpoint_of(TenantId tenant_id);
  /// Writes what the sync planned, unless the run was told to stop.
  Executed apply(const store::SyncRun& run, const store::LeaseHold& lease, VoiceSyncResult& planned,
                 const ProgressFn& progress, const StopFn& stop);

  store::SettingsStore& settings_;
  store::MirrorStore& mirror_;
  const crypto::SecretBox& secrets_;
  Connectors& connectors_;
  const Clock& clock_;
  VoiceSyncOptions options_;
};

}  // namespace tenantsync::sync
