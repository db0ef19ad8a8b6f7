#pragma once
// Saving a tenant's settings: validate them, and when the voice key (or the URL it is used at)
// changes, ask the voice platform whose key it is before anything is saved, then sync at once
// so the counts are right without a click.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "crypto/crypto.hpp"
#include "service/options.hpp"
#include "service/sync_runs.hpp"
#include "store/settings_store.hpp"
#include "store/sync_records.hpp"
#include "sync/connectors.hpp"

namespace tenantsync::service {

/// The fields a person changes; absent ones stay as they are.
struct SettingsChange {
  std::optional<std::string> voice_api_key;
  std::optional<std::string> voice_base_url;  ///< empty: the default Bolna API
  std::optional<std::string> default_region;
};

struct SavedSettings {
  /// Set when the voice platform could not be asked about the key (down, slow, rate-limiting):
  /// nothing was saved and the person should try again. The API answers 502.
  std::optional<Error> unreachable;
  store::TenantSettings settings;
  /// The sync a checked key started, as it was when the wait ended.
  std::optional<store::SyncRun> sync;
};

class SettingsService {
 public:
  SettingsService(store::SettingsStore& settings, const crypto::SecretBox& secrets,
                  sync::Connectors& connectors, const Clock& clock, SyncRuns& syncs,
                  const UseCaseOptions& options);

  Result<store::TenantSettings> get(TenantId tenant_id);
  /// Errors: "validation_failed", "key_rejected" (the platform refused the key), the store's.
  Result<SavedSettings> save(TenantId tenant_id, const SettingsChange& change);

 private:
  /// The account the key belongs to (GET /user/me at the tenant's URL); "key_rejected", or
  /// another code when the platform could not be asked.
  Result<std::string> account_of_key(const store::TenantSettings& next, const std::string& key);
  /// Syncs with the new key and waits a little for the counts.
  std::optional<store::SyncRun> sync_new_key(TenantId tenant_id);

  store::SettingsStore& settings_;
  const crypto::SecretBox& secrets_;
  sync::Connectors& connectors_;
  const Clock& clock_;
  SyncRuns& syncs_;
  std::chrono::milliseconds key_change_wait_;
};

}  // namespace tenantsync::service
