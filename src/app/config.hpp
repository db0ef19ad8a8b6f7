#pragma once
// Configuration: built-in defaults, then an optional TOML file, then environment variables
// (each layer overrides the one before). Validated at start with messages that say what to fix.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/run_limits.hpp"
#include "crypto/crypto.hpp"
#include "http/client_address.hpp"

namespace tenantsync::app {

struct Config {
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8080;
  std::string database_url = "sqlite:data/tenantsync.db";
  std::string secret_key_file = "data/secret.key";
  std::string cron_secret;  ///< empty: the cron endpoint answers 503
  bool allow_signup = true;
  std::string bolna_url = "https://api.bolna.ai";
  std::string hubspot_url = "https://api.hubapi.com";
  int hubspot_rate_reserve = 5;  ///< HubSpot burst calls left unspent in each window
  bool hubspot_search_from_the_top = true;  ///< a first sync also reads down from the top through search
  std::string salesforce_login_url = "https://login.salesforce.com";
  std::string nango_url = "https://api.nango.dev";
  std::string nango_secret_key;
  /// Where tenantsync is reached from outside (webhook URLs, HubSpot's signed URI); empty: the Host header.
  std::string public_url;
  std::string hubspot_client_id, hubspot_client_secret;        ///< OAuth app, for refresh-token connections
  std::string salesforce_client_id, salesforce_client_secret;  ///< connected app, for refresh-token connections
  std::chrono::milliseconds token_ttl = std::chrono::hours(24 * 7);
  /// Audit entries older than this are removed (hourly); 0 keeps them forever.
  std::chrono::milliseconds audit_retention = std::chrono::hours(24 * 365);
  std::chrono::milliseconds sync_on_login_after = std::chrono::minutes(15);
  std::chrono::milliseconds sync_wait = std::chrono::seconds(60);      ///< POST /api/tenant/sync waits this long
  std::chrono::milliseconds sync_history = std::chrono::hours(24 * 30);  ///< executions read by a first sync
  std::chrono::milliseconds upstream_timeout = std::chrono::seconds(30); ///< per upstream request
  int sync_workers = 2;
  std::chrono::milliseconds job_lease = std::chrono::seconds(30);  ///< a run unrenewed this long is taken over
  int upstream_attempts = 5;  ///< sends of one upstream request, retries included
  std::string instance_id;  ///< lease owner; empty: hostname and process id
  std::string crm_schedule = "0 * * * *";
  std::string voice_schedule = "0 * * * *";
  crypto::PasswordCost password_cost = crypto::PasswordCost::interactive;
  int password_hash_concurrency = 2;  ///< Argon2id hashes at once (64 MiB each at the interactive cost)
  int signup_burst = 5;  ///< sign-ups one address may make before it is slowed down
  http::TrustedProxies trusted_proxies;  ///< whose X-Forwarded-For names the client
  bool test_environment = false;  ///< TENANTSYNC_ENV=test: allows what only test suites may use
  std::size_t body_limit = 1 << 20;
  int handler_threads = 8;
  std::string web_root = "web/dist";  ///< the built dashboard; missing: API only
  // Limits and fairness (docs/operations.md, "Limits and fairness"): what the whole server and
  // what one tenant may hold at once.
  std::size_t max_connections = 1024;     ///< open connections; past it 503 and closed
  std::size_t max_queued_requests = 256;  ///< requests waiting for a handler thread; past it 503
  int wait_threads = 16;                  ///< requests waiting for their runs at once
  int check_threads = 4;                  ///< key and credentials checks at once
  std::size_t max_queued_checks = 16;     ///< checks waiting for a thread; past it 503
  std::chrono::milliseconds check_budget = std::chrono::seconds(10);  ///< one check, in all, no retries
  std::chrono::milliseconds run_deadline = std::chrono::minutes(30);  ///< a run longer than this is stopped
  int tenant_max_runs = 20;             ///< queued and running runs per tenant, dry runs included
  int tenant_concurrency = 1;           ///< runs per tenant executing at once across the cluster
  int tenant_max_crm_connections = 10;  ///< active CRM connections per tenant
  int tenant_max_event_streams = 5;     ///< open event streams per tenant
  int tenant_max_checks = 1;            ///< key and credentials checks per tenant at once
  std::string log_level = "info";
  /// Loopback and private upstream addresses, and http, are allowed (tests, the demo, on-premise).
  bool allow_private_upstreams = false;
  core::RunLimits run_limits;  ///< records, bytes and pages a run may read
  // The change feed and outbound webhooks (docs/operations.md, "Change feed and webhooks").
  std::chrono::milliseconds changes_retention = std::chrono::hours(24 * 90);  ///< feed entries kept this long
  int webhook_workers = 4;                                                  ///< endpoints sent to at once
  std::chrono::milliseconds webhook_timeout = std::chrono::seconds(10);     ///< one delivery attempt
  std::chrono::milliseconds webhook_backoff = std::chrono::seconds(5);      ///< first retry's wait ceiling
  std::chrono::milliseconds webhook_backoff_max = std::chrono::hours(1);    ///< longest wait between retries
  std::chrono::milliseconds webhook_retry_window = std::chrono::hours(24);  ///< then a delivery is failed
  std::chrono::milliseconds webhook_poll = std::chrono::milliseconds(100);  ///< feed and queue checks when idle
  int tenant_max_webhooks = 10;                                             ///< endpoints per tenant
};

/// Reads a variable of the environment; injectable for tests.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup process_env();

/// Loads defaults → TOML file (when config_file is not empty) → environment, and validates.
/// Every problem found is listed in the error message, one per line.
Result<Config> load_config(const std::string& config_file, const EnvLookup& env);

/// The table of settings for docs and `--help`: {env name, TOML key, meaning}.
struct SettingDoc {
  std::string env;
  std::string toml_key;
  std::string meaning;
};
const std::vector<SettingDoc>& setting_docs();

}  // namespace tenantsync::app
