// Pointing agents at the call-webhook URL: which agents change, which keep another URL, what a
// refused agent does to the rest, and that removing touches only this server's URLs.
#include "service/agent_webhooks.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "service/use_cases.hpp"
#include "support/fake_connectors.hpp"
#include "support/temp_store.hpp"

namespace tenantsync::service {
namespace {

constexpr const char* kKey = "bn-agents-key-1234";
constexpr const char* kOtherUrl = "https://crm.example/bolna-hook";

class AgentWebhooksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(testing_support::open_temp_store("ts-agent-hooks-", dir_, store_, secrets_));
    auto& account = connectors_.accounts[kKey];
    account.account = {"acct-1", "", ""};
    for (const char* id : {"agent-1", "agent-2", "agent-3"}) account.agents.push_back(sync::test::fake_record(id, id));
    (*account.webhook_urls)["agent-3"] = kOtherUrl;  // the tenant's own integration
    use_cases_ = std::make_unique<UseCases>(Wiring::of(*store_, clock_, *secrets_, connectors_, nullptr),
                                            UseCaseOptions{});
    auto made = store_->create_tenant_with_user("Agents", "a@example.com", "hash", clock_.now());
    ASSERT_TRUE(made.ok());
    tenant_ = made->first.id;
  }
  void TearDown() override {
    use_cases_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void save_key() {
    auto settings = store_->get_settings(tenant_);
    ASSERT_TRUE(settings.ok());
    settings->voice_api_key_cipher = secrets_->seal(kKey);
    ASSERT_TRUE(store_->put_settings(*settings, clock_.now()).ok());
  }
  std::map<std::string, std::string> outcomes(const AgentWebhookReport& report) {
    std::map<std::string, std::string> out;
    for (const auto& a : report.agents) out[a.agent_id] = a.outcome;
    return out;
  }
  const std::map<std::string, std::string>& urls() { return *connectors_.accounts[kKey].webhook_urls; }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<crypto::SecretBox> secrets_;
  FakeClock clock_;
  sync::test::FakeConnectors connectors_;
  std::unique_ptr<UseCases> use_cases_;
  TenantId tenant_{0};
};

TEST_F(AgentWebhooksTest, WithoutAKeyNothingIsAsked) {
  auto report = use_cases_->agent_webhooks.point_agents(tenant_, {true, false}, "sync.local");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, core::ErrorCode::validation_failed);
  EXPECT_TRUE(urls().size() == 1);
}

TEST_F(AgentWebhooksTest, EnablingSetsEveryAgentButOneWithItsOwnUrlThenRemovingClearsOnlyOurs) {
  ASSERT_NO_FATAL_FAILURE(save_key());
  auto on = use_cases_->agent_webhooks.point_agents(tenant_, {true, false}, "sync.local");
  ASSERT_TRUE(on.ok()) << on.error().message;
  EXPECT_TRUE(on->call_webhook_url.starts_with("http://sync.local/hooks/bolna/ts_"));
  EXPECT_EQ(outcomes(*on), (std::map<std::string, std::string>{
                               {"agent-1", "set"}, {"agent-2", "set"}, {"agent-3", "kept_other"}}));
  EXPECT_EQ(on->changed, 2);
  EXPECT_EQ(on->kept_other, 1);
  EXPECT_EQ(on->agents[2].previous_url, kOtherUrl);
  EXPECT_EQ(urls().at("agent-1"), on->call_webhook_url);
  EXPECT_EQ(urls().at("agent-3"), kOtherUrl);

  // Again: nothing to do. After a rotation the stale URL is ours and is replaced.
  auto again = use_cases_->agent_webhooks.point_agents(tenant_, {true, false}, "sync.local");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 2);
  EXPECT_EQ(again->changed, 0);
  auto rotated = use_cases_->hooks.rotate_token(tenant_, "sync.local");
  ASSERT_TRUE(rotated.ok());
  auto after_rotation = use_cases_->agent_webhooks.point_agents(tenant_, {true, false}, "sync.local");
  ASSERT_TRUE(after_rotation.ok());
  EXPECT_EQ(after_rotation->changed, 2);
  EXPECT_EQ(urls().at("agent-2"), *rotated);

  auto off = use_cases_->agent_webhooks.point_agents(tenant_, {false, false}, "sync.local");
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(outcomes(*off), (std::map<std::string, std::string>{
                                {"agent-1", "cleared"}, {"agent-2", "cleared"}, {"agent-3", "kept_other"}}));
  EXPECT_EQ(urls(), (std::map<std::string, std::string>{{"agent-3", kOtherUrl}}));
  auto off_again = use_cases_->agent_webhooks.point_agents(tenant_, {false, false}, "sync.local");
  ASSERT_TRUE(off_again.ok());
  EXPECT_EQ(outcomes(*off_again).at("agent-1"), "not_set");
}

TEST_F(AgentWebhooksTest, ReplacingOthersIsAskedForAndARefusedAgentDoesNotStopTheRest) {
  ASSERT_NO_FATAL_FAILURE(save_key());
  connectors_.accounts[kKey].errors["set_webhook:agent-1"] =
      make_error(core::ErrorCode::upstream_error, "Bolna answered 500.");
  auto on = use_cases_->agent_webhooks.point_agents(tenant_, {true, true}, "sync.local");
  ASSERT_TRUE(on.ok());
  EXPECT_EQ(outcomes(*on), (std::map<std::string, std::string>{
                               {"agent-1", "failed"}, {"agent-2", "set"}, {"agent-3", "replaced"}}));
  EXPECT_EQ(on->agents[0].message, "Bolna answered 500.");
  EXPECT_EQ(on->agents[2].previous_url, kOtherUrl);
  EXPECT_EQ(on->failed, 1);
  EXPECT_EQ(urls().count("agent-1"), 0u);
  EXPECT_EQ(urls().at("agent-3"), on->call_webhook_url);
}

TEST_F(AgentWebhooksTest, AListingTheKeyCannotReadIsTheError) {
  ASSERT_NO_FATAL_FAILURE(save_key());
  connectors_.accounts[kKey].errors["agents"] = make_error(core::ErrorCode::key_rejected, "Invalid API key");
  auto report = use_cases_->agent_webhooks.point_agents(tenant_, {true, false}, "sync.local");
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, core::ErrorCode::key_rejected);
  EXPECT_EQ(urls().size(), 1u);
}

}  // namespace
}  // namespace tenantsync::service
