// The engine end to end on a real SQLite store and a fake voice platform: the seed scenarios,
// the guard, dry runs, failures that change nothing, and joining.
#include "sync/engine.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <thread>
#include <nlohmann/json.hpp>

#include "store/store.hpp"
#include "support/fake_connectors.hpp"
#include "support/temp_store.hpp"

namespace tenantsync::sync {
namespace {

using Json = nlohmann::json;
using test::fake_record;

// Holds the first "agents" call of an account inside the upstream call until release() (or 10 s),
// so a test can keep the only worker busy in the middle of a run.
struct HeldAgentsCall {
  explicit HeldAgentsCall(test::FakeVoiceAccount& a) {
    a.on_call = [this, released = released](const std::string& call) {
      if (call != "agents" || !first.exchange(false)) return;
      entered.set_value();
      released.wait_for(std::chrono::seconds(10));
    };
  }
  bool wait_entered() { return entered.get_future().wait_for(std::chrono::seconds(10)) == std::future_status::ready; }
  void release() { let_go.set_value(); }

  std::promise<void> entered;
  std::promise<void> let_go;
  std::shared_future<void> released = let_go.get_future().share();
  std::atomic<bool> first{true};
};

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(testing_support::open_temp_store("ts-engine-", dir_, store_, secrets_));
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

  test::FakeVoiceAccount& account(const std::string& key, const std::string& id, int agents) {
    auto& a = connectors_.accounts[key];
    a.account = {id, id, ""};
    a.agents.clear();
    for (int i = 1; i <= agents; ++i)
      a.agents.push_back(fake_record(id + "-agent-" + std::to_string(i), "Agent " + std::to_string(i)));
    return a;
  }

  // Replaces the engine with one of `options` and starts its threads.
  void start_engine(const EngineOptions& options) {
    engine_ =
        std::make_unique<SyncEngine>(SyncStores::of(*store_), clock_, *secrets_, connectors_, events_, options);
    engine_->start();
  }

  void use_key(const std::string& key) {
    auto settings = store_->get_settings(tenant_);
    ASSERT_TRUE(settings.ok());
    settings->voice_api_key_cipher = secrets_->seal(key);
    ASSERT_TRUE(store_->put_settings(*settings, clock_.now()).ok());
  }

  // Requests a run and executes it on this thread.
  store::SyncRun sync_now(bool dry_run = false) {
    auto ticket = engine_->request(tenant_, core::RunTarget::voice(), core::RunTrigger::manual, dry_run);
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

  int counted(const store::SyncRun& run, const char* resource, const char* field) {
    return Json::parse(run.counts_json)[resource][field].get<int>();
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

TEST_F(EngineTest, SwitchingAccountsMirrorsTheNewAccountAndSwitchingBackRestores) {
  account("key-1", "acct-1", 3);
  account("key-2", "acct-2", 1);
  use_key("key-1");
  auto first = sync_now();
  ASSERT_EQ(first.state, core::RunState::succeeded) << first.error_message;
  EXPECT_EQ(counts().agents, 3);

  use_key("key-2");
  auto second = sync_now();
  ASSERT_EQ(second.state, core::RunState::succeeded) << second.error_message;  // a switch is never held
  EXPECT_EQ(counts().agents, 1);
  EXPECT_EQ(counted(second, "agents", "archived"), 3);

  use_key("key-1");
  auto third = sync_now();
  ASSERT_EQ(third.state, core::RunState::succeeded) << third.error_message;
  EXPECT_EQ(counts().agents, 3);
  EXPECT_EQ(counted(third, "agents", "restored"), 3);
}

TEST_F(EngineTest, AgentsDeletedUpstreamAreArchivedAndCounted) {
  auto& a = account("key-1", "acct-1", 5);
  use_key("key-1");
  ASSERT_EQ(sync_now().state, core::RunState::succeeded);
  a.agents.resize(3);
  auto run = sync_now();
  ASSERT_EQ(run.state, core::RunState::succeeded) << run.error_message;
  EXPECT_EQ(counted(run, "agents", "archived"), 2);
  EXPECT_EQ(counts().agents, 3);
  auto archive = store_->list_archive(tenant_, core::Resource::agents, 10, std::nullopt);
  ASSERT_TRUE(archive.ok());
  ASSERT_EQ(archive->items.size(), 2u);
  EXPECT_EQ(archive->items[0].archive_reason, "removed_upstream");
}

TEST_F(EngineTest, AFailedListingChangesNothing) {
  auto& a = account("key-1", "acct-1", 4);
  use_key("key-1");
  ASSERT_EQ(sync_now().state, core::RunState::succeeded);
  a.agents.resize(1);
  // Every listing fails: nothing was read, so the run fails (one failed listing alone would leave
  // the others applied: voice_partial_test.cpp).
  a.errors["agents"] = make_error(core::ErrorCode::upstream_error, "HTTP 500");
  a.errors["phone_numbers"] = make_error(core::ErrorCode::upstream_error, "HTTP 500");
  auto run = sync_now();
  EXPECT_EQ(run.state, core::RunState::failed);
  EXPECT_EQ(run.error_code, core::ErrorCode::upstream_error);
  EXPECT_NE(run.error_message.find("Sync failed: "), std::string::npos);
  EXPECT_EQ(counts().agents, 4);
}

TEST_F(EngineTest, ARejectedKeyFailsWithKeyRejected) {
  use_key("nobody's key");
  auto run = sync_now();
  EXPECT_EQ(run.state, core::RunState::failed);
  EXPECT_EQ(run.error_code, core::ErrorCode::key_rejected);
}

TEST_F(EngineTest, NoKeyFailsWithNoApiKey) {
  auto run = sync_now();
  EXPECT_EQ(run.state, core::RunState::failed);
  EXPECT_EQ(run.error_code, core::ErrorCode::no_api_key);
}

TEST_F(EngineTest, MassRemovalIsHeldUntilConfirmed) {
  auto& a = account("key-1", "acct-1", 6);
  use_key("key-1");
  ASSERT_EQ(sync_now().state, core::RunState::succeeded);
  a.agents.clear();
  auto held = sync_now();
  ASSERT_EQ(held.state, core::RunState::held);
  EXPECT_EQ(held.error_code, core::ErrorCode::mass_removal_held);
  EXPECT_EQ(counts().agents, 6);
  const std::string plan_id = Json::parse(held.plan_json)["plan_id"];
  ASSERT_FALSE(plan_id.empty());
  EXPECT_EQ(Json::parse(held.plan_json)["resources"]["agents"]["archive"].size(), 6u);

  auto confirmed = engine_->confirm(tenant_, held.id, plan_id);
  ASSERT_TRUE(confirmed.ok()) << confirmed.error().message;
  while (engine_->run_one()) {
  }
  auto applied = store_->find_run(tenant_, held.id);
  ASSERT_TRUE(applied.ok() && applied->has_value());
  EXPECT_EQ((*applied)->state, core::RunState::succeeded) << (*applied)->error_message;
  EXPECT_EQ(counts().agents, 0);
}

TEST_F(EngineTest, AConfirmedPlanIsNotAppliedWhenTheUpstreamChangedSince) {
  auto& a = account("key-1", "acct-1", 6);
  use_key("key-1");
  ASSERT_EQ(sync_now().state, core::RunState::succeeded);
  a.agents.resize(1);
  auto held = sync_now();
  ASSERT_EQ(held.state, core::RunState::held);
  const std::string plan_id = Json::parse(held.plan_json)["plan_id"];
  a.agents.clear();  // now even the last one is gone: a different plan
  ASSERT_TRUE(engine_->confirm(tenant_, held.id, plan_id).ok());
  while (engine_->run_one()) {
  }
  auto again = store_->find_run(tenant_, held.id);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->state, core::RunState::held);
  EXPECT_EQ((*again)->error_code, core::ErrorCode::plan_changed);
  EXPECT_EQ(counts().agents, 6);
}

TEST_F(EngineTest, DryRunReportsThePlanAndChangesNothing) {
  auto& a = account("key-1", "acct-1", 5);
  use_key("key-1");
  ASSERT_EQ(sync_now().state, core::RunState::succeeded);
  a.agents.resize(3);
  auto run = sync_now(true);
  ASSERT_EQ(run.state, core::RunState::succeeded);
  EXPECT_TRUE(run.dry_run);
  EXPECT_EQ(counted(run, "agents", "archived"), 2);
  EXPECT_EQ(counts().agents, 5);
  EXPECT_EQ(Json::parse(run.plan_json)["resources"]["agents"]["archive"].size(), 2u);
}

TEST_F(EngineTest, ExecutionsAreReadIncrementallyFromTheCursor) {
  auto& a = account("key-1", "acct-1", 1);
  const std::string agent = "acct-1-agent-1";
  a.executions[agent] = {fake_record("ex-1", "call 1", agent, now_ms() - 3'600'000)};
  use_key("key-1");
  ASSERT_EQ(sync_now().state, core::RunState::succeeded);
  EXPECT_EQ(counts().executions, 1);
  // An hour later a new call; the old one fell out of the fake's listing window: it stays.
  clock_.advance(std::chrono::hours(1));
  a.executions[agent].push_back(fake_record("ex-2", "call 2", agent, now_ms() - 60'000));
  auto run = sync_now();
  ASSERT_EQ(run.state, core::RunState::succeeded) << run.error_message;
  EXPECT_EQ(counts().executions, 2);
  EXPECT_EQ(counted(run, "executions", "created"), 1);
  EXPECT_EQ(counted(run, "executions", "archived"), 0);
}

TEST_F(EngineTest, ASecondRequestJoinsTheQueuedRun) {
  account("key-1", "acct-1", 1);
  use_key("key-1");
  auto first = engine_->request(tenant_, core::RunTarget::voice(), core::RunTrigger::manual);
  auto second = engine_->request(tenant_, core::RunTarget::voice(), core::RunTrigger::login);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_FALSE(first->joined);
  EXPECT_TRUE(second->joined);
  EXPECT_EQ(first->run.id, second->run.id);
}

TEST_F(EngineTest, PublishesProgressAndTheNewCounts) {
  account("key-1", "acct-1", 2);
  use_key("key-1");
  std::vector<std::string> names;
  events_.subscribe(tenant_, [&](const std::string& name, const std::string&) {
    names.push_back(name);
    return true;
  });
  ASSERT_EQ(sync_now().state, core::RunState::succeeded);
  EXPECT_NE(std::find(names.begin(), names.end(), "run.started"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "run.finished"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "summary"), names.end());
}

TEST_F(EngineTest, TheSweeperFailsAnOverdueRunWhileEveryWorkerIsBusy) {
  auto& a = account("key-1", "acct-1", 1);
  use_key("key-1");
  // The only worker is held inside an upstream call until the test lets it go.
  HeldAgentsCall held(a);
  EngineOptions options;
  options.workers = 1;
  options.run_deadline = std::chrono::minutes(5);
  options.sweep_interval = std::chrono::milliseconds(20);
  options.poll_interval = std::chrono::milliseconds(20);
  start_engine(options);
  auto ticket = engine_->request(tenant_, core::RunTarget::voice(), core::RunTrigger::manual);
  ASSERT_TRUE(ticket.ok());
  ASSERT_TRUE(held.wait_entered());

  // Past the deadline, with no idle worker to sweep: the sweeper's own timer fails the run.
  clock_.advance(std::chrono::minutes(6));
  auto run = engine_->wait(tenant_, ticket->run.id, std::chrono::seconds(10));
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->state, core::RunState::failed);
  EXPECT_EQ(run->error_code, core::ErrorCode::deadline_exceeded);

  // Let go, the worker stops at its next page without overwriting the verdict, and is free again.
  held.release();
  auto next = engine_->request(tenant_, core::RunTarget::voice(), core::RunTrigger::manual);
  ASSERT_TRUE(next.ok());
  EXPECT_NE(next->run.id, ticket->run.id);
  auto done = engine_->wait(tenant_, next->run.id, std::chrono::seconds(10));
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->state, core::RunState::succeeded) << done->error_message;
  auto first_run = store_->find_run(tenant_, ticket->run.id);
  ASSERT_TRUE(first_run.ok() && first_run->has_value());
  EXPECT_EQ((*first_run)->error_code, core::ErrorCode::deadline_exceeded);
  engine_->stop();
}

TEST_F(EngineTest, TheSweeperKeepsARunItsOwnWorkerIsStillExecutingPastTheLease) {
  auto& a = account("key-1", "acct-1", 2);
  use_key("key-1");
  // The only worker is held inside an upstream call, as a long write would hold it.
  HeldAgentsCall held(a);
  EngineOptions options;
  options.workers = 1;
  options.lease = std::chrono::seconds(30);  // its keeper renews every 10 s of real time: not in this test
  options.sweep_interval = std::chrono::milliseconds(20);
  options.poll_interval = std::chrono::milliseconds(20);
  start_engine(options);
  auto ticket = engine_->request(tenant_, core::RunTarget::voice(), core::RunTrigger::manual);
  ASSERT_TRUE(ticket.ok());
  ASSERT_TRUE(held.wait_entered());

  // The store's clock passes the lease with no renewal; the sweeper runs many times meanwhile,
  // and each time renews the lease of the worker it knows to be alive instead of failing its run.
  clock_.advance(std::chrono::seconds(45));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto meanwhile = store_->find_run(tenant_, ticket->run.id);
  ASSERT_TRUE(meanwhile.ok() && meanwhile->has_value());
  EXPECT_EQ((*meanwhile)->state, core::RunState::running);

  // Let go, the run writes under its (renewed) lease and succeeds: nothing was queued again.
  held.release();
  auto done = engine_->wait(tenant_, ticket->run.id, std::chrono::seconds(10));
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->state, core::RunState::succeeded) << done->error_message;
  EXPECT_EQ(counts().agents, 2);
  auto latest = store_->latest_run(tenant_, core::RunTarget::voice());
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->id, ticket->run.id);
  engine_->stop();
}

TEST_F(EngineTest, ARestartedInstanceRequeuesTheRunsItsPreviousLifeHeldAtOnce) {
  account("key-1", "acct-1", 2);
  use_key("key-1");
  // The previous process of instance "node-a" claimed the run and was killed: its lease has most of
  // its 30 s to go, and no sweep of the store's clock would touch it yet.
  auto ticket = engine_->request(tenant_, core::RunTarget::voice(), core::RunTrigger::manual);
  ASSERT_TRUE(ticket.ok());
  auto claimed = store_->claim_job("node-a", std::chrono::seconds(30), clock_.now(), 0);
  ASSERT_TRUE(claimed.ok() && claimed->has_value());

  EngineOptions options;
  options.instance_id = "node-a";
  options.workers = 1;
  options.poll_interval = std::chrono::milliseconds(20);
  start_engine(options);
  // The killed run ends as worker_lost, and the run queued in its place succeeds, without the
  // clock moving past the old lease.
  auto lost = engine_->wait(tenant_, ticket->run.id, std::chrono::seconds(10));
  ASSERT_TRUE(lost.ok());
  EXPECT_EQ(lost->state, core::RunState::failed);
  EXPECT_EQ(lost->error_code, core::ErrorCode::worker_lost);
  auto latest = store_->latest_run(tenant_, core::RunTarget::voice());
  ASSERT_TRUE(latest.ok() && latest->has_value());
  ASSERT_NE((*latest)->id, ticket->run.id);
  auto retried = engine_->wait(tenant_, (*latest)->id, std::chrono::seconds(10));
  ASSERT_TRUE(retried.ok());
  EXPECT_EQ(retried->state, core::RunState::succeeded) << retried->error_message;
  EXPECT_EQ(counts().agents, 2);
  engine_->stop();
}

TEST_F(EngineTest, AnIdleWorkerTakesARunQueuedElsewhereWhenToldWithoutWaitingForItsPoll) {
  account("key-1", "acct-1", 2);
  use_key("key-1");
  EngineOptions options;
  options.workers = 1;
  options.poll_interval = std::chrono::hours(1);  // only a wake-up can find the run in time
  start_engine(options);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the worker found nothing and waits

  // Another instance queues the run in the shared store; its live event reaches this instance.
  auto ticket = store_->request_run(tenant_, core::RunTarget::voice(), core::RunTrigger::manual, false,
                                    std::chrono::minutes(30), clock_.now(), 0);
  ASSERT_TRUE(ticket.ok());
  engine_->work_elsewhere();

  auto run = engine_->wait(tenant_, ticket->run.id, std::chrono::seconds(10));
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->state, core::RunState::succeeded) << run->error_message;
  EXPECT_EQ(counts().agents, 2);
  engine_->stop();
}

TEST_F(EngineTest, ARunThatNoticesItsDeadlineStopsWithDeadlineExceeded) {
  auto& a = account("key-1", "acct-1", 1);
  use_key("key-1");
  EngineOptions options;
  options.run_deadline = std::chrono::minutes(5);
  options.sweep_interval = std::chrono::hours(1);  // no sweep: the run's own check stops it
  engine_ =
      std::make_unique<SyncEngine>(SyncStores::of(*store_), clock_, *secrets_, connectors_, events_, options);
  // Time passes inside the first upstream call, beyond the deadline.
  a.on_call = [this](const std::string& call) {
    if (call == "agents") clock_.advance(std::chrono::minutes(6));
  };
  auto run = sync_now();
  EXPECT_EQ(run.state, core::RunState::failed);
  EXPECT_EQ(run.error_code, core::ErrorCode::deadline_exceeded);
}

TEST_F(EngineTest, RequestsPastTheTenantsActiveRunLimitAreRefused) {
  account("key-1", "acct-1", 1);
  use_key("key-1");
  EngineOptions options;
  options.tenant_max_active_runs = 2;
  engine_ =
      std::make_unique<SyncEngine>(SyncStores::of(*store_), clock_, *secrets_, connectors_, events_, options);
  ASSERT_TRUE(engine_->request(tenant_, core::RunTarget::voice(), core::RunTrigger::manual, true).ok());
  ASSERT_TRUE(engine_->request(tenant_, core::RunTarget::voice(), core::RunTrigger::manual, true).ok());
  auto third = engine_->request(tenant_, core::RunTarget::voice(), core::RunTrigger::manual, true);
  ASSERT_FALSE(third.ok());
  EXPECT_TRUE(third.error().is(core::ErrorCode::limit_exceeded));
}

}  // namespace
}  // namespace tenantsync::sync
