#pragma once
// Every secret the store keeps sealed (encrypted by the caller with crypto::SecretBox), across
// all tenants: what rotating the secret key re-seals, and what a start without the key file must
// not orphan. One area of the Store (store.hpp); used only by the operator's commands in src/app/.
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"

namespace tenantsync::store {

/// Where a sealed secret is stored.
enum class SealedColumn { voice_api_key, crm_credentials, hook_token, webhook_secret };

struct SealedSecret {
  SealedColumn column = SealedColumn::voice_api_key;
  TenantId tenant_id{0};
  std::optional<ConnectionId> connection_id;  ///< for crm_credentials
  std::optional<std::int64_t> webhook_id;     ///< for webhook_secret (an outbound endpoint's signing secret)
  std::string cipher;
};

class SealedSecretStore {
 public:
  virtual ~SealedSecretStore() = default;

  // --- (src/store/sql_store_secrets.cpp) ---
  /// Every non-empty sealed secret of every tenant.
  virtual Result<std::vector<SealedSecret>> list_sealed_secrets() = 0;
  /// Whether any sealed secret is stored.
  virtual Result<bool> has_sealed_secrets() = 0;
  /// Replaces one sealed secret with `new_cipher` if it still holds `secret.cipher` (a secret saved
  /// again meanwhile is left alone); returns whether it was replaced.
  virtual Result<bool> replace_sealed_secret(const SealedSecret& secret, const std::string& new_cipher) = 0;
};

}  // namespace tenantsync::store
