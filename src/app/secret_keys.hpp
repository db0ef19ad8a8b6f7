#pragma once
// The secret key at start and its rotation: the operator's side of crypto::SecretBox.
#include "app/config.hpp"
#include "core/result.hpp"
#include "crypto/crypto.hpp"
#include "store/sealed_secret_store.hpp"

namespace tenantsync::app {

/// The key ring of the key file. A missing file is created only while the store holds no sealed
/// secret: a new key could never read the old ones, so a lost key file stops the start
/// (secret_key_missing) instead of quietly making every stored credential unreadable.
Result<crypto::SecretBox> open_secret_key(const Config& config, store::SealedSecretStore& secrets);

/// What a rotation did.
struct RotationReport {
  int version = 0;     ///< the new key's version
  int resealed = 0;    ///< secrets sealed with it
  int unreadable = 0;  ///< secrets no key of the ring opens (left as they were)
  bool old_keys_dropped = false;
};

/// Adds a new key to the key file, re-seals every stored secret with it, and then drops the old
/// keys, unless some secret could not be read (then they stay, so nothing is lost).
Result<RotationReport> rotate_secret_key(const std::string& key_file, store::SealedSecretStore& secrets);

/// `tenantsync admin rotate-key`.
int rotate_key(const Config& config);

}  // namespace tenantsync::app
