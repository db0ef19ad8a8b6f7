#include "app/config.hpp"

#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

namespace tenantsync::app {
namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(Config, DefaultsWithoutAnything) {
  auto config = load_config("", env_of({}));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->listen_host, "127.0.0.1");
  EXPECT_EQ(config->listen_port, 8080);
  EXPECT_EQ(config->database_url, "sqlite:data/tenantsync.db");
  EXPECT_EQ(config->bolna_url, "https://api.bolna.ai");
  EXPECT_TRUE(config->cron_secret.empty());
  EXPECT_EQ(config->sync_on_login_after, std::chrono::minutes(15));
}

TEST(Config, LimitsHaveDefaultsAndAreRead) {
  auto defaults = load_config("", env_of({}));
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->max_connections, 1024u);
  EXPECT_EQ(defaults->check_budget, std::chrono::seconds(10));
  EXPECT_EQ(defaults->tenant_max_runs, 20);
  EXPECT_EQ(defaults->tenant_max_event_streams, 5);
  EXPECT_EQ(defaults->tenant_concurrency, 1);
  auto set = load_config("", env_of({{"TENANTSYNC_TENANT_MAX_RUNS", "3"},
                                     {"TENANTSYNC_TENANT_CONCURRENCY", "2"},
                                     {"TENANTSYNC_CHECK_BUDGET", "2s"},
                                     {"TENANTSYNC_MAX_QUEUED_REQUESTS", "0"},
                                     {"TENANTSYNC_TENANT_MAX_CRM_CONNECTIONS", "1"}}));
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->tenant_max_runs, 3);
  EXPECT_EQ(set->tenant_concurrency, 2);
  EXPECT_EQ(set->check_budget, std::chrono::seconds(2));
  EXPECT_EQ(set->max_queued_requests, 0u);
  EXPECT_EQ(set->tenant_max_crm_connections, 1);
  // A limit of 0 would mean none at all: refused, with the variable named.
  auto zero = load_config("", env_of({{"TENANTSYNC_TENANT_MAX_EVENT_STREAMS", "0"}}));
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.error().message.find("TENANTSYNC_TENANT_MAX_EVENT_STREAMS"), std::string::npos);
}

TEST(Config, HubSpotPacingHasDefaultsAndIsRead) {
  auto defaults = load_config("", env_of({}));
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->hubspot_rate_reserve, 5);
  EXPECT_TRUE(defaults->hubspot_search_from_the_top);
  auto set = load_config("", env_of({{"TENANTSYNC_HUBSPOT_RATE_RESERVE", "20"},
                                     {"TENANTSYNC_HUBSPOT_SEARCH_FROM_THE_TOP", "false"}}));
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->hubspot_rate_reserve, 20);
  EXPECT_FALSE(set->hubspot_search_from_the_top);
  auto negative = load_config("", env_of({{"TENANTSYNC_HUBSPOT_RATE_RESERVE", "-1"}}));
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.error().message.find("TENANTSYNC_HUBSPOT_RATE_RESERVE"), std::string::npos);
}

TEST(Config, EnvironmentOverridesFile) {
  const auto path = std::filesystem::temp_directory_path() / "tenantsync-config-test.toml";
  {
    std::ofstream out(path);
    out << "listen = \"0.0.0.0:9000\"\nallow_signup = false\nbolna_url = \"http://file.example/\"\n"
           "handler_threads = 4\n";
  }
  auto config = load_config(path.string(), env_of({{"TENANTSYNC_BOLNA_URL", "http://127.0.0.1:7000"}}));
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->listen_host, "0.0.0.0");
  EXPECT_EQ(config->listen_port, 9000);
  EXPECT_FALSE(config->allow_signup);
  EXPECT_EQ(config->bolna_url, "http://127.0.0.1:7000");
  EXPECT_EQ(config->handler_threads, 4);
  std::filesystem::remove(path);
}

TEST(Config, ListsEveryProblemWithWhatToFix) {
  auto config = load_config("", env_of({{"TENANTSYNC_LISTEN", "nonsense"},
                                        {"TENANTSYNC_DATABASE_URL", "mysql://x"},
                                        {"CRON_SECRET", "short"},
                                        {"TENANTSYNC_SYNC_ON_LOGIN_AFTER", "soon"}}));
  ASSERT_FALSE(config.ok());
  const auto& message = config.error().message;
  EXPECT_NE(message.find("TENANTSYNC_LISTEN must be HOST:PORT"), std::string::npos) << message;
  EXPECT_NE(message.find("TENANTSYNC_DATABASE_URL must be sqlite:PATH"), std::string::npos);
  EXPECT_NE(message.find("CRON_SECRET must be at least 16"), std::string::npos);
  EXPECT_NE(message.find("TENANTSYNC_SYNC_ON_LOGIN_AFTER must be a duration"), std::string::npos);
}

TEST(Config, RejectsUnknownFileKeysAndBadToml) {
  const auto path = std::filesystem::temp_directory_path() / "tenantsync-config-bad.toml";
  { std::ofstream(path) << "lisen = \"x\"\n"; }
  auto config = load_config(path.string(), env_of({}));
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("unknown setting \"lisen\""), std::string::npos);
  { std::ofstream(path) << "listen = \n"; }
  EXPECT_FALSE(load_config(path.string(), env_of({})).ok());
  std::filesystem::remove(path);
}

TEST(Config, MinimalPasswordHashOnlyInTheTestEnvironment) {
  auto refused = load_config("", env_of({{"TENANTSYNC_PASSWORD_HASH", "minimal"}}));
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().is(core::ErrorCode::bad_config));
  EXPECT_NE(refused.error().message.find("TENANTSYNC_ENV=test"), std::string::npos) << refused.error().message;
  EXPECT_FALSE(load_config("", env_of({{"TENANTSYNC_PASSWORD_HASH", "minimal"}, {"TENANTSYNC_ENV", "production"}})).ok());
  auto allowed = load_config("", env_of({{"TENANTSYNC_PASSWORD_HASH", "minimal"}, {"TENANTSYNC_ENV", "test"}}));
  ASSERT_TRUE(allowed.ok()) << allowed.error().message;
  EXPECT_EQ(allowed->password_cost, crypto::PasswordCost::minimal);
  EXPECT_FALSE(load_config("", env_of({{"TENANTSYNC_ENV", "staging"}})).ok());
}

TEST(Config, TrustedProxiesAreCidrs) {
  auto config = load_config("", env_of({{"TENANTSYNC_TRUSTED_PROXIES", "10.0.0.0/8, ::1"}}));
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_TRUE(config->trusted_proxies.contains("10.2.3.4"));
  EXPECT_TRUE(config->trusted_proxies.contains("::1"));
  EXPECT_FALSE(config->trusted_proxies.contains("127.0.0.1"));
  EXPECT_TRUE(load_config("", env_of({}))->trusted_proxies.empty());
  auto bad = load_config("", env_of({{"TENANTSYNC_TRUSTED_PROXIES", "10.0.0.0/40"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("TENANTSYNC_TRUSTED_PROXIES must be"), std::string::npos);
}

}  // namespace
}  // namespace tenantsync::app
