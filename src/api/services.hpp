#pragma once
// What route handlers need, wired once in src/app/ and shared by every route file.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "core/clock.hpp"
#include "core/login_throttle.hpp"
#include "crypto/crypto.hpp"
#include "store/store.hpp"

namespace tenantsync::sync {
class SyncEngine;
}

namespace tenantsync::api {

class Metrics;

struct ApiOptions {
  bool allow_signup = true;
  std::chrono::milliseconds token_ttl = std::chrono::hours(24 * 7);
  crypto::PasswordCost password_cost = crypto::PasswordCost::interactive;
  std::string cron_secret;
  std::string web_root;
  /// How long POST /api/tenant/sync waits for its run before answering 202 with the run id.
  std::chrono::milliseconds sync_wait = std::chrono::seconds(60);
  /// How long PUT /api/tenant/settings waits for the sync a new key starts (the counts are
  /// then right in its answer; a slower sync goes on and reports over /api/events).
  std::chrono::milliseconds key_change_wait = std::chrono::seconds(5);
};

/// Hooks into the sync engine; empty ones are skipped (the API works without an engine).
struct SyncHooks {
  /// After a successful login (sync on login when the last run is old).
  std::function<void(std::int64_t tenant_id)> on_login;
};

struct Services {
  store::Store& store;
  const Clock& clock;
  const crypto::SecretBox& secrets;
  Metrics& metrics;
  core::LoginThrottle& login_throttle;
  ApiOptions options;
  SyncHooks hooks;
  /// The sync engine; null in a server without one (sync routes then answer 503).
  sync::SyncEngine* engine = nullptr;
};

}  // namespace tenantsync::api
