// Partial success of a voice run, per resource, end to end on a real SQLite store and a fake
// voice platform: each resource read completely is applied, a resource whose listing failed keeps
// its rows and cursors and becomes a warning, and the run fails only when nothing could be read.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "store/store.hpp"
#include "support/fake_connectors.hpp"
#include "support/temp_store.hpp"
#include "sync/engine.hpp"
#include "sync/voice_sync.hpp"

namespace tenantsync::sync {
namespace {

using Json = nlohmann::json;
using test::fake_record;

constexpr const char* kAgentA = "acct-1-agent-1";
constexpr const char* kAgentB = "acct-1-agent-2";

class VoicePartialTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(testing_support::open_temp_store("ts-partial-", dir_, store_, secrets_));
    clock_.set(from_epoch_ms(1'790'000'000'000));
    engine_ = std::make_unique<SyncEngine>(SyncStores::of(*store_), clock_, *secrets_, connectors_, events_,
                                           EngineOptions{});
    auto created = store_->create_tenant_with_user("acme", "ops@acme.test", "x", clock_.now());
    ASSERT_TRUE(created.ok());
    tenant_ = created->first.id;
    auto settings = store_->get_settings(tenant_);
    ASSERT_TRUE(settings.ok());
    settings->voice_api_key_cipher = secrets_->seal("key-1");
    ASSERT_TRUE(store_->put_settings(*settings, clock_.now()).ok());

    // Two agents, each with a campaign and a call; two phone numbers. The first sync reads it all.
    auto& a = connectors_.accounts["key-1"];
    a.account = {"acct-1", "acct-1", ""};
    for (const char* agent : {kAgentA, kAgentB}) {
      a.agents.push_back(fake_record(agent, std::string("Agent ") + agent));
      a.batches[agent] = {fake_record(std::string("batch-") + agent, "list.csv", agent)};
      a.executions[agent] = {fake_record(std::string("call-") + agent, "call", agent, now_ms() - 3'600'000)};
    }
    a.phone_numbers = {fake_record("pn-1", "+15550000001"), fake_record("pn-2", "+15550000002")};
    auto first = sync_now();
    ASSERT_EQ(first.state, core::RunState::succeeded) << first.error_message;
    ASSERT_EQ(counts().executions, 2);
    cursors_before_ = cursors();
    ASSERT_EQ(cursors_before_.size(), 2u);

    // An hour later the upstream has changed in every resource.
    clock_.advance(std::chrono::hours(1));
    a.agents.push_back(fake_record("acct-1-agent-3", "Agent 3"));
    a.phone_numbers.pop_back();  // pn-2 removed upstream (one row: under the guard's floor)
    a.batches[kAgentA].push_back(fake_record("batch-new", "new.csv", kAgentA));
    for (const char* agent : {kAgentA, kAgentB})
      a.executions[agent].push_back(
          fake_record(std::string("call-new-") + agent, "call", agent, now_ms() - 60'000));
  }
  void TearDown() override {
    engine_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  test::FakeVoiceAccount& upstream() { return connectors_.accounts["key-1"]; }
  std::int64_t now_ms() const { return to_epoch_ms(clock_.now()); }

  store::SyncRun sync_now() {
    auto ticket = engine_->request(tenant_, core::RunTarget::voice(), core::RunTrigger::manual, false);
    EXPECT_TRUE(ticket.ok());
    while (engine_->run_one()) {
    }
    auto run = store_->find_run(tenant_, ticket->run.id);
    EXPECT_TRUE(run.ok() && run->has_value());
    return **run;
  }

  store::MirrorCounts counts() {
    auto c = store_->count_mirror(tenant_);
    EXPECT_TRUE(c.ok());
    return *c;
  }

  std::map<std::string, std::string> cursors() {
    auto c = store_->get_cursors(tenant_, "voice");
    EXPECT_TRUE(c.ok());
    return *c;
  }

  std::vector<std::string> archived(core::Resource resource) {
    auto page = store_->list_archive(tenant_, resource, 50, std::nullopt);
    EXPECT_TRUE(page.ok());
    std::vector<std::string> ids;
    for (const auto& item : page->items) ids.push_back(item.upstream_id);
    return ids;
  }

  // The run's warnings about resources it did not read: resource → code.
  static std::map<std::string, std::string> not_read(const store::SyncRun& run) {
    std::map<std::string, std::string> out;
    for (const Json& w : Json::parse(run.warnings_json))
      if (w.is_object() && w["code"] != "record_warning") out[w["resource"].get<std::string>()] = w["code"];
    return out;
  }

  static Error failure(core::ErrorCode code) { return make_error(code, "The upstream failed."); }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<crypto::SecretBox> secrets_;
  FakeClock clock_;
  test::FakeConnectors connectors_;
  EventBus events_;
  std::unique_ptr<SyncEngine> engine_;
  TenantId tenant_{0};
  std::map<std::string, std::string> cursors_before_;
};

TEST_F(VoicePartialTest, EverythingReadAppliesEverythingWithoutWarnings) {
  auto run = sync_now();
  ASSERT_EQ(run.state, core::RunState::succeeded) << run.error_message;
  EXPECT_TRUE(not_read(run).empty());
  const auto c = counts();
  EXPECT_EQ(c.agents, 3);
  EXPECT_EQ(c.phone_numbers, 1);
  EXPECT_EQ(c.campaigns, 3);
  EXPECT_EQ(c.executions, 4);
}

TEST_F(VoicePartialTest, FailedExecutionsKeepTheirRowsAndCursorsWhileTheRestIsApplied) {
  upstream().errors["executions"] = failure(core::ErrorCode::upstream_paging_loop);
  auto run = sync_now();
  ASSERT_EQ(run.state, core::RunState::succeeded) << run.error_message;
  EXPECT_FALSE(run.error_code.has_value());
  EXPECT_EQ(not_read(run), (std::map<std::string, std::string>{{"executions", "upstream_paging_loop"}}));
  const auto c = counts();
  EXPECT_EQ(c.agents, 3);
  EXPECT_EQ(c.phone_numbers, 1);
  EXPECT_EQ(archived(core::Resource::phone_numbers), std::vector<std::string>{"pn-2"});
  EXPECT_EQ(c.campaigns, 3);
  EXPECT_EQ(c.executions, 2);  // no new call stored
  EXPECT_EQ(cursors(), cursors_before_);
  const Json counted = Json::parse(run.counts_json);
  EXPECT_FALSE(counted.contains("executions"));  // not planned at all
}

TEST_F(VoicePartialTest, FailedCampaignsAreNotPlannedAtAll) {
  upstream().batches[kAgentB].clear();  // would archive batch B, were the listing complete
  upstream().errors[std::string("batches:") + kAgentA] = failure(core::ErrorCode::upstream_error);
  auto run = sync_now();
  ASSERT_EQ(run.state, core::RunState::succeeded) << run.error_message;
  EXPECT_EQ(not_read(run), (std::map<std::string, std::string>{{"campaigns", "upstream_error"}}));
  EXPECT_EQ(counts().campaigns, 2);  // neither created nor archived
  EXPECT_TRUE(archived(core::Resource::campaigns).empty());
  EXPECT_EQ(counts().executions, 4);
  EXPECT_EQ(counts().agents, 3);
  EXPECT_NE(cursors(), cursors_before_);
}

TEST_F(VoicePartialTest, FailedAgentsLeaveCampaignsAndExecutionsNotReadToo) {
  upstream().agents.erase(upstream().agents.begin());  // would archive agent A
  upstream().errors["agents"] = failure(core::ErrorCode::upstream_malformed);
  connectors_.calls.clear();
  auto run = sync_now();
  ASSERT_EQ(run.state, core::RunState::succeeded) << run.error_message;
  EXPECT_EQ(not_read(run), (std::map<std::string, std::string>{{"agents", "upstream_malformed"},
                                                               {"campaigns", "upstream_malformed"},
                                                               {"executions", "upstream_malformed"}}));
  const auto c = counts();
  EXPECT_EQ(c.agents, 2);
  EXPECT_TRUE(archived(core::Resource::agents).empty());
  EXPECT_EQ(c.campaigns, 2);
  EXPECT_EQ(c.executions, 2);
  EXPECT_EQ(c.phone_numbers, 1);  // the one listing read is applied
  EXPECT_EQ(cursors(), cursors_before_);
  // No campaign or execution was even asked for.
  for (const auto& call : connectors_.calls) EXPECT_TRUE(call != "batches" && call != "executions") << call;
}

TEST_F(VoicePartialTest, NothingReadFailsTheRunAndChangesNothing) {
  upstream().errors["agents"] = failure(core::ErrorCode::upstream_error);
  upstream().errors["phone_numbers"] = failure(core::ErrorCode::upstream_timeout);
  auto run = sync_now();
  ASSERT_EQ(run.state, core::RunState::failed);
  EXPECT_EQ(run.error_code, core::ErrorCode::upstream_error);  // the first listing's
  EXPECT_EQ(run.error_message.rfind(
                "Sync failed: could not read agents, phone numbers, campaigns and executions", 0),
            0u)
      << run.error_message;
  EXPECT_EQ(not_read(run).size(), 4u);
  const auto c = counts();
  EXPECT_EQ(c.agents, 2);
  EXPECT_EQ(c.phone_numbers, 2);
  EXPECT_EQ(c.executions, 2);
  EXPECT_EQ(cursors(), cursors_before_);
}

TEST_F(VoicePartialTest, OneAgentsFailedExecutionsKeepItsCursorAndTheOthersMoveOn) {
  upstream().errors[std::string("executions:") + kAgentA] = failure(core::ErrorCode::rate_limited);
  auto run = sync_now();
  ASSERT_EQ(run.state, core::RunState::succeeded) << run.error_message;
  const auto warned = not_read(run);
  EXPECT_EQ(warned, (std::map<std::string, std::string>{{"executions", "rate_limited"}}));
  EXPECT_NE(run.warnings_json.find(std::string("Executions of agent ") + kAgentA), std::string::npos);
  EXPECT_EQ(counts().executions, 3);  // B's new call; not A's
  const auto now = cursors();
  const std::string key_a = executions_cursor_key("acct-1", kAgentA);
  const std::string key_b = executions_cursor_key("acct-1", kAgentB);
  EXPECT_EQ(now.at(key_a), cursors_before_.at(key_a));
  EXPECT_NE(now.at(key_b), cursors_before_.at(key_b));
  EXPECT_TRUE(now.count(executions_cursor_key("acct-1", "acct-1-agent-3")));  // the new agent's, read in full
  // The next run, once A answers again, reads A's new call from its old cursor.
  upstream().errors.clear();
  ASSERT_EQ(sync_now().state, core::RunState::succeeded);
  EXPECT_EQ(counts().executions, 4);
}

TEST_F(VoicePartialTest, ARejectedKeyOnAnyListingFailsTheWholeRun) {
  upstream().errors["executions"] = failure(core::ErrorCode::key_rejected);
  auto run = sync_now();
  EXPECT_EQ(run.state, core::RunState::failed);
  EXPECT_EQ(run.error_code, core::ErrorCode::key_rejected);
  EXPECT_EQ(counts().agents, 2);
  EXPECT_EQ(counts().phone_numbers, 2);
}

TEST_F(VoicePartialTest, TheGuardStillHoldsAResourceThatWasRead) {
  upstream().agents.resize(0);
  upstream().agents.push_back(fake_record("acct-1-agent-9", "Agent 9"));
  for (int i = 3; i <= 6; ++i)
    upstream().phone_numbers.push_back(fake_record("pn-x" + std::to_string(i), "+1"));
  ASSERT_EQ(sync_now().state, core::RunState::succeeded);  // now 5 numbers
  upstream().phone_numbers.resize(1);                      // 4 of 5 removed: held
  upstream().errors["agents"] = failure(core::ErrorCode::upstream_error);
  auto run = sync_now();
  EXPECT_EQ(run.state, core::RunState::held);
  EXPECT_EQ(run.error_code, core::ErrorCode::mass_removal_held);
  EXPECT_EQ(not_read(run).count("agents"), 1u);
  const Json plan = Json::parse(run.plan_json);
  EXPECT_TRUE(plan["resources"].contains("phone_numbers"));
  EXPECT_FALSE(plan["resources"].contains("agents"));
  EXPECT_EQ(counts().phone_numbers, 5);
}

TEST_F(VoicePartialTest, StoppingWhileReadingAppliesNothing) {
  store::SyncRun run;
  run.tenant_id = tenant_;
  auto client = connectors_.voice({"https://voice.fake", "key-1"}, {});
  VoiceSync sync(*store_, *client, clock_, VoiceSyncOptions{});
  int calls = 0;
  const StopFn stop = [&] { return ++calls > 1; };  // asked first after agents: stops at the next ask
  VoiceSyncResult result = sync.run(run, {}, stop);
  EXPECT_FALSE(result.apply);
  EXPECT_EQ(result.outcome.state, core::RunState::failed);
  EXPECT_EQ(result.outcome.error_code, core::ErrorCode::interrupted);
  EXPECT_TRUE(result.plans.empty());
}

}  // namespace
}  // namespace tenantsync::sync
