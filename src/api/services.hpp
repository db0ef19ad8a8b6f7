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

namespace tenantsync::api {

class Metrics;

struct ApiOptions {
  bool allow_signup = true;
  std::chrono::milliseconds token_ttl = std::chrono::hours(24 * 7);
  crypto::PasswordCost password_cost = crypto::PasswordCost::interactive;
  std::string cron_secret;
  std::string web_root;
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
};

}  // namespace tenantsync::api
