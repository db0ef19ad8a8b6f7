#include "app/config.hpp"

#include <charconv>
#include <cstdlib>

#include <toml++/toml.h>

#include "core/cron.hpp"
#include "core/duration.hpp"

namespace tenantsync::app {
namespace {

using Setter = std::function<std::optional<std::string>(Config&, const std::string&)>;

struct Setting {
  SettingDoc doc;
  Setter apply;  ///< returns a problem description, or nullopt when the value was taken
};

std::optional<std::string> set_url(std::string& field, const std::string& value) {
  if (!value.starts_with("http://") && !value.starts_with("https://")) {
    return "must be an http:// or https:// URL, got \"" + value + "\"";
  }
  field = value;
  while (field.size() > 1 && field.back() == '/') field.pop_back();
  return std::nullopt;
}

std::optional<std::string> set_bool(bool& field, const std::string& value) {
  if (value == "1" || value == "true" || value == "yes" || value == "on") field = true;
  else if (value == "0" || value == "false" || value == "no" || value == "off") field = false;
  else return "must be true or false, got \"" + value + "\"";
  return std::nullopt;
}

std::optional<std::string> set_duration(std::chrono::milliseconds& field, const std::string& value) {
  auto parsed = parse_duration(value);
  if (!parsed) return "must be a duration such as 90s, 15m, 2h or 7d, got \"" + value + "\"";
  field = *parsed;
  return std::nullopt;
}

template <class Int>
std::optional<std::string> set_int(Int& field, const std::string& value, Int min, Int max) {
  Int parsed{};
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
  if (ec != std::errc() || ptr != value.data() + value.size() || parsed < min || parsed > max) {
    return "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max) + ", got \"" +
           value + "\"";
  }
  field = parsed;
  return std::nullopt;
}

std::optional<std::string> set_schedule(std::string& field, const std::string& value) {
  if (value != "off") {
    auto parsed = core::CronSchedule::parse(value);
    if (!parsed.ok()) return "must be a cron expression such as \"0 * * * *\" or off: " + parsed.error().message;
  }
  field = value;
  return std::nullopt;
}

std::optional<std::string> set_listen(Config& c, const std::string& value) {
  const auto colon = value.rfind(':');
  if (colon == std::string::npos || colon == 0) return "must be HOST:PORT such as 127.0.0.1:8080, got \"" + value + "\"";
  std::string host = value.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (auto problem = set_int<std::uint16_t>(c.listen_port, value.substr(colon + 1), 0, 65535)) {
    return "port " + *problem;
  }
  c.listen_host = host == "localhost" ? "127.0.0.1" : host;
  return std::nullopt;
}

std::optional<std::string> set_database_url(Config& c, const std::string& value) {
  if (value.starts_with("sqlite:") && value.size() > 7) {
    c.database_url = value;
  } else if (value.starts_with("postgresql://") || value.starts_with("postgres://")) {
    c.database_url = value;
  } else {
    return "must be sqlite:PATH or postgresql://user@host/db, got \"" + value + "\"";
  }
  return std::nullopt;
}

const std::vector<Setting>& settings() {
  static const std::vector<Setting> kSettings = {
      {{"TENANTSYNC_LISTEN", "listen", "address and port to serve on (default 127.0.0.1:8080; port 0 picks one)"},
       set_listen},
      {{"TENANTSYNC_DATABASE_URL", "database_url",
        "sqlite:PATH (default sqlite:data/tenantsync.db) or postgresql://user:pass@host:5432/db"},
       set_database_url},
      {{"TENANTSYNC_SECRET_KEY_FILE", "secret_key_file",
        "key that encrypts stored secrets; created with mode 0600 when missing (default data/secret.key)"},
       [](Config& c, const std::string& v) -> std::optional<std::string> {
         if (v.empty()) return "must not be empty";
         c.secret_key_file = v;
         return std::nullopt;
       }},
      {{"CRON_SECRET", "cron_secret", "bearer secret of GET /api/cron/sync-crm; unset disables the endpoint"},
       [](Config& c, const std::string& v) -> std::optional<std::string> {
         if (!v.empty() && v.size() < 16) return "must be at least 16 characters (try: openssl rand -base64 32)";
         c.cron_secret = v;
         return std::nullopt;
       }},
      {{"TENANTSYNC_ALLOW_SIGNUP", "allow_signup", "whether POST /api/auth/signup creates tenants (default true)"},
       [](Config& c, const std::string& v) { return set_bool(c.allow_signup, v); }},
      {{"TENANTSYNC_BOLNA_URL", "bolna_url", "Bolna API base URL (default https://api.bolna.ai)"},
       [](Config& c, const std::string& v) { return set_url(c.bolna_url, v); }},
      {{"TENANTSYNC_HUBSPOT_URL", "hubspot_url", "HubSpot API base URL (default https://api.hubapi.com)"},
       [](Config& c, const std::string& v) { return set_url(c.hubspot_url, v); }},
      {{"TENANTSYNC_SALESFORCE_LOGIN_URL", "salesforce_login_url",
        "Salesforce login URL for token refresh (default https://login.salesforce.com)"},
       [](Config& c, const std::string& v) { return set_url(c.salesforce_login_url, v); }},
      {{"TENANTSYNC_NANGO_URL", "nango_url", "Nango API base URL (default https://api.nango.dev)"},
       [](Config& c, const std::string& v) { return set_url(c.nango_url, v); }},
      {{"TENANTSYNC_NANGO_SECRET_KEY", "nango_secret_key", "Nango secret key (needed for Nango connections)"},
       [](Config& c, const std::string& v) -> std::optional<std::string> {
         c.nango_secret_key = v;
         return std::nullopt;
       }},
      {{"TENANTSYNC_HUBSPOT_CLIENT_ID", "hubspot_client_id", "HubSpot OAuth app client id (for connections made with a refresh token)"},
       [](Config& c, const std::string& v) -> std::optional<std::string> {
         c.hubspot_client_id = v;
         return std::nullopt;
       }},
      {{"TENANTSYNC_HUBSPOT_CLIENT_SECRET", "hubspot_client_secret", "HubSpot OAuth app client secret"},
       [](Config& c, const std::string& v) -> std::optional<std::string> {
         c.hubspot_client_secret = v;
         return std::nullopt;
       }},
      {{"TENANTSYNC_SALESFORCE_CLIENT_ID", "salesforce_client_id", "Salesforce connected app consumer key (for connections made with a refresh token)"},
       [](Config& c, const std::string& v) -> std::optional<std::string> {
         c.salesforce_client_id = v;
         return std::nullopt;
       }},
      {{"TENANTSYNC_SALESFORCE_CLIENT_SECRET", "salesforce_client_secret", "Salesforce connected app consumer secret"},
       [](Config& c, const std::string& v) -> std::optional<std::string> {
         c.salesforce_client_secret = v;
         return std::nullopt;
       }},
      {{"TENANTSYNC_TOKEN_TTL", "token_ttl", "lifetime of a login token (default 7d)"},
       [](Config& c, const std::string& v) { return set_duration(c.token_ttl, v); }},
      {{"TENANTSYNC_SYNC_ON_LOGIN_AFTER", "sync_on_login_after",
        "a login starts a voice sync when the last one is older than this (default 15m)"},
       [](Config& c, const std::string& v) { return set_duration(c.sync_on_login_after, v); }},
      {{"TENANTSYNC_SYNC_WAIT", "sync_wait",
        "how long POST /api/tenant/sync waits for its run before answering 202 with the run id (default 60s)"},
       [](Config& c, const std::string& v) { return set_duration(c.sync_wait, v); }},
      {{"TENANTSYNC_SYNC_HISTORY", "sync_history", "how far back a first sync reads executions (default 30d)"},
       [](Config& c, const std::string& v) { return set_duration(c.sync_history, v); }},
      {{"TENANTSYNC_UPSTREAM_TIMEOUT", "upstream_timeout", "time limit of one upstream request (default 30s)"},
       [](Config& c, const std::string& v) { return set_duration(c.upstream_timeout, v); }},
      {{"TENANTSYNC_UPSTREAM_ATTEMPTS", "upstream_attempts",
        "sends of one upstream request on 429/5xx/network errors, the first included (default 5)"},
       [](Config& c, const std::string& v) { return set_int<int>(c.upstream_attempts, v, 1, 10); }},
      {{"TENANTSYNC_JOB_LEASE", "job_lease",
        "a run whose worker has not renewed its lease for this long is failed (worker_lost) and queued again (default 30s)"},
       [](Config& c, const std::string& v) { return set_duration(c.job_lease, v); }},
      {{"TENANTSYNC_SYNC_WORKERS", "sync_workers", "runs this instance executes at once (default 2)"},
       [](Config& c, const std::string& v) { return set_int<int>(c.sync_workers, v, 1, 64); }},
      {{"TENANTSYNC_INSTANCE_ID", "instance_id",
        "name of this instance in job leases and scheduler ticks (default: hostname and process id)"},
       [](Config& c, const std::string& v) -> std::optional<std::string> {
         c.instance_id = v;
         return std::nullopt;
       }},
      {{"TENANTSYNC_CRM_SCHEDULE", "crm_schedule",
        "cron expression (UTC) of the built-in CRM sync of every connection (default \"0 * * * *\"; \"off\" disables)"},
       [](Config& c, const std::string& v) { return set_schedule(c.crm_schedule, v); }},
      {{"TENANTSYNC_VOICE_SCHEDULE", "voice_schedule",
        "cron expression (UTC) of the built-in voice sync of every tenant with a key (default \"0 * * * *\"; \"off\" disables)"},
       [](Config& c, const std::string& v) { return set_schedule(c.voice_schedule, v); }},
      {{"TENANTSYNC_PASSWORD_HASH", "password_hash",
        "Argon2id cost: interactive (default), moderate, or minimal (test suites only)"},
       [](Config& c, const std::string& v) -> std::optional<std::string> {
         if (v == "interactive") c.password_cost = crypto::PasswordCost::interactive;
         else if (v == "moderate") c.password_cost = crypto::PasswordCost::moderate;
         else if (v == "minimal") c.password_cost = crypto::PasswordCost::minimal;
         else return "must be interactive, moderate or minimal, got \"" + v + "\"";
         return std::nullopt;
       }},
      {{"TENANTSYNC_BODY_LIMIT", "body_limit", "largest request body in bytes (default 1048576)"},
       [](Config& c, const std::string& v) { return set_int<std::size_t>(c.body_limit, v, 1024, 64u << 20); }},
      {{"TENANTSYNC_HANDLER_THREADS", "handler_threads", "threads that run requests (default 8)"},
       [](Config& c, const std::string& v) { return set_int(c.handler_threads, v, 1, 256); }},
      {{"TENANTSYNC_WEB_ROOT", "web_root", "folder of the built dashboard (default web/dist)"},
       [](Config& c, const std::string& v) -> std::optional<std::string> {
         c.web_root = v;
         return std::nullopt;
       }},
      {{"TENANTSYNC_LOG_LEVEL", "log_level", "trace, debug, info (default), warn or error"},
       [](Config& c, const std::string& v) -> std::optional<std::string> {
         if (v != "trace" && v != "debug" && v != "info" && v != "warn" && v != "error") {
           return "must be trace, debug, info, warn or error, got \"" + v + "\"";
         }
         c.log_level = v;
         return std::nullopt;
       }},
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
      return make_error("bad_config", "Cannot read the configuration file " + config_file + ": " +
                                          std::string(e.description()));
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
  if (!problems.empty()) {
    problems.pop_back();
    return make_error("bad_config", "The configuration has problems:\n" + problems);
  }
  return config;
}

}  // namespace tenantsync::app
