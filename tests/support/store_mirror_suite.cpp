// The Store suite, voice-platform mirror: apply_voice_plans, lists, archive and restore, counts,
// cursors. Runs on SQLite (tenantsync_unittest) and PostgreSQL (tenantsync_pgtest).
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "store/sql_store.hpp"
#include "support/store_suite.hpp"

namespace tenantsync::store::test {
namespace {

using core::Resource;

constexpr std::int64_t kNow = 1'700'000'000'000;
constexpr std::int64_t kMinute = 60'000;

// The error code of a result, or "ok", so a test that expects a failure does not crash on success.
template <class R>
std::string code_of(const R& result) {
  return result.ok() ? std::string("ok") : std::string(core::to_string(result.error().code));
}

TenantId make_tenant(Store& store, const std::string& name) {
  auto created = store.create_tenant_with_user(name, name + "@example.test", "hash", at(kNow));
  EXPECT_TRUE(created.ok()) << created.error().message;
  return created.ok() ? created->first.id : TenantId{0};
}

core::UpstreamRecord record(const std::string& id, const std::string& name, std::int64_t created_at_ms = 0,
                            const std::string& agent_id = "", const std::string& status = "active") {
  core::UpstreamRecord r;
  r.upstream_id = id;
  r.name = name;
  r.status = status;
  r.agent_id = agent_id;
  r.created_at_ms = created_at_ms;
  r.updated_at_ms = created_at_ms;
  r.fields_json = R"({"name":")" + name + R"("})";
  r.raw_json = R"({"id":")" + id + R"("})";
  r.content_hash = "h-" + name;
  return r;
}

RunOutcome succeeded(const std::string& counts = R"({"created":1})") {
  RunOutcome o;
  o.state = core::RunState::succeeded;
  o.counts_json = counts;
  o.upstream_account_id = "acc-1";
  return o;
}

// A queued voice run whose job a worker holds, as the engine has it when it applies.
RunId running_run(Store& store, TenantId tenant, std::int64_t now_ms = kNow) {
  auto ticket = store.request_run(tenant, core::RunTarget::voice(), core::RunTrigger::manual, false,
                                  std::chrono::milliseconds{10 * kMinute}, at(now_ms), 0);
  EXPECT_TRUE(ticket.ok()) << ticket.error().message;
  auto claimed = store.claim_job("worker-1", std::chrono::milliseconds{kMinute}, at(now_ms), 0);
  EXPECT_TRUE(claimed.ok() && claimed->has_value());
  return ticket.ok() ? ticket->run.id : RunId{0};
}

// Creates the records in one successful run; returns the run id.
RunId seed(Store& store, TenantId tenant, Resource resource, std::vector<core::UpstreamRecord> records,
           std::int64_t now_ms = kNow) {
  const RunId run = running_run(store, tenant, now_ms);
  core::ResourcePlan plan;
  plan.resource = resource;
  plan.account_id = "acc-1";
  plan.creates = std::move(records);
  Status applied =
      store.apply_voice_plans(tenant, run, {plan}, {}, {}, succeeded(), std::nullopt, at(now_ms));
  EXPECT_TRUE(applied.ok()) << applied.error().message;
  return run;
}

std::vector<core::LocalRecord> loaded(Store& store, TenantId tenant, Resource resource) {
  auto rows = store.load_mirror(tenant, resource);
  EXPECT_TRUE(rows.ok()) << rows.error().message;
  auto out = rows.ok() ? *rows : std::vector<core::LocalRecord>{};
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.upstream_id < b.upstream_id; });
  return out;
}

std::vector<std::string> names_of(const MirrorPage& page) {
  std::vector<std::string> names;
  for (const MirrorItem& item : page.items) names.push_back(item.name);
  return names;
}

}  // namespace

// A worker whose lease expired or is another's writes nothing: no rows, and the run not ended.
TEST_P(StoreSuite, ApplyVoicePlansWritesOnlyUnderTheRunsLease) {
  const TenantId tenant = make_tenant(*store_, "acme");
  auto ticket = store_->request_run(tenant, core::RunTarget::voice(), core::RunTrigger::manual, false,
                                    std::chrono::milliseconds{10 * kMinute}, at(kNow), 0);
  ASSERT_TRUE(ticket.ok());
  auto claimed = store_->claim_job("worker-1", std::chrono::milliseconds{kMinute}, at(kNow), 0);
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  const RunId run = ticket->run.id;
  const LeaseHold held{(*claimed)->job_id, "worker-1"};
  core::ResourcePlan plan;
  plan.resource = Resource::agents;
  plan.account_id = "acc-1";
  plan.creates = {record("ag-1", "Front desk", kNow)};

  for (const auto& [hold, when] :
       {std::pair{held, kNow + kMinute}, std::pair{LeaseHold{held.job_id, "worker-2"}, kNow + 1}}) {
    Status s = store_->apply_voice_plans(tenant, run, {plan}, {Resource::agents}, {{"voice", "k", "v"}},
                                         succeeded(), hold, at(when));
    ASSERT_FALSE(s.ok()) << hold.owner;
    EXPECT_TRUE(s.error().is(core::ErrorCode::worker_lost)) << s.error().message;
    EXPECT_TRUE(loaded(*store_, tenant, Resource::agents).empty());
    auto still = store_->find_run(tenant, run);
    ASSERT_TRUE(still.ok() && still->has_value());
    EXPECT_EQ((*still)->state, core::RunState::running);
    auto cursors = store_->get_cursors(tenant, "voice");
    ASSERT_TRUE(cursors.ok());
    EXPECT_TRUE(cursors->empty());
  }

  Status ok =
      store_->apply_voice_plans(tenant, run, {plan}, {Resource::agents}, {}, succeeded(), held, at(kNow + 2));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(loaded(*store_, tenant, Resource::agents).size(), 1u);
}

TEST_P(StoreSuite, ApplyVoicePlansCreatesAndEndsTheRunInOneGo) {
  const TenantId tenant = make_tenant(*store_, "acme");
  const RunId run = running_run(*store_, tenant);
  core::ResourcePlan plan;
  plan.resource = Resource::agents;
  plan.account_id = "acc-1";
  plan.creates = {record("ag-1", "Front desk", kNow - 2 * kMinute),
                  record("ag-2", "Sales", kNow - kMinute, "", "")};
  ASSERT_TRUE(store_
                  ->apply_voice_plans(tenant, run, {plan}, {Resource::agents},
                                      {{"voice", "executions:ag-1", "c1"}}, succeeded(), std::nullopt,
                                      at(kNow + 5))
                  .ok());

  auto rows = loaded(*store_, tenant, Resource::agents);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].upstream_account_id, "acc-1");
  EXPECT_EQ(rows[0].content_hash, "h-Front desk");
  EXPECT_FALSE(rows[0].archived);

  auto page = store_->list_mirror(tenant, Resource::agents, {});
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->items.size(), 2u);
  const MirrorItem& sales = page->items[0];  // newest first
  EXPECT_EQ(sales.name, "Sales");
  EXPECT_EQ(sales.resource, Resource::agents);
  EXPECT_EQ(sales.first_seen_run, run);
  EXPECT_EQ(sales.last_seen_run, run);
  EXPECT_EQ(sales.upstream_created_at_ms, kNow - kMinute);
  EXPECT_EQ(sales.fields_json, R"({"name":"Sales"})");
  EXPECT_EQ(sales.created_at_ms, kNow + 5);
  EXPECT_FALSE(sales.archived_at_ms.has_value());

  auto ended = store_->find_run(tenant, run);
  ASSERT_TRUE(ended.ok() && ended->has_value());
  EXPECT_EQ((*ended)->state, core::RunState::succeeded);
  EXPECT_EQ((*ended)->counts_json, R"({"created":1})");
  EXPECT_EQ((*ended)->upstream_account_id, "acc-1");
  EXPECT_EQ((*ended)->finished_at_ms, kNow + 5);
  // The job went with the run: no worker can pick it up again.
  auto next = store_->claim_job("worker-2", std::chrono::milliseconds{kMinute}, at(kNow + 10), 0);
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->has_value());

  auto cursors = store_->get_cursors(tenant, "voice");
  ASSERT_TRUE(cursors.ok());
  EXPECT_EQ(*cursors, (std::map<std::string, std::string>{{"executions:ag-1", "c1"}}));
}

TEST_P(StoreSuite, ApplyVoicePlansUpdatesArchivesRestoresAndStampsListedRows) {
  const TenantId tenant = make_tenant(*store_, "acme");
  const RunId first =
      seed(*store_, tenant, Resource::agents,
           {record("ag-1", "One", kNow), record("ag-2", "Two", kNow + 1), record("ag-3", "Three", kNow + 2)});
  auto rows = loaded(*store_, tenant, Resource::agents);
  ASSERT_EQ(rows.size(), 3u);

  // Run 2: ag-1 changed, ag-2 removed upstream, ag-3 unchanged (only stamped as seen).
  const RunId second = running_run(*store_, tenant, kNow + kMinute);
  core::ResourcePlan plan;
  plan.resource = Resource::agents;
  plan.account_id = "acc-1";
  plan.updates = {{rows[0].id, record("ag-1", "One renamed", kNow), false}};
  plan.archives = {{rows[1].id, "ag-2", "Two", std::string(core::kReasonRemovedUpstream)}};
  ASSERT_TRUE(store_
                  ->apply_voice_plans(tenant, second, {plan}, {Resource::agents}, {}, succeeded(),
                                      std::nullopt, at(kNow + kMinute))
                  .ok());

  auto active = store_->list_mirror(tenant, Resource::agents, {});
  ASSERT_TRUE(active.ok());
  EXPECT_EQ(names_of(*active), (std::vector<std::string>{"Three", "One renamed"}));
  for (const MirrorItem& item : active->items) {
    EXPECT_EQ(item.first_seen_run, first);
    EXPECT_EQ(item.last_seen_run, second) << item.name;
  }
  EXPECT_EQ(active->items[1].updated_at_ms, kNow + kMinute);
  EXPECT_EQ(active->items[0].updated_at_ms, kNow);  // the seen-stamp is not a change
  MirrorQuery archived_query;
  archived_query.archived = true;
  auto archived = store_->list_mirror(tenant, Resource::agents, archived_query);
  ASSERT_TRUE(archived.ok());
  ASSERT_EQ(archived->items.size(), 1u);
  EXPECT_EQ(archived->items[0].name, "Two");
  EXPECT_EQ(archived->items[0].archived_at_ms, kNow + kMinute);
  EXPECT_EQ(archived->items[0].archive_reason, "removed_upstream");
  EXPECT_EQ(archived->items[0].archive_run, second);
  EXPECT_EQ(archived->items[0].last_seen_run, first);  // archived rows are not stamped as seen
  rows = loaded(*store_, tenant, Resource::agents);
  EXPECT_TRUE(rows[1].archived);
  EXPECT_EQ(rows[1].archive_reason, "removed_upstream");

  // Run 3: ag-2 is back upstream, under another account.
  const RunId third = running_run(*store_, tenant, kNow + 2 * kMinute);
  core::ResourcePlan restore;
  restore.resource = Resource::agents;
  restore.account_id = "acc-2";
  restore.restores = {{rows[1].id, record("ag-2", "Two again", kNow + 1), "removed_upstream"}};
  ASSERT_TRUE(store_
                  ->apply_voice_plans(tenant, third, {restore}, {}, {}, succeeded(), std::nullopt,
                                      at(kNow + 2 * kMinute))
                  .ok());
  auto back = loaded(*store_, tenant, Resource::agents);
  EXPECT_FALSE(back[1].archived);
  EXPECT_EQ(back[1].archive_reason, "");
  EXPECT_EQ(back[1].upstream_account_id, "acc-2");
  EXPECT_EQ(back[1].name, "Two again");
  auto counts = store_->count_mirror(tenant);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->agents, 3);
}

TEST_P(StoreSuite, AFailingPlanRollsBackEveryChangeAndTheRunOutcome) {
  const TenantId tenant = make_tenant(*store_, "acme");
  seed(*store_, tenant, Resource::agents, {record("ag-1", "One", kNow)});
  const auto before = loaded(*store_, tenant, Resource::agents);
  const RunId run = running_run(*store_, tenant, kNow + kMinute);

  core::ResourcePlan campaigns;
  campaigns.resource = Resource::campaigns;
  campaigns.creates = {record("c-1", "Batch")};
  core::ResourcePlan agents;
  agents.resource = Resource::agents;
  agents.updates = {{before[0].id, record("ag-1", "Renamed"), false}};
  agents.creates = {record("ag-1", "Duplicate")};  // (tenant, upstream_id) exists: the apply fails
  Status failed =
      store_->apply_voice_plans(tenant, run, {campaigns, agents}, {Resource::agents}, {{"voice", "k", "v"}},
                                succeeded(), std::nullopt, at(kNow + kMinute));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, core::ErrorCode::conflict);

  EXPECT_EQ(loaded(*store_, tenant, Resource::agents)[0].name, "One");
  EXPECT_TRUE(loaded(*store_, tenant, Resource::campaigns).empty());
  EXPECT_TRUE(store_->get_cursors(tenant, "voice")->empty());
  auto still = store_->find_run(tenant, run);
  ASSERT_TRUE(still.ok() && still->has_value());
  EXPECT_EQ((*still)->state, core::RunState::running);
  // The job is still held, so the worker can fail the run properly.
  EXPECT_TRUE(store_
                  ->finish_run(run,
                               RunOutcome{core::RunState::failed, "{}", core::ErrorCode::db_error,
                                          "apply failed", "", "[]", ""},
                               at(kNow + kMinute))
                  .ok());
}

TEST_P(StoreSuite, ApplyNeverTouchesAnotherTenantsRowsOrRuns) {
  const TenantId acme = make_tenant(*store_, "acme");
  const TenantId other = make_tenant(*store_, "other");
  seed(*store_, other, Resource::agents, {record("ag-1", "Theirs", kNow)});
  const MirrorRowId their_row = loaded(*store_, other, Resource::agents)[0].id;
  const RunId run = running_run(*store_, acme, kNow + kMinute);

  core::ResourcePlan steal;
  steal.resource = Resource::agents;
  steal.archives = {{their_row, "ag-1", "Theirs", "removed_upstream"}};
  Status s =
      store_->apply_voice_plans(acme, run, {steal}, {}, {}, succeeded(), std::nullopt, at(kNow + kMinute));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::ErrorCode::not_found);
  core::ResourcePlan rename;
  rename.resource = Resource::agents;
  rename.updates = {{their_row, record("ag-1", "Mine"), false}};
  EXPECT_EQ(code_of(store_->apply_voice_plans(acme, run, {rename}, {}, {}, succeeded(), std::nullopt,
                                              at(kNow + kMinute))),
            "not_found");
  EXPECT_EQ(loaded(*store_, other, Resource::agents)[0].name, "Theirs");
  EXPECT_FALSE(loaded(*store_, other, Resource::agents)[0].archived);

  // A run id of another tenant cannot be ended through this tenant either.
  const RunId their_run = running_run(*store_, other, kNow + 2 * kMinute);
  EXPECT_EQ(
      code_of(store_->apply_voice_plans(acme, their_run, {}, {}, {}, succeeded(), std::nullopt, at(kNow))),
      "not_found");
  // Nor does a fully-listed stamp reach another tenant's rows.
  ASSERT_TRUE(
      store_->apply_voice_plans(acme, run, {}, {Resource::agents}, {}, succeeded(), std::nullopt, at(kNow))
          .ok());
  auto theirs = store_->list_mirror(other, Resource::agents, {});
  ASSERT_TRUE(theirs.ok());
  EXPECT_NE(theirs->items.at(0).last_seen_run, run);
  EXPECT_TRUE(store_->list_mirror(acme, Resource::agents, {})->items.empty());
  EXPECT_TRUE(store_->load_mirror(acme, Resource::agents)->empty());
}

TEST_P(StoreSuite, ApplyToARunThatAlreadyEndedChangesNothing) {
  const TenantId tenant = make_tenant(*store_, "acme");
  const RunId run = running_run(*store_, tenant);
  ASSERT_TRUE(store_
                  ->finish_run(run,
                               RunOutcome{core::RunState::failed, "{}", core::ErrorCode::upstream_error, "y",
                                          "", "[]", ""},
                               at(kNow))
                  .ok());
  core::ResourcePlan plan;
  plan.resource = Resource::agents;
  plan.creates = {record("ag-1", "Late")};
  Status s = store_->apply_voice_plans(tenant, run, {plan}, {}, {}, succeeded(), std::nullopt, at(kNow));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::ErrorCode::conflict);
  EXPECT_TRUE(loaded(*store_, tenant, Resource::agents).empty());
  EXPECT_EQ((*store_->find_run(tenant, run))->state, core::RunState::failed);
}

TEST_P(StoreSuite, ApplyWritesLargeCreateBatchesInChunks) {
  const TenantId tenant = make_tenant(*store_, "acme");
  std::vector<core::UpstreamRecord> many;
  for (int i = 0; i < 1234; ++i)
    many.push_back(record("ex-" + std::to_string(i), "call " + std::to_string(i), kNow + i));
  seed(*store_, tenant, Resource::executions, many);
  auto counts = store_->count_mirror(tenant);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->executions, 1234);
  auto rows = store_->load_mirror(tenant, Resource::executions);
  ASSERT_TRUE(rows.ok());
  std::set<std::string> ids;
  for (const auto& r : *rows) ids.insert(r.upstream_id);
  EXPECT_EQ(ids.size(), 1234u);
  EXPECT_TRUE(ids.count("ex-0") && ids.count("ex-1233"));
}

TEST_P(StoreSuite, ListMirrorPagesNewestFirstAndFilters) {
  const TenantId tenant = make_tenant(*store_, "acme");
  const TenantId other = make_tenant(*store_, "other");
  // e-0..e-6, created a minute apart; e-6 has no upstream time and sorts by when it was stored.
  std::vector<core::UpstreamRecord> records;
  for (int i = 0; i < 6; ++i) {
    records.push_back(record("e-" + std::to_string(i), "e-" + std::to_string(i), kNow + i * kMinute,
                             i % 2 == 0 ? "ag-even" : "ag-odd", i < 3 ? "completed" : "failed"));
  }
  records.push_back(record("e-6", "e-6", 0, "ag-even", "completed"));
  seed(*store_, tenant, Resource::executions, records, kNow + 10 * kMinute);
  seed(*store_, other, Resource::executions, {record("x", "not yours", kNow + 99 * kMinute)});

  MirrorQuery q;
  q.limit = 3;
  std::vector<std::string> seen;
  int pages = 0;
  for (;;) {
    auto page = store_->list_mirror(tenant, Resource::executions, q);
    ASSERT_TRUE(page.ok()) << page.error().message;
    ++pages;
    for (const auto& n : names_of(*page)) seen.push_back(n);
    if (!page->next) {
      EXPECT_EQ(page->items.size(), 1u);
      break;
    }
    EXPECT_EQ(page->items.size(), 3u);
    q.after = page->next;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{"e-6", "e-5", "e-4", "e-3", "e-2", "e-1", "e-0"}));

  // A page that is exactly full of the last rows has no next.
  MirrorQuery all;
  all.limit = 7;
  EXPECT_FALSE(store_->list_mirror(tenant, Resource::executions, all)->next.has_value());

  MirrorQuery by_agent;
  by_agent.agent_id = "ag-odd";
  EXPECT_EQ(names_of(*store_->list_mirror(tenant, Resource::executions, by_agent)),
            (std::vector<std::string>{"e-5", "e-3", "e-1"}));
  MirrorQuery by_status;
  by_status.status = "completed";
  by_status.agent_id = "ag-even";
  EXPECT_EQ(names_of(*store_->list_mirror(tenant, Resource::executions, by_status)),
            (std::vector<std::string>{"e-6", "e-2", "e-0"}));
  MirrorQuery window;
  window.from_ms = kNow + kMinute;
  window.to_ms = kNow + 4 * kMinute;
  EXPECT_EQ(names_of(*store_->list_mirror(tenant, Resource::executions, window)),
            (std::vector<std::string>{"e-3", "e-2", "e-1"}));
  MirrorQuery archived;
  archived.archived = true;
  EXPECT_TRUE(store_->list_mirror(tenant, Resource::executions, archived)->items.empty());
  EXPECT_TRUE(store_->list_mirror(tenant, Resource::agents, {})->items.empty());
}

TEST_P(StoreSuite, ArchiveListsEveryResourceAndRestores) {
  const TenantId tenant = make_tenant(*store_, "acme");
  const TenantId other = make_tenant(*store_, "other");
  seed(*store_, tenant, Resource::agents, {record("a-1", "agent 1"), record("a-2", "agent 2")});
  seed(*store_, tenant, Resource::campaigns, {record("c-1", "campaign 1"), record("c-2", "campaign 2")});
  const auto agents = loaded(*store_, tenant, Resource::agents);
  const auto campaigns = loaded(*store_, tenant, Resource::campaigns);

  // One run archives all four at the same instant (ids may coincide across tables), then a2 later.
  const RunId run = running_run(*store_, tenant, kNow + kMinute);
  core::ResourcePlan pa;
  pa.resource = Resource::agents;
  pa.archives = {{agents[0].id, "a-1", "agent 1", "account_switched"}};
  core::ResourcePlan pc;
  pc.resource = Resource::campaigns;
  pc.archives = {{campaigns[0].id, "c-1", "campaign 1", "account_switched"},
                 {campaigns[1].id, "c-2", "campaign 2", "account_switched"}};
  ASSERT_TRUE(
      store_->apply_voice_plans(tenant, run, {pa, pc}, {}, {}, succeeded(), std::nullopt, at(kNow + kMinute))
          .ok());
  const RunId later = running_run(*store_, tenant, kNow + 2 * kMinute);
  core::ResourcePlan pa2;
  pa2.resource = Resource::agents;
  pa2.archives = {{agents[1].id, "a-2", "agent 2", "removed_upstream"}};
  ASSERT_TRUE(
      store_
          ->apply_voice_plans(tenant, later, {pa2}, {}, {}, succeeded(), std::nullopt, at(kNow + 2 * kMinute))
          .ok());

  std::vector<std::string> seen;
  std::optional<PageCursor> after;
  for (int guard = 0; guard < 10; ++guard) {
    auto page = store_->list_archive(tenant, std::nullopt, 1, after);
    ASSERT_TRUE(page.ok()) << page.error().message;
    for (const auto& item : page->items) seen.push_back(item.name);
    if (!page->next) break;
    after = page->next;
  }
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0], "agent 2");  // most recently archived first
  EXPECT_EQ(std::set<std::string>(seen.begin() + 1, seen.end()),
            (std::set<std::string>{"agent 1", "campaign 1", "campaign 2"}));

  auto only_campaigns = store_->list_archive(tenant, Resource::campaigns, 10, std::nullopt);
  ASSERT_TRUE(only_campaigns.ok());
  ASSERT_EQ(only_campaigns->items.size(), 2u);
  EXPECT_EQ(only_campaigns->items[0].resource, Resource::campaigns);
  EXPECT_EQ(only_campaigns->items[0].archive_reason, "account_switched");
  EXPECT_FALSE(only_campaigns->next.has_value());
  EXPECT_TRUE(store_->list_archive(other, std::nullopt, 10, std::nullopt)->items.empty());

  // Restore: another tenant cannot, an unknown id is not_found, an active row is a conflict.
  EXPECT_EQ(code_of(store_->restore_mirror_item(other, Resource::campaigns, campaigns[0].id, at(kNow))),
            "not_found");
  EXPECT_EQ(code_of(store_->restore_mirror_item(tenant, Resource::campaigns, MirrorRowId{999'999}, at(kNow))),
            "not_found");
  auto restored =
      store_->restore_mirror_item(tenant, Resource::campaigns, campaigns[0].id, at(kNow + 3 * kMinute));
  ASSERT_TRUE(restored.ok()) << restored.error().message;
  EXPECT_EQ(restored->name, "campaign 1");
  EXPECT_FALSE(restored->archived_at_ms.has_value());
  EXPECT_EQ(restored->archive_reason, "");
  EXPECT_FALSE(restored->archive_run.has_value());
  EXPECT_EQ(restored->updated_at_ms, kNow + 3 * kMinute);
  EXPECT_EQ(code_of(store_->restore_mirror_item(tenant, Resource::campaigns, campaigns[0].id, at(kNow))),
            "conflict");
  EXPECT_EQ(store_->list_archive(tenant, std::nullopt, 10, std::nullopt)->items.size(), 3u);
  EXPECT_EQ(store_->count_mirror(tenant)->campaigns, 1);
}

TEST_P(StoreSuite, CountsAreActiveRowsPerResourceAndAllLeads) {
  const TenantId tenant = make_tenant(*store_, "acme");
  const TenantId other = make_tenant(*store_, "other");
  seed(*store_, tenant, Resource::agents, {record("a-1", "1"), record("a-2", "2")});
  seed(*store_, tenant, Resource::phone_numbers, {record("p-1", "+15550001")});
  seed(*store_, tenant, Resource::executions,
       {record("e-1", "e1"), record("e-2", "e2"), record("e-3", "e3")});
  seed(*store_, other, Resource::campaigns, {record("c-1", "theirs")});
  const RunId run = running_run(*store_, tenant, kNow + kMinute);
  core::ResourcePlan archive;
  archive.resource = Resource::agents;
  archive.archives = {{loaded(*store_, tenant, Resource::agents)[0].id, "a-1", "1", "removed_upstream"}};
  ASSERT_TRUE(
      store_->apply_voice_plans(tenant, run, {archive}, {}, {}, succeeded(), std::nullopt, at(kNow + kMinute))
          .ok());
  auto* sql_store = dynamic_cast<SqlStore*>(store_.get());
  ASSERT_NE(sql_store, nullptr);
  for (const char* source : {"manual", "crm"}) {
    ASSERT_TRUE(
        sql_store->database()
            .query(sql::Access::write,
                   "INSERT INTO leads (tenant_id, source, created_at, updated_at) VALUES (?, ?, ?, ?)",
                   {tenant.value(), std::string(source), kNow, kNow})
            .ok());
  }

  auto counts = store_->count_mirror(tenant);
  ASSERT_TRUE(counts.ok()) << counts.error().message;
  EXPECT_EQ(counts->agents, 1);
  EXPECT_EQ(counts->phone_numbers, 1);
  EXPECT_EQ(counts->campaigns, 0);
  EXPECT_EQ(counts->executions, 3);
  EXPECT_EQ(counts->leads, 2);
  auto theirs = store_->count_mirror(other);
  ASSERT_TRUE(theirs.ok());
  EXPECT_EQ(theirs->campaigns, 1);
  EXPECT_EQ(theirs->agents + theirs->executions + theirs->leads, 0);
}

TEST_P(StoreSuite, CursorsAreUpsertedPerTenantAndTarget) {
  const TenantId tenant = make_tenant(*store_, "acme");
  const TenantId other = make_tenant(*store_, "other");
  const RunId first = running_run(*store_, tenant);
  ASSERT_TRUE(store_
                  ->apply_voice_plans(tenant, first, {}, {},
                                      {{"voice", "a", "1"}, {"voice", "b", "2"}, {"crm:7", "a", "x"}},
                                      succeeded(), std::nullopt, at(kNow))
                  .ok());
  const RunId second = running_run(*store_, tenant, kNow + kMinute);
  ASSERT_TRUE(store_
                  ->apply_voice_plans(tenant, second, {}, {}, {{"voice", "a", "3"}}, succeeded(),
                                      std::nullopt, at(kNow + kMinute))
                  .ok());

  EXPECT_EQ(*store_->get_cursors(tenant, "voice"),
            (std::map<std::string, std::string>{{"a", "3"}, {"b", "2"}}));
  EXPECT_EQ(*store_->get_cursors(tenant, "crm:7"), (std::map<std::string, std::string>{{"a", "x"}}));
  EXPECT_TRUE(store_->get_cursors(other, "voice")->empty());
  EXPECT_TRUE(store_->get_cursors(tenant, "crm:8")->empty());
}

}  // namespace tenantsync::store::test
