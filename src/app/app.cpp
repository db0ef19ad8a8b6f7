#include "app/app.hpp"

#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "api/api.hpp"
#include "api/metrics.hpp"
#include "app/cluster_events.hpp"
#include "app/http_connectors.hpp"
#include "app/secret_keys.hpp"
#include "app/webhook_delivery.hpp"
#include "core/email.hpp"
#include "core/log_text.hpp"
#include "core/login_throttle.hpp"
#include "crypto/crypto.hpp"
#include "http/client_address.hpp"
#include "http/server.hpp"
#include "service/scheduled_syncs.hpp"
#include "service/use_cases.hpp"
#include "store/store.hpp"
#include "sync/engine.hpp"
#include "sync/hubspot_events.hpp"
#include "sync/scheduler.hpp"
#include "upstream/base_url.hpp"

#include <unistd.h>

namespace tenantsync::app {
namespace {

// The dashboard frames Nango's Connect UI (CRM connect), so the CSP's frame-src names it: Nango
// Cloud serves it from connect.nango.dev; a self-hosted Nango (or the simulator) from its own origin.
std::vector<std::string> connect_ui_origins(const Config& config) {
  if (config.nango_secret_key.empty()) return {};
  std::vector<std::string> origins = {"https://connect.nango.dev"};
  if (auto own = upstream::parse_base_url(config.nango_url, "nango_url"); own.ok()) {
    const std::string origin = own->scheme + "://" + own->authority();
    if (origin != "https://api.nango.dev") origins.push_back(origin);
  }
  return origins;
}

std::unique_ptr<store::Store> open_and_migrate(const Config& config) {
  auto store = store::open_store(config.database_url);
  if (!store.ok()) {
    spdlog::critical("event=store_open_failed url_scheme={} message=\"{}\"",
                     config.database_url.substr(0, config.database_url.find(':')), store.error().message);
    return nullptr;
  }
  auto applied = (*store)->migrate();
  if (!applied.ok()) {
    spdlog::critical("event=migrate_failed message=\"{}\"", applied.error().message);
    return nullptr;
  }
  if (*applied > 0) spdlog::info("event=migrated applied={}", *applied);
  return std::move(store).value();
}

// One access-log line and the metrics for every request. The path is URL-decoded text a client
// chose, so it and the method are written with log_value: a %0a or a space cannot add a line or
// a field. client= is the address the throttles use (see TENANTSYNC_TRUSTED_PROXIES).
http::RequestObserver request_observer(api::Metrics& metrics, const http::TrustedProxies& trusted) {
  return [&metrics, &trusted](const http::RequestRecord& r) {
    const auto& route = r.response.route_label.empty() ? std::string("(none)") : r.response.route_label;
    metrics.observe_request(route, r.request.method, r.response.status, r.seconds);
    spdlog::info("event=request request_id={} method={} path={} route={} status={} ms={:.2f} remote={} client={}",
                 r.request.request_id, core::log_value(r.request.method), core::log_value(r.request.path),
                 core::log_value(route), r.response.status, r.seconds * 1000, r.request.remote_address,
                 core::log_value(http::client_address(r.request, trusted)));
  };
}

std::string default_instance_id() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host[0] ? host : "tenantsync") + "-" + std::to_string(getpid());
}

// The built-in schedules: every tenant with a key gets a voice run at each voice tick, every
// active CRM connection a CRM run at each CRM tick.
void add_schedules(sync::Scheduler& scheduler, service::ScheduledSyncs& syncs, store::AccountStore& accounts,
                   store::AuditStore& audit, const Clock& clock, const Config& config) {
  // Expired tokens no longer sign anyone in; removing them keeps the table (and a stolen
  // database's useful contents) small.
  constexpr const char* kTokenPurge = "*/15 * * * *";
  scheduler.add({"token_purge", *core::CronSchedule::parse(kTokenPurge), kTokenPurge,
                 [&accounts, &clock](TimePoint) {
                   auto removed = accounts.delete_expired_tokens(clock.now());
                   if (!removed.ok()) {
                     spdlog::error("event=token_purge_failed message={}", core::log_value(removed.error().message));
                   } else if (*removed > 0) {
                     spdlog::info("event=token_purge removed={}", *removed);
                   }
                 }});
  // Audit retention: entries older than TENANTSYNC_AUDIT_RETENTION go, hourly, on one instance.
  if (config.audit_retention.count() > 0) {
    constexpr const char* kAuditPurge = "7 * * * *";
    scheduler.add({"audit_purge", *core::CronSchedule::parse(kAuditPurge), kAuditPurge,
                   [&audit, &clock, keep = config.audit_retention](TimePoint) {
                     auto removed = audit.delete_audit_before(clock.now() - keep);
                     if (!removed.ok()) {
                       spdlog::error("event=audit_purge_failed message={}", core::log_value(removed.error().message));
                     } else if (*removed > 0) {
                       spdlog::info("event=audit_purge removed={}", *removed);
                     }
                   }});
  }
  if (config.voice_schedule != "off") {
    scheduler.add({"voice", *core::CronSchedule::parse(config.voice_schedule), config.voice_schedule,
                   [&syncs](TimePoint) { syncs.queue_voice_runs(); }});
  }
  if (config.crm_schedule != "off") {
    scheduler.add({"crm", *core::CronSchedule::parse(config.crm_schedule), config.crm_schedule,
                   [&syncs](TimePoint) { syncs.queue_crm_runs(); }});
  }
}

}  // namespace

int serve(const Config& config, const std::string& port_file) {
  crypto::init();
  // The store first: whether a missing key file may be created depends on what it holds.
  auto store = open_and_migrate(config);
  if (!store) return 1;
  auto secrets = open_secret_key(config, *store);
  if (!secrets.ok()) {
    spdlog::critical("event=secret_key_failed code={} message={}", core::to_string(secrets.error().code),
                     core::log_value(secrets.error().message));
    return 1;
  }

  SystemClock clock;
  api::Metrics metrics;
  core::LoginThrottle throttle;
  // Sign-ups: a burst per address, then one more after a minute, two, four… up to one an hour.
  core::LoginThrottleOptions signup_limits;
  signup_limits.max_failures = config.signup_burst;
  signup_limits.window = std::chrono::hours(1);
  signup_limits.first_lock = std::chrono::minutes(1);
  signup_limits.max_lock = std::chrono::hours(1);
  core::LoginThrottle signup_throttle(signup_limits);
  crypto::PasswordHasher passwords(config.password_cost, config.password_hash_concurrency,
                                   std::chrono::seconds(10));
  sync::EventBus events;
  // Many instances on one PostgreSQL: each one's live events also reach the others' streams.
  std::unique_ptr<ClusterEvents> cluster_events;
  if ((*store).backend() == "postgresql") {
    cluster_events = std::make_unique<ClusterEvents>(config.database_url, events);
  }
  HttpConnectors connectors(clock,
                            HttpConnectorOptions{.bolna_url = config.bolna_url,
                                                 .request_timeout = config.upstream_timeout,
                                                 .max_attempts = config.upstream_attempts,
                                                 .check_budget = config.check_budget,
                                                 .hubspot_url = config.hubspot_url,
                                                 .hubspot_rate_reserve = config.hubspot_rate_reserve,
                                                 .hubspot_search_from_the_top = config.hubspot_search_from_the_top,
                                                 .salesforce_login_url = config.salesforce_login_url,
                                                 .nango_url = config.nango_url,
                                                 .nango_secret_key = config.nango_secret_key,
                                                 .hubspot_client_id = config.hubspot_client_id,
                                                 .hubspot_client_secret = config.hubspot_client_secret,
                                                 .salesforce_client_id = config.salesforce_client_id,
                                                 .salesforce_client_secret = config.salesforce_client_secret,
                                                 .allow_private_upstreams = config.allow_private_upstreams});
  sync::EngineOptions engine_options;
  engine_options.instance_id = config.instance_id.empty() ? default_instance_id() : config.instance_id;
  engine_options.workers = config.sync_workers;
  engine_options.lease = config.job_lease;
  // A dead instance's run is taken over within lease + sweep interval: with a short lease, sweep
  // more often too (the default lease of 30 s keeps the 5 s sweep).
  engine_options.sweep_interval =
      std::min(engine_options.sweep_interval, std::max(config.job_lease / 2, std::chrono::milliseconds(500)));
  engine_options.tenant_concurrency = config.tenant_concurrency;
  engine_options.run_deadline = config.run_deadline;
  engine_options.tenant_max_active_runs = config.tenant_max_runs;
  engine_options.sync_on_login_after = config.sync_on_login_after;
  engine_options.voice.history = config.sync_history;
  engine_options.voice.limits = config.run_limits;
  engine_options.crm.limits = config.run_limits;
  engine_options.next_crm_sync = [&config, &clock]() -> std::optional<TimePoint> {
    if (config.crm_schedule == "off") return std::nullopt;
    return core::CronSchedule::parse(config.crm_schedule)->next_after(clock.now());
  };
  sync::SyncEngine engine(sync::SyncStores::of(*store), clock, *secrets, connectors, events, engine_options);
  service::ScheduledSyncs scheduled(*store, *store, *store, engine);
  sync::Scheduler scheduler(*store, clock, engine_options.instance_id);
  add_schedules(scheduler, scheduled, *store, *store, clock, config);
  service::UseCases use_cases(
      service::Wiring::of(*store, clock, *secrets, connectors, &engine, &events),
      service::UseCaseOptions{.sync_wait = config.sync_wait,
                              .tenant_max_crm_connections = config.tenant_max_crm_connections,
                              .webhooks = {.tenant_max_webhooks = config.tenant_max_webhooks,
                                           .retry_window = config.webhook_retry_window},
                              .hooks = {.public_url = config.public_url,
                                        .hubspot_client_secret = config.hubspot_client_secret}});
  WebhookDelivery webhook_delivery(
      *store, *store, *secrets, clock,
      WebhookDeliveryOptions{.dispatch = {.owner = engine_options.instance_id,
                                          .request_timeout = config.webhook_timeout,
                                          .backoff = {config.webhook_backoff, config.webhook_backoff_max},
                                          .retry_window = config.webhook_retry_window},
                             .workers = config.webhook_workers,
                             .poll_interval = config.webhook_poll,
                             .retention = config.changes_retention,
                             .allow_private = config.allow_private_upstreams});
  // HubSpot webhook events are queued by POST /hooks/hubspot and applied here, off the request threads.
  sync::HubspotEventWorker hubspot_events(*store, *store, *store, *store, *secrets, connectors, events, clock);
  api::Api api(api::Services{
      .stores = api::Stores::of(*store),
      .use_cases = use_cases,
      .clock = clock,
      .metrics = metrics,
      .login_throttle = throttle,
      .signup_throttle = signup_throttle,
      .passwords = passwords,
      .options = {.allow_signup = config.allow_signup,
                  .token_ttl = config.token_ttl,
                  .cron_secret = config.cron_secret,
                  .web_root = config.web_root,
                  .trusted_proxies = config.trusted_proxies,
                  .dashboard_frame_origins = connect_ui_origins(config),

                  .long_work = {.wait_threads = config.wait_threads,
                                .check_threads = config.check_threads,
                                .max_queued_checks = config.max_queued_checks,
                                .tenant_max_checks = config.tenant_max_checks},
                  .tenant_max_event_streams = config.tenant_max_event_streams},
      .hooks = {.on_login = [&engine](TenantId tenant_id) { engine.on_login(tenant_id); }},
      .events = &events,
  });

  // After the API's collectors: the worker's count joins the webhook counters' family.
  metrics.add_collector([&hubspot_events] {
    const sync::HubspotEventTotals t = hubspot_events.totals();
    return fmt::format(
        "tenantsync_webhook_events_total{{source=\"hubspot\",outcome=\"applied\"}} {}\n"
        "# HELP tenantsync_webhook_apply_failures_total Passes of the HubSpot event worker that failed (retried).\n"
        "# TYPE tenantsync_webhook_apply_failures_total counter\n"
        "tenantsync_webhook_apply_failures_total {}\n",
        t.applied, t.failed);
  });

  http::Server server(
      http::ServerOptions{.host = config.listen_host,
                          .port = config.listen_port,
                          .body_limit = config.body_limit,
                          .handler_threads = config.handler_threads,
                          .max_queued_requests = config.max_queued_requests,
                          .max_connections = config.max_connections},
      [&api](const http::Request& r) { return api.handle(r); },
      request_observer(metrics, config.trusted_proxies));
  std::uint16_t port = 0;
  try {
    port = server.start();
  } catch (const std::exception& e) {
    spdlog::critical("event=listen_failed address={}:{} message=\"{}\"", config.listen_host, config.listen_port,
                     e.what());
    return 1;
  }
  if (cluster_events) {
    // A run queued on another instance (or a slot it freed) wakes an idle worker here at once,
    // instead of at its next poll: the instances share the queue's work evenly.
    cluster_events->set_observer([&engine](const ClusterEvent& event) {
      if (frees_or_queues_work(event.name)) engine.work_elsewhere();
    });
    cluster_events->start();
  }
  engine.start();
  scheduler.start();
  webhook_delivery.start();
  hubspot_events.start();
  if (!port_file.empty()) std::ofstream(port_file) << port << "\n";
  spdlog::info("event=listening url=http://{}:{} database={}", config.listen_host, port, (*store).backend());
  std::cout << "tenantsync listening on http://" << config.listen_host << ":" << port << std::endl;
  server.wait_for_shutdown_signal();
  hubspot_events.stop();
  scheduler.stop();
  webhook_delivery.stop();
  engine.stop();  // first: waits for runs then answer at once
  if (cluster_events) cluster_events->stop();
  // Long work (waits, checks) hands answers to the server's connections: end it while they exist.
  api.stop();
  spdlog::info("event=stopped");
  return 0;
}

int migrate(const Config& config) {
  auto store = open_and_migrate(config);
  if (!store) return 1;
  auto version = store->schema_version();
  if (!version.ok()) {
    std::cerr << version.error().message << "\n";
    return 1;
  }
  std::cout << "schema version " << *version << " (" << store->backend() << ")\n";
  return 0;
}

int create_user(const Config& config, const CreateUserArgs& args) {
  crypto::init();
  if (args.password.size() < 8) {
    std::cerr << "The password must be at least 8 characters (--password or TENANTSYNC_ADMIN_PASSWORD).\n";
    return 2;
  }
  const auto email = core::normalize_email(args.email);
  if (!core::looks_like_email(email)) {
    std::cerr << "\"" << args.email << "\" is not an e-mail address.\n";
    return 2;
  }
  auto store = open_and_migrate(config);
  if (!store) return 1;
  auto hash = crypto::hash_password(args.password, config.password_cost);
  if (!hash.ok()) {
    std::cerr << hash.error().message << "\n";
    return 1;
  }
  const auto now = SystemClock().now();
  if (args.create_tenant) {
    auto created = store->create_tenant_with_user(args.tenant_name, email, *hash, now);
    if (!created.ok()) {
      std::cerr << created.error().message << "\n";
      return 1;
    }
    std::cout << "created tenant " << created->first.id << " (" << args.tenant_name << ") and user " << email << "\n";
    return 0;
  }
  auto tenant = store->find_tenant_by_name(args.tenant_name);
  if (!tenant.ok() || !tenant->has_value()) {
    std::cerr << "No tenant named \"" << args.tenant_name << "\"; add --create-tenant to create it.\n";
    return 1;
  }
  auto user = store->create_user((*tenant)->id, email, *hash, now);
  if (!user.ok()) {
    std::cerr << user.error().message << "\n";
    return 1;
  }
  std::cout << "created user " << email << " in tenant " << (*tenant)->id << "\n";
  return 0;
}

}  // namespace tenantsync::app
