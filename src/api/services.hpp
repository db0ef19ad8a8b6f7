#pragma once
// What route handlers need, wired once in src/app/ and shared by every route file: the store
// areas they read from, the use cases that change things, and the API's own parts.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "api/long_work.hpp"
#include "core/clock.hpp"
#include "core/login_throttle.hpp"
#include "crypto/crypto.hpp"
#include "http/client_address.hpp"
#include "store/account_store.hpp"
#include "store/audit_store.hpp"
#include "store/call_store.hpp"
#include "store/change_feed_store.hpp"
#include "store/lead_store.hpp"
#include "store/mirror_store.hpp"
#include "store/run_history.hpp"
#include "store/settings_store.hpp"
#include "store/store_health.hpp"
#include "store/team_store.hpp"

namespace tenantsync::store {
class Store;
}

namespace tenantsync::service {
class UseCases;
}

namespace tenantsync::sync {
class EventBus;
}

namespace tenantsync::api {

class Metrics;

struct ApiOptions {
  bool allow_signup = true;
  std::chrono::milliseconds token_ttl = std::chrono::hours(24 * 7);
  std::string cron_secret;
  std::string web_root;
  /// Whose X-Forwarded-For names the client (the throttles' address keys).
  http::TrustedProxies trusted_proxies;
  /// Origins the dashboard may frame (its CSP's frame-src), e.g. a CRM provider's connect window.
  std::vector<std::string> dashboard_frame_origins;
  LongWorkOptions long_work{};
  int tenant_max_event_streams = 5;  ///< open GET /api/events streams per tenant; past it 429
};

/// Hooks into the sync engine; empty ones are skipped (the API works without an engine).
struct SyncHooks {
  /// After a successful login (sync on login when the last run is old).
  std::function<void(TenantId tenant_id)> on_login;
};

/// The store areas route files read (queries, sign-in); other changes go through the use cases.
struct Stores {
  store::StoreHealth& health;
  store::AccountStore& accounts;
  store::SettingsStore& settings;
  store::MirrorStore& mirror;
  store::RunHistory& runs;
  store::LeadStore& leads;
  store::CallStore& calls;
  store::TeamStore& team;
  store::AuditStore& audit;
  store::ChangeFeedStore& changes;

  /// Every area from the one Store.
  static Stores of(store::Store& store);
};

struct Services {
  Stores stores;
  service::UseCases& use_cases;
  const Clock& clock;
  Metrics& metrics;
  core::LoginThrottle& login_throttle;
  /// Sign-ups per client address: each one costs a password hash and a tenant.
  core::LoginThrottle& signup_throttle;
  crypto::PasswordHasher& passwords;
  ApiOptions options;
  SyncHooks hooks;
  /// The sync engine's live events; null in a server without one (GET /api/events then answers 503).
  sync::EventBus* events = nullptr;
};

}  // namespace tenantsync::api
