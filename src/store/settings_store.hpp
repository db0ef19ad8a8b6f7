#pragma once
// Tenant settings: the voice-platform key (encrypted by the caller), its white-label URL and
// account, and the default region. One area of the Store (store.hpp).
#include <cstdint>
#include <string>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"

namespace tenantsync::store {

struct TenantSettings {
  TenantId tenant_id{0};
  std::string voice_api_key_cipher;  ///< encrypted (libsodium secretbox), base64; empty when unset
  std::string voice_key_last4;
  std::string voice_base_url;         ///< empty: the configured default (TENANTSYNC_BOLNA_URL)
  std::string voice_account_id;       ///< from GET /user/me; a change of it is an account switch
  std::string default_region = "US";  ///< stored on the tenant row
  std::int64_t updated_at_ms = 0;
};

class SettingsStore {
 public:
  virtual ~SettingsStore() = default;

  // --- tenant settings (src/store/sql_store_settings.cpp) ---
  /// The tenant's settings; defaults (no key, region from the tenant) when never saved;
  /// "not_found" when there is no such tenant.
  virtual Result<TenantSettings> get_settings(TenantId tenant_id) = 0;
  /// Writes all fields of settings (and the tenant's default_region) in one transaction.
  virtual Status put_settings(const TenantSettings& settings, TimePoint now) = 0;
};

}  // namespace tenantsync::store
