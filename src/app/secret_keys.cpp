#include "app/secret_keys.hpp"

#include <spdlog/spdlog.h>

#include <iostream>

#include "core/log_text.hpp"
#include "store/store.hpp"

namespace tenantsync::app {
namespace {

const char* column_name(store::SealedColumn column) {
  switch (column) {
    case store::SealedColumn::voice_api_key:
      return "voice_api_key";
    case store::SealedColumn::crm_credentials:
      return "crm_credentials";
    case store::SealedColumn::hook_token:
      return "hook_token";
    case store::SealedColumn::webhook_secret:
      return "webhook_secret";
  }
  return "unknown";
}

// Re-seals, with the ring's current key, every secret not sealed with it yet; counts what it did.
Status reseal_all(const crypto::SecretBox& ring, store::SealedSecretStore& secrets, RotationReport& report) {
  auto listed = secrets.list_sealed_secrets();
  if (!listed.ok()) return listed.error();
  report.unreadable = 0;
  for (const auto& secret : *listed) {
    if (crypto::SecretBox::version_of(secret.cipher) == ring.current_version()) continue;
    auto plain = ring.open(secret.cipher);
    if (!plain.ok()) {
      ++report.unreadable;
      spdlog::error("event=rotate_key_unreadable tenant_id={} column={}", secret.tenant_id,
                    column_name(secret.column));
      continue;
    }
    auto replaced = secrets.replace_sealed_secret(secret, ring.seal(*plain));
    if (!replaced.ok()) return replaced.error();
    if (*replaced) ++report.resealed;
  }
  return {};
}

}  // namespace

Result<crypto::SecretBox> open_secret_key(const Config& config, store::SealedSecretStore& secrets) {
  auto loaded = crypto::SecretBox::load_key_file(config.secret_key_file);
  if (loaded.ok() || !loaded.error().is(core::ErrorCode::secret_key_missing)) return loaded;
  auto stored = secrets.has_sealed_secrets();
  if (!stored.ok()) return stored.error();
  if (*stored) {
    return make_error(
        core::ErrorCode::secret_key_missing,
        "The secret key file " + config.secret_key_file +
            " is missing, but the database holds secrets sealed with it; restore the file from "
            "your backup (a new key could not read them). See docs/operations.md, \"Secrets at rest\".");
  }
  return crypto::SecretBox::create_key_file(config.secret_key_file);
}

Result<RotationReport> rotate_secret_key(const std::string& key_file, store::SealedSecretStore& secrets) {
  auto current = crypto::SecretBox::load_key_file(key_file);
  if (!current.ok()) return current.error();
  // 1. The new key joins the ring on disk before anything is sealed with it.
  const auto ring = current->with_new_key();
  if (auto saved = ring.save_key_file(key_file); !saved.ok()) return saved.error();
  RotationReport report;
  report.version = ring.current_version();
  // 2. Every secret sealed again; a second pass catches one saved by a running server meanwhile.
  for (int pass = 0; pass < 2; ++pass) {
    if (auto done = reseal_all(ring, secrets, report); !done.ok()) return done.error();
  }
  // 3. The old keys go only when nothing needs them any more.
  if (report.unreadable == 0) {
    if (auto saved = ring.current_key_only().save_key_file(key_file); !saved.ok()) return saved.error();
    report.old_keys_dropped = true;
  }
  return report;
}

int rotate_key(const Config& config) {
  crypto::init();
  auto store = store::open_store(config.database_url);
  if (!store.ok()) {
    std::cerr << store.error().message << "\n";
    return 1;
  }
  if (auto migrated = (*store)->migrate(); !migrated.ok()) {
    std::cerr << migrated.error().message << "\n";
    return 1;
  }
  auto report = rotate_secret_key(config.secret_key_file, **store);
  if (!report.ok()) {
    std::cerr << report.error().message << "\n";
    return 1;
  }
  std::cout << "secret key version " << report->version << ": re-sealed " << report->resealed << " secrets\n";
  if (!report->old_keys_dropped) {
    std::cerr << report->unreadable << " stored secrets could not be read with any key of "
              << config.secret_key_file
              << "; the old keys stay in the file. Those tenants must save their keys again.\n";
    return 1;
  }
  return 0;
}

}  // namespace tenantsync::app
