// The Store suite, runs and jobs: request_run joining, job claims and leases, the lease sweep,
// confirm/cancel, history and scheduler ticks. Runs on SQLite and PostgreSQL.
#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/store_suite.hpp"

namespace tenantsync::store::test {
namespace {

constexpr std::int64_t kNow = 1'700'000'000'000;
constexpr std::int64_t kSecond = 1'000;
constexpr std::int64_t kLease = 30 * kSecond;
constexpr std::int64_t kDeadline = 600 * kSecond;

template <class R>
std::string code_of(const R& result) {
  return result.ok() ? std::string("ok") : std::string(core::to_string(result.error().code));
}

TenantId make_tenant(Store& store, const std::string& name) {
  auto created = store.create_tenant_with_user(name, name + "@example.test", "hash", at(kNow));
  EXPECT_TRUE(created.ok()) << created.error().message;
  return created.ok() ? created->first.id : TenantId{0};
}

// The target of CRM connection `id` (the store takes any id; 0 is fine here).
core::RunTarget crm(std::int64_t id) { return core::RunTarget::crm(ConnectionId(id)); }

RunTicket request(Store& store, TenantId tenant, core::RunTarget target = core::RunTarget::voice(),
                  bool dry_run = false, std::int64_t now_ms = kNow,
                  core::RunTrigger trigger = core::RunTrigger::manual) {
  auto ticket = store.request_run(tenant, target, trigger, dry_run, std::chrono::milliseconds{kDeadline},
                                  at(now_ms), 0);
  EXPECT_TRUE(ticket.ok()) << ticket.error().message;
  return ticket.ok() ? *ticket : RunTicket{};
}

std::optional<ClaimedJob> claim(Store& store, const std::string& owner, std::int64_t now_ms = kNow) {
  auto job = store.claim_job(owner, std::chrono::milliseconds{kLease}, at(now_ms), 0);
  EXPECT_TRUE(job.ok()) << job.error().message;
  return job.ok() ? *job : std::nullopt;
}

SyncRun run_of(Store& store, TenantId tenant, RunId run_id) {
  auto run = store.find_run(tenant, run_id);
  EXPECT_TRUE(run.ok() && run->has_value());
  return run.ok() && run->has_value() ? **run : SyncRun{};
}

RunOutcome outcome(core::RunState state, const std::string& plan = "") {
  RunOutcome o;
  o.state = state;
  o.plan_json = plan;
  return o;
}

}  // namespace

TEST_P(StoreSuite, RequestRunJoinsTheTargetsQueuedOrRunningRun) {
  const TenantId tenant = make_tenant(*store_, "acme");
  const TenantId other = make_tenant(*store_, "other");
  RunTicket first =
      request(*store_, tenant, core::RunTarget::voice(), false, kNow, core::RunTrigger::key_change);
  EXPECT_FALSE(first.joined);
  EXPECT_EQ(first.run.state, core::RunState::queued);
  EXPECT_EQ(first.run.trigger, core::RunTrigger::key_change);
  EXPECT_EQ(first.run.target, core::RunTarget::voice());
  EXPECT_EQ(first.run.tenant_id, tenant);
  EXPECT_EQ(first.run.created_at_ms, kNow);
  EXPECT_FALSE(first.run.started_at_ms.has_value());

  RunTicket again = request(*store_, tenant, core::RunTarget::voice(), false, kNow + 1);
  EXPECT_TRUE(again.joined);
  EXPECT_EQ(again.run.id, first.run.id);
  // Dry runs neither join nor are joined.
  RunTicket dry = request(*store_, tenant, core::RunTarget::voice(), true, kNow + 2);
  EXPECT_FALSE(dry.joined);
  EXPECT_NE(dry.run.id, first.run.id);
  EXPECT_TRUE(dry.run.dry_run);
  RunTicket dry2 = request(*store_, tenant, core::RunTarget::voice(), true, kNow + 3);
  EXPECT_FALSE(dry2.joined);
  EXPECT_NE(dry2.run.id, dry.run.id);
  // Other targets and other tenants get their own runs.
  EXPECT_FALSE(request(*store_, tenant, crm(1)).joined);
  EXPECT_FALSE(request(*store_, other, core::RunTarget::voice()).joined);

  // Still joined while running; a new run once it ended.
  std::optional<ClaimedJob> job = claim(*store_, "w1", kNow + 10);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->run_id, first.run.id);
  EXPECT_EQ(request(*store_, tenant, core::RunTarget::voice(), false, kNow + 11).run.id, first.run.id);
  ASSERT_TRUE(store_->finish_run(first.run.id, outcome(core::RunState::succeeded), at(kNow + 12)).ok());
  RunTicket next = request(*store_, tenant, core::RunTarget::voice(), false, kNow + 13);
  EXPECT_FALSE(next.joined);
  EXPECT_NE(next.run.id, first.run.id);
}

TEST_P(StoreSuite, ConcurrentRequestsFromTwoInstancesMakeOneRunPerTarget) {
  const TenantId tenant = make_tenant(*store_, "acme");
  std::unique_ptr<Store> second = open_again();
  ASSERT_NE(second, nullptr);
  constexpr int kTargets = 5;
  constexpr int kThreadsPerStore = 3;
  std::mutex mutex;
  std::map<std::string, std::set<RunId>> ids;
  int created = 0;
  int failures = 0;
  std::vector<std::thread> threads;
  for (Store* store : {store_.get(), second.get()}) {
    for (int t = 0; t < kThreadsPerStore; ++t) {
      threads.emplace_back([&, store] {
        for (int i = 0; i < kTargets; ++i) {
          const std::string target = "crm:" + std::to_string(i);
          auto ticket = store->request_run(tenant, crm(i), core::RunTrigger::schedule, false,
                                           std::chrono::milliseconds{kDeadline}, at(kNow), 0);
          std::lock_guard<std::mutex> lock(mutex);
          if (!ticket.ok()) {
            ++failures;
            continue;
          }
          ids[target].insert(ticket->run.id);
          if (!ticket->joined) ++created;
        }
      });
    }
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(created, kTargets);
  ASSERT_EQ(ids.size(), static_cast<std::size_t>(kTargets));
  for (const auto& [target, run_ids] : ids) EXPECT_EQ(run_ids.size(), 1u) << target;
  auto runs = store_->list_runs(tenant, 100, std::nullopt);
  ASSERT_TRUE(runs.ok());
  EXPECT_EQ(runs->size(), static_cast<std::size_t>(kTargets));
}

TEST_P(StoreSuite, ClaimJobLeasesTheOldestDueJobAndStartsItsRun) {
  const TenantId tenant = make_tenant(*store_, "acme");
  RunTicket older = request(*store_, tenant, core::RunTarget::voice(), false, kNow);
  RunTicket newer = request(*store_, tenant, crm(1), false, kNow + 1);
  // Not due yet at an earlier time.
  auto early = store_->claim_job("w1", std::chrono::milliseconds{kLease}, at(kNow - 1), 0);
  ASSERT_TRUE(early.ok());
  EXPECT_FALSE(early->has_value());

  std::optional<ClaimedJob> job = claim(*store_, "w1", kNow + 5);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->run_id, older.run.id);
  EXPECT_EQ(job->tenant_id, tenant);
  EXPECT_EQ(job->target, core::RunTarget::voice());
  EXPECT_EQ(job->attempts, 1);
  EXPECT_EQ(job->lease_expires_at_ms, kNow + 5 + kLease);
  SyncRun running = run_of(*store_, tenant, older.run.id);
  EXPECT_EQ(running.state, core::RunState::running);
  EXPECT_EQ(running.started_at_ms, kNow + 5);
  EXPECT_EQ(running.heartbeat_at_ms, kNow + 5);
  EXPECT_EQ(running.deadline_at_ms, kNow + 5 + kDeadline);

  std::optional<ClaimedJob> second = claim(*store_, "w2", kNow + 6);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->run_id, newer.run.id);
  EXPECT_FALSE(claim(*store_, "w3", kNow + 7).has_value());
}

TEST_P(StoreSuite, ClaimsServeTheTenantThatWaitedLongestFirst) {
  const TenantId busy = make_tenant(*store_, "busy");
  const TenantId quiet = make_tenant(*store_, "quiet");
  const TenantId late = make_tenant(*store_, "late");
  // The busy tenant queues four runs first; the others one each, later.
  std::vector<RunId> busy_runs;
  for (int i = 0; i < 4; ++i) busy_runs.push_back(request(*store_, busy, crm(i), false, kNow + i).run.id);
  const RunId quiet_run = request(*store_, quiet, core::RunTarget::voice(), false, kNow + 10).run.id;
  const RunId late_run = request(*store_, late, core::RunTarget::voice(), false, kNow + 20).run.id;

  // One worker, claiming one job at a time and finishing it before the next claim.
  std::vector<TenantId> served;
  std::vector<RunId> order;
  for (int i = 0; i < 6; ++i) {
    const std::int64_t t = kNow + 100 + i * kSecond;
    std::optional<ClaimedJob> job = claim(*store_, "w1", t);
    ASSERT_TRUE(job.has_value()) << i;
    served.push_back(job->tenant_id);
    order.push_back(job->run_id);
    ASSERT_TRUE(store_->finish_run(job->run_id, outcome(core::RunState::succeeded), at(t + 500)).ok());
  }
  EXPECT_FALSE(claim(*store_, "w1", kNow + 10 * kSecond).has_value());
  // FIFO would serve the busy tenant four times before the others; fair claims take turns, and
  // each tenant's own runs still go oldest first.
  EXPECT_EQ(served, (std::vector<TenantId>{busy, quiet, late, busy, busy, busy}));
  EXPECT_EQ(order, (std::vector<RunId>{busy_runs[0], quiet_run, late_run, busy_runs[1], busy_runs[2],
                                       busy_runs[3]}));
}

TEST_P(StoreSuite, ATenantWithARunningJobWaitsBehindOneNotYetServed) {
  const TenantId first = make_tenant(*store_, "first");
  const TenantId second = make_tenant(*store_, "second");
  request(*store_, first, core::RunTarget::voice(), false, kNow);
  request(*store_, first, crm(1), false, kNow + 1);
  request(*store_, second, core::RunTarget::voice(), false, kNow + 2);
  // Two workers at once: the second claim goes to the tenant not yet served, although the first
  // tenant's other job is older.
  std::optional<ClaimedJob> a = claim(*store_, "w1", kNow + 10);
  std::optional<ClaimedJob> b = claim(*store_, "w2", kNow + 11);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->tenant_id, first);
  EXPECT_EQ(b->tenant_id, second);
}

TEST_P(StoreSuite, RequestRunCapsATenantsQueuedAndRunningRunsDryRunsIncluded) {
  const TenantId tenant = make_tenant(*store_, "greedy");
  const TenantId other = make_tenant(*store_, "other");
  auto ask = [&](TenantId t, core::RunTarget target, bool dry_run) {
    return store_->request_run(t, target, core::RunTrigger::manual, dry_run,
                               std::chrono::milliseconds{kDeadline}, at(kNow), 3);
  };
  ASSERT_TRUE(ask(tenant, core::RunTarget::voice(), false).ok());
  ASSERT_TRUE(ask(tenant, core::RunTarget::voice(), true).ok());
  ASSERT_TRUE(ask(tenant, crm(1), true).ok());
  // At the cap: another dry run or another target is refused, naming the limit...
  auto refused = ask(tenant, core::RunTarget::voice(), true);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().is(core::ErrorCode::limit_exceeded));
  EXPECT_NE(refused.error().message.find("queued_runs"), std::string::npos);
  EXPECT_FALSE(ask(tenant, crm(2), false).ok());
  // ...but joining the voice run adds none, and other tenants are not affected.
  auto joined = ask(tenant, core::RunTarget::voice(), false);
  ASSERT_TRUE(joined.ok());
  EXPECT_TRUE(joined->joined);
  EXPECT_TRUE(ask(other, core::RunTarget::voice(), true).ok());
  // A running run still counts; once one ends there is room again.
  std::optional<ClaimedJob> job = claim(*store_, "w1", kNow + 1);
  ASSERT_TRUE(job.has_value());
  EXPECT_FALSE(ask(tenant, crm(2), false).ok());
  ASSERT_TRUE(store_->finish_run(job->run_id, outcome(core::RunState::succeeded), at(kNow + 2)).ok());
  EXPECT_TRUE(ask(tenant, crm(2), false).ok());
}

TEST_P(StoreSuite, ConcurrentRequestsNeverPassTheTenantsCap) {
  const TenantId tenant = make_tenant(*store_, "racer");
  std::unique_ptr<Store> second = open_again();
  ASSERT_NE(second, nullptr);
  constexpr int kCap = 4;
  std::atomic<int> created{0};
  std::atomic<int> refused{0};
  std::atomic<int> other_errors{0};
  std::vector<std::thread> threads;
  for (Store* store : {store_.get(), second.get()}) {
    for (int t = 0; t < 3; ++t) {
      threads.emplace_back([&, store] {
        for (int i = 0; i < 4; ++i) {
          auto ticket = store->request_run(tenant, core::RunTarget::voice(), core::RunTrigger::manual, true,
                                           std::chrono::milliseconds{kDeadline}, at(kNow), kCap);
          if (ticket.ok())
            ++created;
          else if (ticket.error().is(core::ErrorCode::limit_exceeded))
            ++refused;
          else
            ++other_errors;
        }
      });
    }
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(other_errors.load(), 0);
  EXPECT_EQ(created.load(), kCap);
  EXPECT_EQ(refused.load(), 24 - kCap);
}

TEST_P(StoreSuite, TwoInstancesClaimingNeverGetTheSameJob) {
  const TenantId tenant = make_tenant(*store_, "acme");
  constexpr int kJobs = 24;
  for (int i = 0; i < kJobs; ++i) request(*store_, tenant, crm(i));
  std::unique_ptr<Store> second = open_again();
  ASSERT_NE(second, nullptr);
  std::mutex mutex;
  std::vector<JobId> claimed;
  int failures = 0;
  std::vector<std::thread> threads;
  int n = 0;
  for (Store* store : {store_.get(), second.get()}) {
    for (int t = 0; t < 2; ++t) {
      const std::string owner = "worker-" + std::to_string(n++);
      threads.emplace_back([&, store, owner] {
        for (;;) {
          auto job = store->claim_job(owner, std::chrono::milliseconds{kLease}, at(kNow), 0);
          std::lock_guard<std::mutex> lock(mutex);
          if (!job.ok()) {
            if (++failures > 100) return;
            continue;
          }
          if (!job->has_value()) return;
          claimed.push_back((*job)->job_id);
        }
      });
    }
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  ASSERT_EQ(claimed.size(), static_cast<std::size_t>(kJobs));
  EXPECT_EQ(std::set<JobId>(claimed.begin(), claimed.end()).size(), static_cast<std::size_t>(kJobs));
}

TEST_P(StoreSuite, ClaimSkipsATenantAtItsConcurrencyCap) {
  const TenantId busy = make_tenant(*store_, "busy");
  const TenantId other = make_tenant(*store_, "other");
  for (int i = 0; i < 3; ++i) request(*store_, busy, crm(i));
  request(*store_, other);
  auto claim_capped = [&](const std::string& owner, std::int64_t now_ms, int cap) {
    auto job = store_->claim_job(owner, std::chrono::milliseconds{kLease}, at(now_ms), cap);
    EXPECT_TRUE(job.ok()) << job.error().message;
    return job.ok() ? *job : std::nullopt;
  };
  // Cap 1: one run of each tenant, then nothing, though two of busy's jobs are due.
  std::set<TenantId> served;
  for (const char* owner : {"w1", "w2"}) {
    auto job = claim_capped(owner, kNow, 1);
    ASSERT_TRUE(job.has_value());
    served.insert(job->tenant_id);
  }
  EXPECT_EQ(served, (std::set<TenantId>{busy, other}));
  EXPECT_FALSE(claim_capped("w3", kNow, 1).has_value());
  // Cap 2 lets a second run of busy start; an expired lease no longer counts against the cap.
  auto second = claim_capped("w3", kNow, 2);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->tenant_id, busy);
  EXPECT_FALSE(claim_capped("w4", kNow, 2).has_value());
  EXPECT_FALSE(claim_capped("w4", kNow + kLease - 1, 2).has_value());
  auto after_expiry = claim_capped("w4", kNow + kLease, 2);
  ASSERT_TRUE(after_expiry.has_value());
  EXPECT_EQ(after_expiry->tenant_id, busy);
}

TEST_P(StoreSuite, ConcurrentClaimsNeverPassTheTenantCap) {
  // Two stores (two instances on PostgreSQL), four workers, three tenants with eight due jobs
  // each, cap 1: each tenant gets exactly one leased job, whatever the interleaving.
  std::vector<TenantId> tenants;
  for (const char* name : {"t1", "t2", "t3"}) tenants.push_back(make_tenant(*store_, name));
  for (TenantId tenant : tenants)
    for (int i = 0; i < 8; ++i) request(*store_, tenant, crm(i));
  std::unique_ptr<Store> second = open_again();
  ASSERT_NE(second, nullptr);
  std::mutex mutex;
  std::vector<TenantId> claimed;
  int failures = 0;
  std::vector<std::thread> threads;
  int n = 0;
  for (Store* store : {store_.get(), second.get()}) {
    for (int t = 0; t < 2; ++t) {
      const std::string owner = "worker-" + std::to_string(n++);
      threads.emplace_back([&, store, owner] {
        for (int round = 0; round < 6; ++round) {
          auto job = store->claim_job(owner, std::chrono::milliseconds{kLease}, at(kNow), 1);
          std::lock_guard<std::mutex> lock(mutex);
          if (!job.ok()) {
            ++failures;
            continue;
          }
          if (job->has_value()) claimed.push_back((*job)->tenant_id);
        }
      });
    }
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  std::sort(claimed.begin(), claimed.end());
  EXPECT_EQ(claimed, tenants);
}

TEST_P(StoreSuite, ProgressOfARunTheSweepEndedIsNotWritten) {
  const TenantId tenant = make_tenant(*store_, "acme");
  RunTicket ticket = request(*store_, tenant);
  ASSERT_TRUE(claim(*store_, "w1").has_value());
  ASSERT_TRUE(store_->update_run_progress(ticket.run.id, R"({"pages":1})", at(kNow + 1)).ok());
  // The worker is paused past its lease; the sweep fails the run (worker_lost).
  auto swept = store_->sweep_expired_runs(at(kNow + kLease), {});
  ASSERT_TRUE(swept.ok()) << swept.error().message;
  ASSERT_EQ(swept->size(), 1u);
  // It wakes and reports progress: refused, and the failed run keeps what it had.
  EXPECT_EQ(code_of(store_->update_run_progress(ticket.run.id, R"({"pages":9})", at(kNow + kLease + 1))),
            "conflict");
  SyncRun failed = run_of(*store_, tenant, ticket.run.id);
  EXPECT_EQ(failed.state, core::RunState::failed);
  EXPECT_EQ(failed.progress_json, R"({"pages":1})");
  EXPECT_EQ(failed.heartbeat_at_ms, kNow + 1);
}

TEST_P(StoreSuite, TheSweepRenewsTheLeasesOfTheSweepersOwnLiveWorkersFirst) {
  const TenantId tenant = make_tenant(*store_, "acme");
  const TenantId other = make_tenant(*store_, "globex");
  RunTicket mine = request(*store_, tenant);
  RunTicket theirs = request(*store_, other);
  std::optional<ClaimedJob> mine_job = claim(*store_, "w1", kNow);
  std::optional<ClaimedJob> theirs_job = claim(*store_, "w2", kNow);
  ASSERT_TRUE(mine_job.has_value() && theirs_job.has_value());
  ASSERT_EQ(mine_job->run_id, mine.run.id);

  // Both leases expired: w1's renewal waited behind a long write, w2 died. w1's sweep keeps its
  // own live job (and lists w2's, which is not w1's to keep) and gives up only w2's run.
  const HeldLeases held{"w1", {mine_job->job_id, theirs_job->job_id}, std::chrono::milliseconds{kLease}};
  auto swept = store_->sweep_expired_runs(at(kNow + kLease + kSecond), held);
  ASSERT_TRUE(swept.ok()) << swept.error().message;
  ASSERT_EQ(swept->size(), 1u);
  EXPECT_EQ(swept->front().run_id, theirs.run.id);
  EXPECT_EQ(run_of(*store_, tenant, mine.run.id).state, core::RunState::running);
  EXPECT_EQ(run_of(*store_, other, theirs.run.id).state, core::RunState::failed);

  // Renewed to the sweep's now + lease: nobody's sweep takes it before then, its holder still can renew.
  EXPECT_TRUE(store_->sweep_expired_runs(at(kNow + 2 * kLease), {})->empty());
  EXPECT_TRUE(
      store_->renew_lease(mine_job->job_id, "w1", std::chrono::milliseconds{kLease}, at(kNow + 2 * kLease)).ok());
  // Once no worker of w1 runs it, an expired lease is swept as before.
  auto later = store_->sweep_expired_runs(at(kNow + 4 * kLease), HeldLeases{"w1", {}, std::chrono::milliseconds{kLease}});
  ASSERT_TRUE(later.ok());
  ASSERT_EQ(later->size(), 1u);
  EXPECT_EQ(later->front().run_id, mine.run.id);
}

TEST_P(StoreSuite, RenewLeaseIsOnlyForTheHolder) {
  const TenantId tenant = make_tenant(*store_, "acme");
  RunTicket ticket = request(*store_, tenant);
  std::optional<ClaimedJob> job = claim(*store_, "w1", kNow);
  ASSERT_TRUE(job.has_value());

  ASSERT_TRUE(
      store_->renew_lease(job->job_id, "w1", std::chrono::milliseconds{kLease}, at(kNow + 10 * kSecond))
          .ok());
  EXPECT_EQ(run_of(*store_, tenant, ticket.run.id).heartbeat_at_ms, kNow + 10 * kSecond);
  EXPECT_EQ(code_of(store_->renew_lease(job->job_id, "w2", std::chrono::milliseconds{kLease},
                                        at(kNow + 11 * kSecond))),
            "conflict");
  // The renewal moved the expiry: not swept at the original expiry.
  EXPECT_TRUE(store_->sweep_expired_runs(at(kNow + kLease + kSecond), {})->empty());

  // w1 goes quiet; the sweep requeues, w2 claims the new job; w1's late renewal is refused.
  auto swept = store_->sweep_expired_runs(at(kNow + 10 * kSecond + kLease), {});
  ASSERT_TRUE(swept.ok());
  ASSERT_EQ(swept->size(), 1u);
  std::optional<ClaimedJob> taken = claim(*store_, "w2", kNow + 41 * kSecond);
  ASSERT_TRUE(taken.has_value());
  EXPECT_NE(taken->run_id, ticket.run.id);
  EXPECT_EQ(code_of(store_->renew_lease(job->job_id, "w1", std::chrono::milliseconds{kLease},
                                        at(kNow + 42 * kSecond))),
            "conflict");
  EXPECT_TRUE(
      store_->renew_lease(taken->job_id, "w2", std::chrono::milliseconds{kLease}, at(kNow + 42 * kSecond))
          .ok());
}

TEST_P(StoreSuite, SweepFailsLostRunsAndQueuesTheirTargetAgain) {
  const TenantId tenant = make_tenant(*store_, "acme");
  const TenantId other = make_tenant(*store_, "other");
  RunTicket lost = request(*store_, tenant, core::RunTarget::voice(), false, kNow, core::RunTrigger::login);
  RunTicket healthy = request(*store_, other, core::RunTarget::voice());
  ASSERT_TRUE(claim(*store_, "dead", kNow).has_value());
  std::optional<ClaimedJob> alive = claim(*store_, "alive", kNow);
  ASSERT_TRUE(alive.has_value());
  EXPECT_TRUE(store_->sweep_expired_runs(at(kNow + kLease - 1), {})->empty());

  // "alive" renews its lease; "dead" does not.
  ASSERT_TRUE(
      store_->renew_lease(alive->job_id, "alive", std::chrono::milliseconds{kLease}, at(kNow + kLease - 1))
          .ok());
  const std::int64_t swept_now = kNow + kLease;
  auto swept = store_->sweep_expired_runs(at(swept_now), {});
  ASSERT_TRUE(swept.ok()) << swept.error().message;
  ASSERT_EQ(swept->size(), 1u);
  EXPECT_EQ((*swept)[0].run_id, lost.run.id);
  EXPECT_EQ((*swept)[0].tenant_id, tenant);
  EXPECT_EQ((*swept)[0].target, core::RunTarget::voice());
  EXPECT_EQ((*swept)[0].error_code, core::ErrorCode::worker_lost);
  EXPECT_EQ(run_of(*store_, other, healthy.run.id).state, core::RunState::running);
  SyncRun failed = run_of(*store_, tenant, lost.run.id);
  EXPECT_EQ(failed.state, core::RunState::failed);
  EXPECT_EQ(failed.error_code, core::ErrorCode::worker_lost);
  EXPECT_EQ(failed.finished_at_ms, swept_now);
  EXPECT_FALSE(failed.error_message.empty());

  auto latest = store_->latest_run(tenant, core::RunTarget::voice());
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_NE((*latest)->id, lost.run.id);
  EXPECT_EQ((*latest)->state, core::RunState::queued);
  EXPECT_EQ((*latest)->trigger, core::RunTrigger::login);
  auto finished = store_->latest_finished_run(tenant, core::RunTarget::voice());
  ASSERT_TRUE(finished.ok() && finished->has_value());
  EXPECT_EQ((*finished)->id, lost.run.id);
  EXPECT_EQ((*store_->latest_run(other, core::RunTarget::voice()))->id, healthy.run.id);

  // The new jobs carry the attempts on.
  std::optional<ClaimedJob> retry = claim(*store_, "w", swept_now + 1);
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(retry->attempts, 2);
  EXPECT_TRUE(store_->sweep_expired_runs(at(swept_now + 1), {})->empty());
}

TEST_P(StoreSuite, ExpiringAnOwnersLeasesLetsTheNextSweepRequeueOnlyTheirRuns) {
  const TenantId tenant = make_tenant(*store_, "acme");
  const TenantId other = make_tenant(*store_, "other");
  RunTicket orphan = request(*store_, tenant);
  RunTicket healthy = request(*store_, other);
  ASSERT_TRUE(claim(*store_, "node-a", kNow).has_value());
  ASSERT_TRUE(claim(*store_, "node-b", kNow).has_value());

  // node-a restarts a second later: its lease has 29 s left, and it ends it.
  auto ended = store_->expire_leases_of("node-a", at(kNow + kSecond));
  ASSERT_TRUE(ended.ok()) << ended.error().message;
  EXPECT_EQ(*ended, 1);
  auto swept = store_->sweep_expired_runs(at(kNow + kSecond), {});
  ASSERT_TRUE(swept.ok()) << swept.error().message;
  ASSERT_EQ(swept->size(), 1u);
  EXPECT_EQ((*swept)[0].run_id, orphan.run.id);
  EXPECT_EQ((*swept)[0].error_code, core::ErrorCode::worker_lost);
  EXPECT_EQ(run_of(*store_, other, healthy.run.id).state, core::RunState::running);
  EXPECT_EQ((*store_->latest_run(tenant, core::RunTarget::voice()))->state, core::RunState::queued);
  // Nothing left under its name, so a second start ends nothing.
  EXPECT_EQ(*store_->expire_leases_of("node-a", at(kNow + 2 * kSecond)), 0);
}

TEST_P(StoreSuite, SweepKeepsRenewedLeasesAndFailsOverdueRuns) {
  const TenantId tenant = make_tenant(*store_, "acme");
  RunTicket slow = request(*store_, tenant, core::RunTarget::voice());
  RunTicket fine = request(*store_, tenant, crm(1));
  std::optional<ClaimedJob> slow_job = claim(*store_, "w1", kNow);
  std::optional<ClaimedJob> fine_job = claim(*store_, "w2", kNow);
  ASSERT_TRUE(slow_job && fine_job);

  // Both workers renew faithfully until past the deadline of the slow one.
  std::int64_t t = kNow;
  for (; t < kNow + kDeadline; t += 20 * kSecond) {
    ASSERT_TRUE(store_->renew_lease(slow_job->job_id, "w1", std::chrono::milliseconds{kLease}, at(t)).ok());
    ASSERT_TRUE(store_->renew_lease(fine_job->job_id, "w2", std::chrono::milliseconds{kLease}, at(t)).ok());
    ASSERT_TRUE(store_->sweep_expired_runs(at(t), {})->empty()) << t - kNow;
  }
  ASSERT_TRUE(store_->finish_run(fine.run.id, outcome(core::RunState::succeeded), at(t)).ok());
  auto swept = store_->sweep_expired_runs(at(kNow + kDeadline), {});
  ASSERT_TRUE(swept.ok());
  ASSERT_EQ(swept->size(), 1u);
  EXPECT_EQ((*swept)[0].run_id, slow.run.id);
  EXPECT_EQ((*swept)[0].tenant_id, tenant);
  EXPECT_EQ((*swept)[0].target, core::RunTarget::voice());
  EXPECT_EQ((*swept)[0].error_code, core::ErrorCode::deadline_exceeded);
  SyncRun overdue = run_of(*store_, tenant, slow.run.id);
  EXPECT_EQ(overdue.state, core::RunState::failed);
  EXPECT_EQ(overdue.error_code, core::ErrorCode::deadline_exceeded);
  // Not retried: no new run, and the job is gone (the worker's renewal is refused).
  EXPECT_EQ((*store_->latest_run(tenant, core::RunTarget::voice()))->id, slow.run.id);
  EXPECT_EQ(code_of(store_->renew_lease(slow_job->job_id, "w1", std::chrono::milliseconds{kLease}, at(t))),
            "conflict");
  EXPECT_FALSE(claim(*store_, "w3", t).has_value());
}

TEST_P(StoreSuite, FinishRunAndProgress) {
  const TenantId tenant = make_tenant(*store_, "acme");
  RunTicket ticket = request(*store_, tenant);
  ASSERT_TRUE(claim(*store_, "w1").has_value());
  ASSERT_TRUE(store_->update_run_progress(ticket.run.id, R"({"pages":3})", at(kNow + 7)).ok());
  SyncRun progressing = run_of(*store_, tenant, ticket.run.id);
  EXPECT_EQ(progressing.progress_json, R"({"pages":3})");
  EXPECT_EQ(progressing.heartbeat_at_ms, kNow + 7);
  EXPECT_EQ(code_of(store_->update_run_progress(RunId{999'999}, "{}", at(kNow))), "not_found");

  RunOutcome failed;
  failed.state = core::RunState::failed;
  failed.counts_json = R"({"agents":{"created":0}})";
  failed.error_code = core::ErrorCode::key_rejected;
  failed.error_message = "the API key was refused";
  failed.warnings_json = R"(["w"])";
  failed.upstream_account_id = "acc-9";
  ASSERT_TRUE(store_->finish_run(ticket.run.id, failed, at(kNow + 9)).ok());
  SyncRun ended = run_of(*store_, tenant, ticket.run.id);
  EXPECT_EQ(ended.state, core::RunState::failed);
  EXPECT_EQ(ended.finished_at_ms, kNow + 9);
  EXPECT_EQ(ended.counts_json, failed.counts_json);
  EXPECT_EQ(ended.error_code, core::ErrorCode::key_rejected);
  EXPECT_EQ(ended.error_message, "the API key was refused");
  EXPECT_EQ(ended.warnings_json, R"(["w"])");
  EXPECT_EQ(ended.upstream_account_id, "acc-9");
  EXPECT_EQ(ended.plan_json, "");
  EXPECT_EQ(code_of(store_->finish_run(ticket.run.id, outcome(core::RunState::succeeded), at(kNow + 10))),
            "conflict");
  EXPECT_EQ(code_of(store_->finish_run(RunId{999'999}, outcome(core::RunState::succeeded), at(kNow + 10))),
            "not_found");
  EXPECT_FALSE(claim(*store_, "w2", kNow + 11).has_value());
}

TEST_P(StoreSuite, HeldRunsAreConfirmedOrCancelled) {
  const TenantId tenant = make_tenant(*store_, "acme");
  const TenantId other = make_tenant(*store_, "other");
  RunTicket ticket = request(*store_, tenant);
  ASSERT_TRUE(claim(*store_, "w1").has_value());
  ASSERT_TRUE(
      store_->finish_run(ticket.run.id, outcome(core::RunState::held, R"({"plan_id":"p1"})"), at(kNow + 1)).ok());
  SyncRun held = run_of(*store_, tenant, ticket.run.id);
  EXPECT_EQ(held.state, core::RunState::held);
  EXPECT_EQ(held.plan_json, R"({"plan_id":"p1"})");
  EXPECT_EQ((*store_->latest_finished_run(tenant, core::RunTarget::voice()))->id, ticket.run.id);

  // Not while another run of the target is queued; not from another tenant; not an unknown run.
  RunTicket blocking = request(*store_, tenant, core::RunTarget::voice(), false, kNow + 2);
  EXPECT_FALSE(blocking.joined);  // a held run is not joined
  EXPECT_EQ(code_of(store_->confirm_held_run(tenant, ticket.run.id, "p1", at(kNow + 3))), "conflict");
  ASSERT_TRUE(store_->cancel_run(tenant, blocking.run.id, at(kNow + 4)).ok());
  EXPECT_EQ(code_of(store_->confirm_held_run(other, ticket.run.id, "p1", at(kNow + 5))), "not_found");
  EXPECT_EQ(code_of(store_->cancel_run(other, ticket.run.id, at(kNow + 5))), "not_found");
  EXPECT_EQ(code_of(store_->confirm_held_run(tenant, RunId{999'999}, "p1", at(kNow + 5))), "not_found");

  auto confirmed = store_->confirm_held_run(tenant, ticket.run.id, "p1", at(kNow + 6));
  ASSERT_TRUE(confirmed.ok()) << confirmed.error().message;
  EXPECT_EQ(confirmed->state, core::RunState::queued);
  EXPECT_EQ(confirmed->confirmed_plan_id, "p1");
  EXPECT_EQ(confirmed->plan_json, R"({"plan_id":"p1"})");
  EXPECT_FALSE(confirmed->finished_at_ms.has_value());
  EXPECT_EQ(code_of(store_->confirm_held_run(tenant, ticket.run.id, "p1", at(kNow + 7))), "conflict");
  // A request now joins the confirmed run; a worker picks it up.
  EXPECT_EQ(request(*store_, tenant, core::RunTarget::voice(), false, kNow + 8).run.id, ticket.run.id);
  std::optional<ClaimedJob> job = claim(*store_, "w2", kNow + 9);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->run_id, ticket.run.id);
  EXPECT_EQ(code_of(store_->cancel_run(tenant, ticket.run.id, at(kNow + 10))), "conflict");  // running

  // Held again, then cancelled: the state is final and no job is left.
  ASSERT_TRUE(store_->finish_run(ticket.run.id, outcome(core::RunState::held, "{}"), at(kNow + 11)).ok());
  auto cancelled = store_->cancel_run(tenant, ticket.run.id, at(kNow + 12));
  ASSERT_TRUE(cancelled.ok()) << cancelled.error().message;
  EXPECT_EQ(cancelled->state, core::RunState::cancelled);
  EXPECT_EQ(cancelled->finished_at_ms, kNow + 12);
  EXPECT_EQ(code_of(store_->cancel_run(tenant, ticket.run.id, at(kNow + 13))), "conflict");
  EXPECT_EQ(code_of(store_->confirm_held_run(tenant, ticket.run.id, "p1", at(kNow + 13))), "conflict");

  // A queued run is cancelled with its job.
  RunTicket queued = request(*store_, tenant, crm(3), false, kNow + 14);
  ASSERT_TRUE(store_->cancel_run(tenant, queued.run.id, at(kNow + 15)).ok());
  EXPECT_FALSE(claim(*store_, "w3", kNow + 16).has_value());
}

TEST_P(StoreSuite, RunHistoryPagesNewestFirstPerTenant) {
  const TenantId tenant = make_tenant(*store_, "acme");
  const TenantId other = make_tenant(*store_, "other");
  std::vector<RunId> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(request(*store_, tenant, crm(i), false, kNow + i).run.id);
  ids.push_back(request(*store_, tenant, crm(9), true, kNow + 4).run.id);  // same created_at as the fifth
  const RunId theirs = request(*store_, other, core::RunTarget::voice()).run.id;

  std::vector<RunId> seen;
  std::optional<PageCursor> after;
  for (int guard = 0; guard < 10; ++guard) {
    auto page = store_->list_runs(tenant, 4, after);
    ASSERT_TRUE(page.ok()) << page.error().message;
    for (const SyncRun& r : *page) seen.push_back(r.id);
    if (page->size() < 4) break;
    after = PageCursor{page->back().created_at_ms, page->back().id.value()};
  }
  std::vector<RunId> expected(ids.rbegin(), ids.rend());
  EXPECT_EQ(seen, expected);

  auto mine = store_->find_run(tenant, theirs);
  ASSERT_TRUE(mine.ok());
  EXPECT_FALSE(mine->has_value());
  EXPECT_FALSE(store_->latest_run(other, crm(0))->has_value());
  EXPECT_FALSE(store_->latest_finished_run(tenant, crm(0))->has_value());
  // The newest non-dry run: a dry run of the target does not count.
  EXPECT_FALSE(store_->latest_run(tenant, crm(9))->has_value());
  EXPECT_EQ((*store_->latest_run(tenant, crm(2)))->id, ids[2]);
}

TEST_P(StoreSuite, EachSchedulerTickIsClaimedOnce) {
  std::unique_ptr<Store> second = open_again();
  ASSERT_NE(second, nullptr);
  auto a = store_->claim_tick("voice", at(kNow), "instance-a", at(kNow));
  auto b = second->claim_tick("voice", at(kNow), "instance-b", at(kNow + 1));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(*a);
  EXPECT_FALSE(*b);
  EXPECT_TRUE(*second->claim_tick("voice", at(kNow + 3'600'000), "instance-b", at(kNow)));
  EXPECT_TRUE(*second->claim_tick("crm", at(kNow), "instance-b", at(kNow)));
  EXPECT_FALSE(*store_->claim_tick("crm", at(kNow), "instance-a", at(kNow)));
}

}  // namespace tenantsync::store::test
