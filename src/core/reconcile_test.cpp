#include "core/reconcile.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tenantsync::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

UpstreamRecord up(std::string id, std::string hash = "h1", std::string name = "") {
  UpstreamRecord r;
  r.upstream_id = std::move(id);
  r.content_hash = std::move(hash);
  r.name = name.empty() ? "name-" + r.upstream_id : std::move(name);
  return r;
}

LocalRecord row(std::int64_t id, std::string upstream_id, std::string account = "acc1",
                std::string hash = "h1", bool archived = false, std::string reason = "") {
  LocalRecord r;
  r.id = MirrorRowId{id};
  r.upstream_id = std::move(upstream_id);
  r.upstream_account_id = std::move(account);
  r.content_hash = std::move(hash);
  r.name = "name-" + r.upstream_id;
  r.archived = archived;
  r.archive_reason = std::move(reason);
  return r;
}

ReconcileContext full(std::string account = "acc1", bool complete = true) {
  return ReconcileContext{std::move(account), complete, SyncScope::full};
}
ReconcileContext incremental(std::string account = "acc1", bool complete = true) {
  return ReconcileContext{std::move(account), complete, SyncScope::incremental};
}

std::vector<std::string> created_ids(const ResourcePlan& p) {
  std::vector<std::string> ids;
  for (const auto& r : p.creates) ids.push_back(r.upstream_id);
  return ids;
}
std::vector<std::int64_t> updated_ids(const ResourcePlan& p) {
  std::vector<std::int64_t> ids;
  for (const auto& u : p.updates) ids.push_back(u.local_id.value());
  return ids;
}
std::vector<std::int64_t> restored_ids(const ResourcePlan& p) {
  std::vector<std::int64_t> ids;
  for (const auto& r : p.restores) ids.push_back(r.local_id.value());
  return ids;
}
std::vector<std::pair<std::int64_t, std::string>> archived(const ResourcePlan& p) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (const auto& a : p.archives) out.emplace_back(a.local_id.value(), a.reason);
  return out;
}

TEST(ReconcileTest, EmptyEverywhereIsAnEmptyPlan) {
  auto plan = plan_reconcile(Resource::agents, {}, {}, full());
  EXPECT_TRUE(plan.empty());
  EXPECT_EQ(plan.unchanged, 0);
  EXPECT_THAT(plan.warnings, IsEmpty());
  auto counts = count_plan(plan);
  EXPECT_EQ(counts.total_after, 0);
}

TEST(ReconcileTest, FirstSyncCreatesEverything) {
  auto plan = plan_reconcile(Resource::agents, {}, {up("a"), up("b"), up("c")}, full());
  EXPECT_THAT(created_ids(plan), ElementsAre("a", "b", "c"));
  EXPECT_EQ(plan.account_id, "acc1");
  auto counts = count_plan(plan);
  EXPECT_EQ(counts.created, 3);
  EXPECT_EQ(counts.total_after, 3);
}

TEST(ReconcileTest, SameHashIsUnchangedOtherHashIsUpdated) {
  auto plan =
      plan_reconcile(Resource::agents, {row(1, "a"), row(2, "b")}, {up("a", "h1"), up("b", "h2")}, full());
  EXPECT_EQ(plan.unchanged, 1);
  EXPECT_THAT(updated_ids(plan), ElementsAre(2));
  EXPECT_FALSE(plan.updates[0].account_changed);
  EXPECT_EQ(plan.updates[0].record.content_hash, "h2");
  EXPECT_THAT(plan.archives, IsEmpty());
  EXPECT_THAT(plan.creates, IsEmpty());
}

TEST(ReconcileTest, RemovedUpstreamIsArchivedNeverDeleted) {
  auto plan = plan_reconcile(Resource::agents, {row(1, "a"), row(2, "b"), row(3, "c")}, {up("b")}, full());
  EXPECT_THAT(archived(plan), ElementsAre(std::pair<std::int64_t, std::string>{1, "removed_upstream"},
                                          std::pair<std::int64_t, std::string>{3, "removed_upstream"}));
  EXPECT_EQ(plan.archives[0].upstream_id, "a");
  EXPECT_EQ(plan.archives[0].name, "name-a");
  auto counts = count_plan(plan);
  EXPECT_EQ(counts.archived, 2);
  EXPECT_EQ(counts.unchanged, 1);
  EXPECT_EQ(counts.total_after, 1);
}

TEST(ReconcileTest, IncompleteListingArchivesNothing) {
  auto plan = plan_reconcile(Resource::agents, {row(1, "a"), row(2, "b")}, {up("b", "h9"), up("n")},
                             full("acc1", /*complete=*/false));
  EXPECT_THAT(plan.archives, IsEmpty());
  EXPECT_THAT(updated_ids(plan), ElementsAre(2));
  EXPECT_THAT(created_ids(plan), ElementsAre("n"));
  EXPECT_EQ(plan.kept_unseen, 1);
  ASSERT_EQ(plan.warnings.size(), 1u);
  EXPECT_THAT(plan.warnings[0], HasSubstr("incomplete"));
}

TEST(ReconcileTest, IncompleteListingDoesNotArchiveOtherAccountEither) {
  auto plan = plan_reconcile(Resource::agents, {row(1, "a", "acc1")}, {}, full("acc2", false));
  EXPECT_THAT(plan.archives, IsEmpty());
}

TEST(ReconcileTest, AccountSwitchArchivesOldAccountRows) {
  // Account 1 had three agents; the key now points at account 2 with one agent.
  std::vector<LocalRecord> local = {row(1, "a1"), row(2, "a2"), row(3, "a3")};
  auto plan = plan_reconcile(Resource::agents, local, {up("b1")}, full("acc2"));
  EXPECT_THAT(created_ids(plan), ElementsAre("b1"));
  ASSERT_EQ(plan.archives.size(), 3u);
  for (const auto& a : plan.archives) EXPECT_EQ(a.reason, "account_switched");
  EXPECT_EQ(count_archives(plan, kReasonAccountSwitched), 3);
  EXPECT_EQ(count_archives(plan, kReasonRemovedUpstream), 0);
  EXPECT_EQ(count_plan(plan).total_after, 1);
}

TEST(ReconcileTest, SwitchingBackRestoresTheArchivedRows) {
  std::vector<LocalRecord> local = {row(1, "a1", "acc1", "h1", true, "account_switched"),
                                    row(2, "a2", "acc1", "h1", true, "account_switched"),
                                    row(3, "b1", "acc2")};
  auto plan = plan_reconcile(Resource::agents, local, {up("a1"), up("a2", "h2")}, full("acc1"));
  EXPECT_THAT(restored_ids(plan), ElementsAre(1, 2));
  EXPECT_EQ(plan.restores[0].previous_reason, "account_switched");
  EXPECT_EQ(plan.restores[1].record.content_hash, "h2");  // restoring also writes the new fields
  EXPECT_THAT(archived(plan), ElementsAre(std::pair<std::int64_t, std::string>{3, "account_switched"}));
  auto counts = count_plan(plan);
  EXPECT_EQ(counts.restored, 2);
  EXPECT_EQ(counts.total_after, 2);
}

TEST(ReconcileTest, ActiveRowOfOtherAccountSeenAgainIsUpdatedWithTheNewAccount) {
  // Same ids in both accounts (e.g. a shared agent): the row is re-stamped even with the same content.
  auto plan = plan_reconcile(Resource::agents, {row(1, "a", "acc1")}, {up("a")}, full("acc2"));
  ASSERT_EQ(plan.updates.size(), 1u);
  EXPECT_TRUE(plan.updates[0].account_changed);
  EXPECT_EQ(plan.unchanged, 0);
  EXPECT_THAT(plan.archives, IsEmpty());
}

TEST(ReconcileTest, RowsWithoutAccountAreStampedAndGuardedNotSwitched) {
  // Legacy rows carry no account: absence is a plain removal (the guard sees it), not a switch.
  auto plan = plan_reconcile(Resource::agents, {row(1, "a", ""), row(2, "b", "")}, {up("a")}, full("acc1"));
  ASSERT_EQ(plan.updates.size(), 1u);
  EXPECT_TRUE(plan.updates[0].account_changed);
  EXPECT_THAT(archived(plan), ElementsAre(std::pair<std::int64_t, std::string>{2, "removed_upstream"}));
}

TEST(ReconcileTest, UnknownCurrentAccountNeverCountsAsSwitch) {
  auto plan =
      plan_reconcile(Resource::agents, {row(1, "a", "acc1"), row(2, "b", "acc1")}, {up("a")}, full(""));
  EXPECT_EQ(plan.unchanged, 1);
  EXPECT_THAT(archived(plan), ElementsAre(std::pair<std::int64_t, std::string>{2, "removed_upstream"}));
}

TEST(ReconcileTest, AlreadyArchivedRowsAreNotArchivedAgain) {
  std::vector<LocalRecord> local = {row(1, "a", "acc1", "h1", true, "removed_upstream"),
                                    row(2, "b", "acc1", "h1", true, "account_switched")};
  auto plan = plan_reconcile(Resource::agents, local, {}, full("acc2"));
  EXPECT_THAT(plan.archives, IsEmpty());
  EXPECT_EQ(plan.active_before, 0);
  EXPECT_EQ(count_plan(plan).total_after, 0);
}

TEST(ReconcileTest, RemovedThenBackUpstreamIsRestored) {
  auto plan = plan_reconcile(Resource::phone_numbers, {row(1, "p", "acc1", "h1", true, "removed_upstream")},
                             {up("p")}, full());
  EXPECT_THAT(restored_ids(plan), ElementsAre(1));
  EXPECT_THAT(plan.updates, IsEmpty());
  EXPECT_EQ(plan.restores[0].previous_reason, "removed_upstream");
}

TEST(ReconcileTest, IncrementalScopeKeepsRowsOutsideTheWindow) {
  std::vector<LocalRecord> local = {row(1, "e1"), row(2, "e2"), row(3, "e3")};
  auto plan = plan_reconcile(Resource::executions, local, {up("e3", "h2"), up("e4")}, incremental());
  EXPECT_THAT(plan.archives, IsEmpty());
  EXPECT_EQ(plan.kept_unseen, 2);
  EXPECT_THAT(updated_ids(plan), ElementsAre(3));
  EXPECT_THAT(created_ids(plan), ElementsAre("e4"));
  EXPECT_THAT(plan.warnings, IsEmpty());  // expected in incremental scope, not worth a warning
  EXPECT_EQ(count_plan(plan).total_after, 4);
}

TEST(ReconcileTest, IncrementalScopeStillArchivesOtherAccountRows) {
  std::vector<LocalRecord> local = {row(1, "e1", "acc1"), row(2, "e2", "acc2")};
  auto plan = plan_reconcile(Resource::executions, local, {}, incremental("acc2"));
  EXPECT_THAT(archived(plan), ElementsAre(std::pair<std::int64_t, std::string>{1, "account_switched"}));
  EXPECT_EQ(plan.kept_unseen, 1);
}

TEST(ReconcileTest, IncrementalScopeRestoresOtherAccountRowsSeenAgain) {
  auto plan = plan_reconcile(Resource::executions, {row(1, "e1", "acc1", "h1", true, "account_switched")},
                             {up("e1")}, incremental("acc1"));
  EXPECT_THAT(restored_ids(plan), ElementsAre(1));
}

TEST(ReconcileTest, EmptyUpstreamIdIsSkippedWithOneWarning) {
  auto plan = plan_reconcile(Resource::campaigns, {row(1, "c1")}, {up(""), up("c1"), up("")}, full());
  EXPECT_THAT(plan.creates, IsEmpty());
  EXPECT_EQ(plan.unchanged, 1);
  ASSERT_EQ(plan.warnings.size(), 1u);
  EXPECT_THAT(plan.warnings[0], HasSubstr("skipped 2 upstream records without an id"));
}

TEST(ReconcileTest, DuplicateIdsKeepTheFirstAndWarn) {
  auto plan = plan_reconcile(
      Resource::agents, {row(1, "a")},
      {up("a", "h2", "first"), up("a", "h3", "second"), up("n", "x", "new1"), up("n", "y", "new2")}, full());
  ASSERT_EQ(plan.updates.size(), 1u);
  EXPECT_EQ(plan.updates[0].record.name, "first");
  ASSERT_EQ(plan.creates.size(), 1u);
  EXPECT_EQ(plan.creates[0].name, "new1");
  ASSERT_EQ(plan.warnings.size(), 2u);
  EXPECT_THAT(plan.warnings[0], HasSubstr("\"a\" twice"));
}

TEST(ReconcileTest, WarningsAreCapped) {
  std::vector<UpstreamRecord> listing;
  for (int i = 0; i < 50; ++i) {
    listing.push_back(up("dup" + std::to_string(i)));
    listing.push_back(up("dup" + std::to_string(i)));
  }
  auto plan = plan_reconcile(Resource::agents, {}, listing, full());
  EXPECT_EQ(plan.creates.size(), 50u);
  ASSERT_EQ(plan.warnings.size(), 21u);
  EXPECT_EQ(plan.warnings.back(), "30 more warnings not shown");
}

TEST(ReconcileTest, DuplicateLocalRowsAreWarnedAndOnlyTheFirstIsUsed) {
  auto plan = plan_reconcile(Resource::agents, {row(1, "a"), row(2, "a")}, {}, full());
  EXPECT_THAT(archived(plan), ElementsAre(std::pair<std::int64_t, std::string>{1, "removed_upstream"}));
  ASSERT_FALSE(plan.warnings.empty());
  EXPECT_THAT(plan.warnings[0], HasSubstr("two local rows"));
}

TEST(ReconcileTest, MixedPlanCountsAddUp) {
  std::vector<LocalRecord> local = {row(1, "keep"), row(2, "change"), row(3, "gone"),
                                    row(4, "back", "acc1", "h1", true, "removed_upstream"),
                                    row(5, "old", "acc1", "h1", true, "removed_upstream")};
  auto plan = plan_reconcile(Resource::agents, local, {up("keep"), up("change", "h2"), up("back"), up("new")},
                             full());
  auto counts = count_plan(plan);
  EXPECT_EQ(counts.created, 1);
  EXPECT_EQ(counts.updated, 1);
  EXPECT_EQ(counts.archived, 1);
  EXPECT_EQ(counts.restored, 1);
  EXPECT_EQ(counts.unchanged, 1);
  EXPECT_EQ(plan.active_before, 3);
  EXPECT_EQ(counts.total_after, 4);  // keep, change, back, new
}

}  // namespace
}  // namespace tenantsync::core
