// A voice run's executions staged in the store as they are read and planned there (memory flat
// in the account's size), end to end on a real SQLite store and a fake voice platform: the same
// creates, updates, account-switch archives and restores as the in-memory planner, repeated ids
// warned about once, and nothing left staged after an applied, held, dry or failed run.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "store/store.hpp"
#include "support/fake_connectors.hpp"
#include "support/temp_store.hpp"
#include "sync/engine.hpp"

namespace tenantsync::sync {
namespace {

using Json = nlohmann::json;
using test::fake_record;

class VoiceStagingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(testing_support::open_temp_store("ts-staging-", dir_, store_, secrets_));
    clock_.set(from_epoch_ms(1'790'000'000'000));
    engine_ = std::make_unique<SyncEngine>(SyncStores::of(*store_), clock_, *secrets_, connectors_, events_,
                                           EngineOptions{});
    auto created = store_->create_tenant_with_user("acme", "ops@acme.test", "x", clock_.now());
    ASSERT_TRUE(created.ok());
    tenant_ = created->first.id;
  }
  void TearDown() override {
    engine_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::int64_t now_ms() const { return to_epoch_ms(clock_.now()); }

  // An account of one agent with `calls` executions of the last minutes (inside the overlap a
  // later sync re-reads).
  test::FakeVoiceAccount& account(const std::string& key, const std::string& id, int calls) {
    auto& a = connectors_.accounts[key];
    a.account = {id, id, ""};
    const std::string agent = id + "-agent";
    a.agents = {fake_record(agent, "Agent")};
    a.executions[agent].clear();
    for (int i = 0; i < calls; ++i)
      a.executions[agent].push_back(
          fake_record(id + "-call-" + std::to_string(i), "call", agent, now_ms() - 300'000 + i));
    return a;
  }

  void use_key(const std::string& key) {
    auto settings = store_->get_settings(tenant_);
    ASSERT_TRUE(settings.ok());
    settings->voice_api_key_cipher = secrets_->seal(key);
    ASSERT_TRUE(store_->put_settings(*settings, clock_.now()).ok());
  }

  store::SyncRun sync_now(bool dry_run = false) {
    auto ticket = engine_->request(tenant_, core::RunTarget::voice(), core::RunTrigger::manual, dry_run);
    EXPECT_TRUE(ticket.ok());
    while (engine_->run_one()) {
    }
    auto run = store_->find_run(tenant_, ticket->run.id);
    EXPECT_TRUE(run.ok() && run->has_value());
    return **run;
  }

  std::int64_t executions() { return store_->count_mirror(tenant_)->executions; }
  static int counted(const store::SyncRun& run, const char* field) {
    return Json::parse(run.counts_json)["executions"][field].get<int>();
  }
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<crypto::SecretBox> secrets_;
  FakeClock clock_;
  test::FakeConnectors connectors_;
  EventBus events_;
  std::unique_ptr<SyncEngine> engine_;
  TenantId tenant_{0};
};

TEST_F(VoiceStagingTest, ManyExecutionsAreCreatedThenUnchangedThenUpdated) {
  auto& a = account("key-1", "acct-1", 1234);  // more than one staging buffer
  use_key("key-1");
  auto first = sync_now();
  ASSERT_EQ(first.state, core::RunState::succeeded) << first.error_message;
  EXPECT_EQ(counted(first, "created"), 1234);
  EXPECT_EQ(counted(first, "total"), 1234);
  EXPECT_EQ(executions(), 1234);

  auto again = sync_now();
  ASSERT_EQ(again.state, core::RunState::succeeded) << again.error_message;
  EXPECT_EQ(counted(again, "created"), 0);
  EXPECT_EQ(counted(again, "updated"), 0);
  EXPECT_EQ(counted(again, "unchanged"), 1234);

  auto& calls = a.executions["acct-1-agent"];
  calls[7] = fake_record("acct-1-call-7", "call", "acct-1-agent", calls[7].created_at_ms, "completed");
  auto changed = sync_now();
  ASSERT_EQ(changed.state, core::RunState::succeeded) << changed.error_message;
  EXPECT_EQ(counted(changed, "updated"), 1);
  EXPECT_EQ(counted(changed, "unchanged"), 1233);
  store::MirrorQuery completed;
  completed.status = "completed";
  auto page = store_->list_mirror(tenant_, core::Resource::executions, completed);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].upstream_id, "acct-1-call-7");
  EXPECT_EQ(page->items[0].last_seen_run, changed.id);
}

TEST_F(VoiceStagingTest, ARepeatedIdIsStoredOnceAndWarnedAbout) {
  auto& a = account("key-1", "acct-1", 3);
  a.executions["acct-1-agent"].push_back(a.executions["acct-1-agent"][1]);
  a.executions["acct-1-agent"].push_back(fake_record("", "no id", "acct-1-agent", now_ms() - 1000));
  use_key("key-1");
  auto run = sync_now();
  ASSERT_EQ(run.state, core::RunState::succeeded) << run.error_message;
  EXPECT_EQ(executions(), 3);
  EXPECT_NE(run.warnings_json.find("the listing returned id \\\"acct-1-call-1\\\" twice"), std::string::npos)
      << run.warnings_json;
  EXPECT_NE(run.warnings_json.find("skipped 1 upstream record without an id"), std::string::npos)
      << run.warnings_json;
}

TEST_F(VoiceStagingTest, SwitchingAccountsArchivesTheOldExecutionsAndSwitchingBackRestoresThem) {
  account("key-1", "acct-1", 5);
  account("key-2", "acct-2", 2);
  use_key("key-1");
  ASSERT_EQ(sync_now().state, core::RunState::succeeded);
  use_key("key-2");
  auto away = sync_now();
  ASSERT_EQ(away.state, core::RunState::succeeded) << away.error_message;  // a switch is never held
  EXPECT_EQ(counted(away, "created"), 2);
  EXPECT_EQ(counted(away, "archived"), 5);
  EXPECT_EQ(executions(), 2);
  auto archive = store_->list_archive(tenant_, core::Resource::executions, 10, std::nullopt);
  ASSERT_TRUE(archive.ok());
  ASSERT_EQ(archive->items.size(), 5u);
  EXPECT_EQ(archive->items[0].archive_reason, "account_switched");

  clock_.advance(std::chrono::hours(1));
  use_key("key-1");
  auto back = sync_now();
  ASSERT_EQ(back.state, core::RunState::succeeded) << back.error_message;
  EXPECT_EQ(counted(back, "restored"), 5);
  EXPECT_EQ(counted(back, "archived"), 2);
  EXPECT_EQ(executions(), 5);
}

TEST_F(VoiceStagingTest, HeldAndDryRunsReportStagedExecutionsAndChangeNothing) {
  auto& a = account("key-1", "acct-1", 0);
  for (int i = 1; i <= 6; ++i) a.agents.push_back(fake_record("acct-1-agent-" + std::to_string(i), "A"));
  use_key("key-1");
  ASSERT_EQ(sync_now().state, core::RunState::succeeded);
  for (int i = 0; i < 4; ++i)
    a.executions["acct-1-agent"].push_back(
        fake_record("new-" + std::to_string(i), "call", "acct-1-agent", now_ms() - 1000));

  auto dry = sync_now(true);
  ASSERT_EQ(dry.state, core::RunState::succeeded) << dry.error_message;
  EXPECT_EQ(counted(dry, "created"), 4);
  const Json dry_plan = Json::parse(dry.plan_json)["resources"]["executions"];
  EXPECT_EQ(dry_plan["create_count"], 4);
  EXPECT_EQ(dry_plan["create"].size(), 4u);
  EXPECT_EQ(executions(), 0);

  a.agents.resize(1);  // 6 of 7 agents removed: held, with the executions in the plan
  auto held = sync_now();
  ASSERT_EQ(held.state, core::RunState::held);
  EXPECT_EQ(Json::parse(held.plan_json)["resources"]["executions"]["create_count"], 4);
  EXPECT_EQ(executions(), 0);

  const std::string plan_id = Json::parse(held.plan_json)["plan_id"];
  ASSERT_TRUE(engine_->confirm(tenant_, held.id, plan_id).ok());
  while (engine_->run_one()) {
  }
  auto applied = store_->find_run(tenant_, held.id);
  ASSERT_TRUE(applied.ok() && applied->has_value());
  EXPECT_EQ((*applied)->state, core::RunState::succeeded) << (*applied)->error_message;
  EXPECT_EQ(executions(), 4);
}

TEST_F(VoiceStagingTest, RowsStagedByADeadRunAreDroppedByTheNextRun) {
  account("key-1", "acct-1", 2);
  use_key("key-1");
  // A run that died after staging: its rows stay until the tenant's next voice run.
  const RunId dead{424242};
  std::vector<core::UpstreamRecord> rows(1);
  rows[0].upstream_id = "ghost";
  rows[0].content_hash = "h";
  ASSERT_TRUE(store_->stage_executions(tenant_, dead, "executions:acct-1:x", rows).ok());
  auto ghost = store_->plan_staged_executions(tenant_, dead, core::ReconcileContext{"acct-1", true});
  ASSERT_TRUE(ghost.ok());
  EXPECT_EQ(ghost->staged->rows, 1);

  auto run = sync_now();
  ASSERT_EQ(run.state, core::RunState::succeeded) << run.error_message;
  EXPECT_EQ(executions(), 2);  // the ghost was never applied
  auto after = store_->plan_staged_executions(tenant_, dead, core::ReconcileContext{"acct-1", true});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->staged->rows, 0);
  auto own = store_->plan_staged_executions(tenant_, run.id, core::ReconcileContext{"acct-1", true});
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(own->staged->rows, 0);  // applied and deleted in the same transaction
}

}  // namespace
}  // namespace tenantsync::sync
