#include "app/config.hpp"

#include <toml++/toml.h>

#include <charconv>
#include <cstdlib>
#include <type_traits>
#include <utility>

#include "core/cron.hpp"
#include "core/duration.hpp"

namespace tenantsync::app {
namespace {

// A problem with a value, said so a person can fix it; nullopt when the value was taken.
using Problem = std::optional<std::string>;
using Setter = std::function<Problem(Config&, const std::string&)>;

struct Setting {
  SettingDoc doc;
  Setter apply;
};

// One check per kind of value: each parses and validates the text and sets the field.

Problem set_text(std::string& field, const std::string& value) {
  field = value;
  return std::nullopt;
}

Problem set_path(std::string& field, const std::string& value) {
  if (value.empty()) return "must not be empty";
  return set_text(field, value);
}

// Empty is allowed (it disables what the secret guards); anything set must be hard to guess.
Problem set_secret(std::string& field, const std::string& value) {
  if (!value.empty() && value.size() < 16)
    return "must be at least 16 characters (try: openssl rand -base64 32)";
  return set_text(field, value);
}

Problem set_url(std::string& field, const std::string& value) {
  if (!value.starts_with("http://") && !value.starts_with("https://")) {
    return "must be an http:// or https:// URL, got \"" + value + "\"";
  }
  field = value;
  while (field.size() > 1 && field.back() == '/') field.pop_back();
  return std::nullopt;
}

Problem set_bool(bool& field, const std::string& value) {
  if (value == "1" || value == "true" || value == "yes" || value == "on")
    field = true;
  else if (value == "0" || value == "false" || value == "no" || value == "off")
    field = false;
  else
    return "must be true or false, got \"" + value + "\"";
  return std::nullopt;
}

Problem set_duration(std::chrono::milliseconds& field, const std::string& value) {
  auto parsed = parse_duration(value);
  if (!parsed) return "must be a duration such as 90s, 15m, 2h or 7d, got \"" + value + "\"";
  field = *parsed;
  return std::nullopt;
}

template <class Int>
Problem set_int(Int& field, const std::string& value, Int min, Int max) {
  Int parsed{};
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
  if (ec != std::errc() || ptr != value.data() + value.size() || parsed < min || parsed > max) {
    return "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max) + ", got \"" +
           value + "\"";
  }
  field = parsed;
  return std::nullopt;
}

Problem set_schedule(std::string& field, const std::string& value) {
  if (value != "off") {
    auto parsed = core::CronSchedule::parse(value);
    if (!parsed.ok())
      return "must be a cron expression such as \"0 * * * *\" or off: " + parsed.error().message;
  }
  return set_text(field, value);
}

// One of a fixed set of words, each standing for a value of the field.
template <class T>
using Choices = std::vector<std::pair<std::string, T>>;

template <class T>
Problem set_choice(T& field, const std::string& value, const Choices<T>& choices) {
  std::string names;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (choices[i].first == value) {
      field = choices[i].second;
      return std::nullopt;
    }
    names += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i].first;
  }
  return "must be " + names + ", got \"" + value + "\"";
}

// The Setter of one Config field: runs the value kind's check on it, with the check's extra
// arguments (bounds, choices) after the value.
template <class Field, class... Extra>
Setter setter(Field Config::*member, Problem (*check)(Field&, const std::string&, Extra...),
              std::type_identity_t<Extra>... extra) {
  return [=](Config& c, const std::string& value) { return check(c.*member, value, extra...); };
}

Problem set_listen(Config& c, const std::string& value) {
  const auto colon = value.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return "must be HOST:PORT such as 127.0.0.1:8080, got \"" + value + "\"";
  std::string host = value.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (auto problem = set_int<std::uint16_t>(c.listen_port, value.substr(colon + 1), 0, 65535)) {
    return "port " + *problem;
  }
  c.listen_host = host == "localhost" ? "127.0.0.1" : host;
  return std::nullopt;
}

// A bound of core::RunLimits: a positive whole number.
Setter run_limit(std::int64_t core::RunLimits::*member) {
  return [member](Config& c, const std::string& value) {
    return set_int<std::int64_t>(c.run_limits.*member, value, 1, std::int64_t{1} << 50);
  };
}

Problem set_database_url(std::string& field, const std::string& value) {
  const bool sqlite = value.starts_with("sqlite:") && value.size() > 7;
  if (!sqlite && !value.starts_with("postgresql://") && !value.starts_with("postgres://")) {
    return "must be sqlite:PATH or postgresql://user@host/db, got \"" + value + "\"";
  }
  return set_text(field, value);
}

Problem set_trusted_proxies(http::TrustedProxies& field, const std::string& value) {
  auto parsed = http::TrustedProxies::parse(value);
  if (!parsed.ok()) return "must be a comma-separated list of CIDRs such as 10.0.0.0/8: " + parsed.error().message;
  field = *parsed;
  return std::nullopt;
}

// Checks between settings, after every layer is read.
std::string cross_problems(const Config& c) {
  std::string problems;
  if (c.password_cost == crypto::PasswordCost::minimal && !c.test_environment) {
    problems +=
        "- TENANTSYNC_PASSWORD_HASH minimal makes passwords cheap to guess; it is for test suites only "
        "(set TENANTSYNC_ENV=test there)\n";
  }
  return problems;
}

const std::vector<Setting>& settings() {
  static const std::vector<Setting> kSettings = {
      {{"TENANTSYNC_LISTEN", "listen",
        "address and port to serve on (default 127.0.0.1:8080; port 0 picks one)"},
       set_listen},
      {{"TENANTSYNC_DATABASE_URL", "database_url",
        "sqlite:PATH (default sqlite:data/tenantsync.db) or postgresql://user:pass@host:5432/db"},
       setter(&Config::database_url, set_database_url)},
      {{"TENANTSYNC_SECRET_KEY_FILE", "secret_key_file",
        "key that encrypts stored secrets; created with mode 0600 when missing (default data/secret.key)"},
       setter(&Config::secret_key_file, set_path)},
      {{"CRON_SECRET", "cron_secret", "bearer secret of GET /api/cron/sync-crm; unset disables the endpoint"},
       setter(&Config::cron_secret, set_secret)},
      {{"TENANTSYNC_ALLOW_SIGNUP", "allow_signup",
        "whether POST /api/auth/signup creates tenants (default true)"},
       setter(&Config::allow_signup, set_bool)},
      {{"TENANTSYNC_BOLNA_URL", "bolna_url", "Bolna API base URL (default https://api.bolna.ai)"},
       setter(&Config::bolna_url, set_url)},
      {{"TENANTSYNC_HUBSPOT_URL", "hubspot_url", "HubSpot API base URL (default https://api.hubapi.com)"},
       setter(&Config::hubspot_url, set_url)},
      {{"TENANTSYNC_HUBSPOT_RATE_RESERVE", "hubspot_rate_reserve",
        "HubSpot burst calls each 10-second window leaves unspent, for other apps of the account (default 5)"},
       setter(&Config::hubspot_rate_reserve, set_int<int>, 0, 1000)},
      {{"TENANTSYNC_HUBSPOT_SEARCH_FROM_THE_TOP", "hubspot_search_from_the_top",
        "whether a first HubSpot sync also reads contacts down from the highest id through search, beside the "
        "list API, spending search's own budget (default true)"},
       setter(&Config::hubspot_search_from_the_top, set_bool)},
      {{"TENANTSYNC_SALESFORCE_LOGIN_URL", "salesforce_login_url",
        "Salesforce login URL for token refresh (default https://login.salesforce.com)"},
       setter(&Config::salesforce_login_url, set_url)},
      {{"TENANTSYNC_NANGO_URL", "nango_url", "Nango API base URL (default https://api.nango.dev)"},
       setter(&Config::nango_url, set_url)},
      {{"TENANTSYNC_NANGO_SECRET_KEY", "nango_secret_key", "Nango secret key (needed for Nango connections)"},
       setter(&Config::nango_secret_key, set_text)},
      {{"TENANTSYNC_HUBSPOT_CLIENT_ID", "hubspot_client_id",
        "HubSpot OAuth app client id (for connections made with a refresh token)"},
       setter(&Config::hubspot_client_id, set_text)},
      {{"TENANTSYNC_PUBLIC_URL", "public_url",
        "the server's URL as the upstreams reach it, e.g. https://sync.example.com: the call-webhook URLs "
        "start with it and HubSpot signs it (default: http:// + the request's Host header)"},
       setter(&Config::public_url, set_url)},
      {{"TENANTSYNC_HUBSPOT_CLIENT_SECRET", "hubspot_client_secret",
        "HubSpot app client secret: OAuth refresh, and the key of webhook signatures (unset: POST /hooks/hubspot 404)"},
       setter(&Config::hubspot_client_secret, set_text)},
      {{"TENANTSYNC_SALESFORCE_CLIENT_ID", "salesforce_client_id",
        "Salesforce connected app consumer key (for connections made with a refresh token)"},
       setter(&Config::salesforce_client_id, set_text)},
      {{"TENANTSYNC_SALESFORCE_CLIENT_SECRET", "salesforce_client_secret",
        "Salesforce connected app consumer secret"},
       setter(&Config::salesforce_client_secret, set_text)},
      {{"TENANTSYNC_TOKEN_TTL", "token_ttl", "lifetime of a login token (default 7d)"},
       setter(&Config::token_ttl, set_duration)},
      {{"TENANTSYNC_AUDIT_RETENTION", "audit_retention",
        "how long audit log entries are kept (default 365d; 0s keeps them forever)"},
       setter(&Config::audit_retention, set_duration)},
      {{"TENANTSYNC_SYNC_ON_LOGIN_AFTER", "sync_on_login_after",
        "a login starts a voice sync when the last one is older than this (default 15m)"},
       setter(&Config::sync_on_login_after, set_duration)},
      {{"TENANTSYNC_SYNC_WAIT", "sync_wait",
        "how long POST /api/tenant/sync waits for its run before answering 202 with the run id (default "
        "60s)"},
       setter(&Config::sync_wait, set_duration)},
      {{"TENANTSYNC_SYNC_HISTORY", "sync_history",
        "how far back a first sync reads executions (default 30d)"},
       setter(&Config::sync_history, set_duration)},
      {{"TENANTSYNC_UPSTREAM_TIMEOUT", "upstream_timeout",
        "time limit of one upstream request (default 30s)"},
       setter(&Config::upstream_timeout, set_duration)},
      {{"TENANTSYNC_UPSTREAM_ATTEMPTS", "upstream_attempts",
        "sends of one upstream request on 429/5xx/network errors, the first included (default 5)"},
       setter(&Config::upstream_attempts, set_int<int>, 1, 10)},
      {{"TENANTSYNC_JOB_LEASE", "job_lease",
        "a run whose worker has not renewed its lease for this long is failed (worker_lost) and queued again "
        "(default 30s)"},
       setter(&Config::job_lease, set_duration)},
      {{"TENANTSYNC_SYNC_WORKERS", "sync_workers", "runs this instance executes at once (default 2)"},
       setter(&Config::sync_workers, set_int<int>, 1, 64)},
      {{"TENANTSYNC_INSTANCE_ID", "instance_id",
        "name of this instance in job leases and scheduler ticks (default: hostname and process id)"},
       setter(&Config::instance_id, set_text)},
      {{"TENANTSYNC_CRM_SCHEDULE", "crm_schedule",
        "cron expression (UTC) of the built-in CRM sync of every connection (default \"0 * * * *\"; \"off\" "
        "disables)"},
       setter(&Config::crm_schedule, set_schedule)},
      {{"TENANTSYNC_VOICE_SCHEDULE", "voice_schedule",
        "cron expression (UTC) of the built-in voice sync of every tenant with a key (default \"0 * * * *\"; "
        "\"off\" disables)"},
       setter(&Config::voice_schedule, set_schedule)},
      {{"TENANTSYNC_PASSWORD_HASH", "password_hash",
        "Argon2id cost: interactive (default), moderate, or minimal (test suites only)"},
       setter(&Config::password_cost, set_choice<crypto::PasswordCost>,
              Choices<crypto::PasswordCost>{{"interactive", crypto::PasswordCost::interactive},
                                            {"moderate", crypto::PasswordCost::moderate},
                                            {"minimal", crypto::PasswordCost::minimal}})},
      {{"TENANTSYNC_PASSWORD_HASH_CONCURRENCY", "password_hash_concurrency",
        "password hashes run at once; more wait (default 2; each takes 64 MiB at the interactive cost)"},
       setter(&Config::password_hash_concurrency, set_int<int>, 1, 64)},
      {{"TENANTSYNC_SIGNUP_BURST", "signup_burst",
        "sign-ups one address may make in a row; each further one waits longer, up to an hour (default 5)"},
       setter(&Config::signup_burst, set_int<int>, 1, 1'000'000)},
      {{"TENANTSYNC_TRUSTED_PROXIES", "trusted_proxies",
        "comma-separated CIDRs of reverse proxies whose X-Forwarded-For names the client (default none: "
        "the header is ignored)"},
       setter(&Config::trusted_proxies, set_trusted_proxies)},
      {{"TENANTSYNC_ENV", "env", "production (default) or test (allows the minimal password hash)"},
       setter(&Config::test_environment, set_choice<bool>,
              Choices<bool>{{"production", false}, {"test", true}})},
      {{"TENANTSYNC_BODY_LIMIT", "body_limit", "largest request body in bytes (default 1048576)"},
       setter(&Config::body_limit, set_int<std::size_t>, 1024, 64u << 20)},
      {{"TENANTSYNC_HANDLER_THREADS", "handler_threads", "threads that run requests (default 8)"},
       setter(&Config::handler_threads, set_int<int>, 1, 256)},
      {{"TENANTSYNC_WEB_ROOT", "web_root", "folder of the built dashboard (default web/dist)"},
       setter(&Config::web_root, set_text)},
      {{"TENANTSYNC_ALLOW_PRIVATE_UPSTREAMS", "allow_private_upstreams",
        "let upstream requests go to loopback and private addresses, and over http (default false: public "
        "hosts over https only; tests, the demo and on-premise upstreams set it)"},
       setter(&Config::allow_private_upstreams, set_bool)},
      {{"TENANTSYNC_MAX_RECORDS_PER_RESOURCE", "max_records_per_resource",
        "records of one resource (agents, executions, CRM contacts, …) a run may read (default 2000000)"},
       run_limit(&core::RunLimits::records_per_resource)},
      {{"TENANTSYNC_MAX_RECORDS_PER_RUN", "max_records_per_run",
        "records a run may read in all (default 4000000)"},
       run_limit(&core::RunLimits::records_per_run)},
      {{"TENANTSYNC_MAX_BYTES_PER_RESOURCE", "max_bytes_per_resource",
        "bytes of records of one resource a run may read (default 1073741824)"},
       run_limit(&core::RunLimits::bytes_per_resource)},
      {{"TENANTSYNC_MAX_BYTES_PER_RUN", "max_bytes_per_run",
        "bytes of records a run may read in all; a voice run holds them until it plans (default 1073741824)"},
       run_limit(&core::RunLimits::bytes_per_run)},
      {{"TENANTSYNC_MAX_PAGES_PER_RESOURCE", "max_pages_per_resource",
        "pages of one resource a run may read (default 100000)"},
       run_limit(&core::RunLimits::pages_per_resource)},
      {{"TENANTSYNC_MAX_PAGES_PER_RUN", "max_pages_per_run", "pages a run may read in all (default 200000)"},
       run_limit(&core::RunLimits::pages_per_run)},
      {{"TENANTSYNC_CHANGES_RETENTION", "changes_retention",
        "how long change-feed entries and finished webhook deliveries are kept (default 90d)"},
       setter(&Config::changes_retention, set_duration)},
      {{"TENANTSYNC_WEBHOOK_WORKERS", "webhook_workers",
        "webhook endpoints this instance sends to at once, each one delivery at a time (default 4)"},
       setter(&Config::webhook_workers, set_int<int>, 1, 256)},
      {{"TENANTSYNC_WEBHOOK_TIMEOUT", "webhook_timeout", "time limit of one webhook delivery attempt (default 10s)"},
       setter(&Config::webhook_timeout, set_duration)},
      {{"TENANTSYNC_WEBHOOK_BACKOFF", "webhook_backoff",
        "ceiling of the wait before a delivery's first retry, doubling per retry, with jitter (default 5s)"},
       setter(&Config::webhook_backoff, set_duration)},
      {{"TENANTSYNC_WEBHOOK_BACKOFF_MAX", "webhook_backoff_max",
        "longest wait between two attempts of a delivery (default 1h)"},
       setter(&Config::webhook_backoff_max, set_duration)},
      {{"TENANTSYNC_WEBHOOK_RETRY_WINDOW", "webhook_retry_window",
        "how long a delivery is retried before it is marked failed (default 24h)"},
       setter(&Config::webhook_retry_window, set_duration)},
      {{"TENANTSYNC_WEBHOOK_POLL", "webhook_poll",
        "how often an idle instance checks the feed and the delivery queue (default 100ms)"},
       setter(&Config::webhook_poll, set_duration)},
      {{"TENANTSYNC_TENANT_MAX_WEBHOOKS", "tenant_max_webhooks", "webhook endpoints per tenant (default 10)"},
       setter(&Config::tenant_max_webhooks, set_int<int>, 1, 1000)},
      {{"TENANTSYNC_MAX_CONNECTIONS", "max_connections",
        "open connections; past it a new one is answered 503 overloaded and closed (default 1024)"},
       setter(&Config::max_connections, set_int<std::size_t>, 16, 1'000'000)},
      {{"TENANTSYNC_MAX_QUEUED_REQUESTS", "max_queued_requests",
        "requests waiting for a handler thread; past it 503 overloaded with Retry-After (default 256)"},
       setter(&Config::max_queued_requests, set_int<std::size_t>, 0, 100'000)},
      {{"TENANTSYNC_WAIT_THREADS", "wait_threads",
        "sync requests that wait for their runs at once; past it they answer 202 at once (default 16)"},
       setter(&Config::wait_threads, set_int<int>, 1, 1024)},
      {{"TENANTSYNC_CHECK_THREADS", "check_threads", "key and CRM credentials checks at once (default 4)"},
       setter(&Config::check_threads, set_int<int>, 1, 256)},
      {{"TENANTSYNC_MAX_QUEUED_CHECKS", "max_queued_checks",
        "checks waiting for a thread; past it 503 overloaded (default 16)"},
       setter(&Config::max_queued_checks, set_int<std::size_t>, 0, 10'000)},
      {{"TENANTSYNC_CHECK_BUDGET", "check_budget",
        "total time of one key or credentials check, one try without retries (default 10s)"},
       setter(&Config::check_budget, set_duration)},
      {{"TENANTSYNC_RUN_DEADLINE", "run_deadline", "a sync run longer than this is stopped (default 30m)"},
       setter(&Config::run_deadline, set_duration)},
      {{"TENANTSYNC_TENANT_MAX_RUNS", "tenant_max_runs",
        "queued and running syncs per tenant, dry runs included; past it 429 limit_exceeded (default 20)"},
       setter(&Config::tenant_max_runs, set_int<int>, 1, 10'000)},
      {{"TENANTSYNC_TENANT_CONCURRENCY", "tenant_concurrency",
        "syncs of one tenant executing at once across all instances; its other due syncs wait (default 1)"},
       setter(&Config::tenant_concurrency, set_int<int>, 1, 1'000)},
      {{"TENANTSYNC_TENANT_MAX_CRM_CONNECTIONS", "tenant_max_crm_connections",
        "active CRM connections per tenant; past it 429 limit_exceeded (default 10)"},
       setter(&Config::tenant_max_crm_connections, set_int<int>, 1, 10'000)},
      {{"TENANTSYNC_TENANT_MAX_EVENT_STREAMS", "tenant_max_event_streams",
        "open GET /api/events streams per tenant; past it 429 limit_exceeded (default 5)"},
       setter(&Config::tenant_max_event_streams, set_int<int>, 1, 10'000)},
      {{"TENANTSYNC_TENANT_MAX_CHECKS", "tenant_max_checks",
        "key and CRM credentials checks per tenant at once; past it 429 limit_exceeded (default 1)"},
       setter(&Config::tenant_max_checks, set_int<int>, 1, 256)},
      {{"TENANTSYNC_LOG_LEVEL", "log_level", "trace, debug, info (default), warn or error"},
       setter(&Config::log_level, set_choice<std::string>,
              Choices<std::string>{{"trace", "trace"},
                                   {"debug", "debug"},
                                   {"info", "info"},
                                   {"warn", "warn"},
                                   {"error", "error"}})},
  };
  return kSettings;
}

std::optional<std::string> toml_value_as_string(const toml::node& node) {
  if (auto s = node.value<std::string>()) return *s;
  if (auto b = node.value_exact<bool>()) return *b ? "true" : "false";
  if (auto i = node.value_exact<std::int64_t>()) return std::to_string(*i);
  return std::nullopt;
}

}  // namespace

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

const std::vector<SettingDoc>& setting_docs() {
  static const std::vector<SettingDoc> kDocs = [] {
    std::vector<SettingDoc> docs;
    for (const auto& s : settings()) docs.push_back(s.doc);
    return docs;
  }();
  return kDocs;
}

Result<Config> load_config(const std::string& config_file, const EnvLookup& env) {
  Config config;
  std::string problems;
  if (!config_file.empty()) {
    toml::table table;
    try {
      table = toml::parse_file(config_file);
    } catch (const toml::parse_error& e) {
      return make_error(core::ErrorCode::bad_config, "Cannot read the configuration file " + config_file +
                                                         ": " + std::string(e.description()));
    }
    for (auto&& [key, node] : table) {
      const std::string name(key.str());
      const Setting* match = nullptr;
      for (const auto& s : settings()) {
        if (s.doc.toml_key == name) match = &s;
      }
      if (match == nullptr) {
        problems += "- " + config_file + ": unknown setting \"" + name + "\"\n";
        continue;
      }
      auto value = toml_value_as_string(node);
      if (!value) {
        problems += "- " + config_file + ": " + name + " must be a string, number or boolean\n";
      } else if (auto problem = match->apply(config, *value)) {
        problems += "- " + config_file + ": " + name + " " + *problem + "\n";
      }
    }
  }
  for (const auto& s : settings()) {
    if (auto value = env(s.doc.env)) {
      if (auto problem = s.apply(config, *value)) problems += "- " + s.doc.env + " " + *problem + "\n";
    }
  }
  if (problems.empty()) problems = cross_problems(config);
  if (!problems.empty()) {
    problems.pop_back();
    return make_error(core::ErrorCode::bad_config, "The configuration has problems:\n" + problems);
  }
  return config;
}

}  // namespace tenantsync::app
