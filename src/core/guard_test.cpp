#include "core/guard.hpp"

#include <gtest/gtest.h>

namespace tenantsync::core {
namespace {

ResourcePlan plan_with(Resource resource, int removed, int switched, int active_before) {
  ResourcePlan plan;
  plan.resource = resource;
  plan.active_before = active_before;
  for (int i = 0; i < removed; ++i)
    plan.archives.push_back(
        PlannedArchive{MirrorRowId{i}, "r" + std::to_string(i), "", std::string(kReasonRemovedUpstream)});
  for (int i = 0; i < switched; ++i)
    plan.archives.push_back(PlannedArchive{MirrorRowId{100 + i}, "s" + std::to_string(i), "",
                                           std::string(kReasonAccountSwitched)});
  return plan;
}

TEST(GuardTest, BlocksALargeShare) {
  auto decision = evaluate_guard({plan_with(Resource::agents, 5, 0, 6)});
  ASSERT_TRUE(decision.blocked);
  ASSERT_EQ(decision.blocks.size(), 1u);
  EXPECT_EQ(decision.blocks[0].resource, Resource::agents);
  EXPECT_EQ(decision.blocks[0].removals, 5);
  EXPECT_EQ(decision.blocks[0].active, 6);
  EXPECT_EQ(decision.message, "The sync would remove 5 of 6 agents (83%). Confirm to apply.");
}

TEST(GuardTest, BelowTheFloorNeverBlocks) {
  // 2 of 2 is 100 %, but a tiny mirror losing two rows is ordinary.
  EXPECT_FALSE(evaluate_guard({plan_with(Resource::agents, 2, 0, 2)}).blocked);
}

TEST(GuardTest, AtTheFloorAndOverTheRatioBlocks) {
  EXPECT_TRUE(evaluate_guard({plan_with(Resource::agents, 3, 0, 5)}).blocked);
}

TEST(GuardTest, ExactlyTheRatioDoesNotBlock) {
  // "more than" 50 %: 5 of 10 passes, 6 of 10 blocks.
  EXPECT_FALSE(evaluate_guard({plan_with(Resource::campaigns, 5, 0, 10)}).blocked);
  EXPECT_TRUE(evaluate_guard({plan_with(Resource::campaigns, 6, 0, 10)}).blocked);
}

TEST(GuardTest, AccountSwitchArchivesDoNotCount) {
  EXPECT_FALSE(evaluate_guard({plan_with(Resource::agents, 0, 30, 30)}).blocked);
  EXPECT_FALSE(evaluate_guard({plan_with(Resource::agents, 2, 30, 32)}).blocked);
}

TEST(GuardTest, ActiveCountsOverrideThePlan) {
  auto plan = plan_with(Resource::executions, 10, 0, 15);
  EXPECT_TRUE(evaluate_guard({plan}).blocked);
  EXPECT_FALSE(evaluate_guard({plan}, {{Resource::executions, 100}}).blocked);
}

TEST(GuardTest, OptionsAreHonoured) {
  auto plan = plan_with(Resource::agents, 4, 0, 10);
  EXPECT_FALSE(evaluate_guard({plan}).blocked);
  EXPECT_TRUE(evaluate_guard({plan}, GuardOptions{0.3, 3}).blocked);
  EXPECT_FALSE(evaluate_guard({plan}, GuardOptions{0.3, 5}).blocked);
}

TEST(GuardTest, SeveralResourcesAreNamedInOneMessage) {
  auto decision =
      evaluate_guard({plan_with(Resource::agents, 5, 0, 6), plan_with(Resource::phone_numbers, 1, 0, 4),
                      plan_with(Resource::phone_numbers, 4, 0, 4), plan_with(Resource::campaigns, 3, 0, 3)});
  ASSERT_EQ(decision.blocks.size(), 3u);
  EXPECT_EQ(
      decision.message,
      "The sync would remove 5 of 6 agents (83%), 4 of 4 phone numbers (100%) and 3 of 3 campaigns (100%). "
      "Confirm to apply.");
}

TEST(GuardTest, NothingToArchiveIsNotBlocked) {
  auto decision = evaluate_guard({plan_with(Resource::agents, 0, 0, 0)});
  EXPECT_FALSE(decision.blocked);
  EXPECT_TRUE(decision.message.empty());
  EXPECT_TRUE(evaluate_guard(std::vector<ResourcePlan>{}).message.empty());
}

TEST(GuardTest, WorksOnARealPlan) {
  std::vector<LocalRecord> local;
  for (int i = 0; i < 6; ++i) {
    LocalRecord r;
    r.id = MirrorRowId{i + 1};
    r.upstream_id = "a" + std::to_string(i);
    r.upstream_account_id = "acc1";
    r.content_hash = "h";
    local.push_back(r);
  }
  UpstreamRecord survivor;
  survivor.upstream_id = "a0";
  survivor.content_hash = "h";
  auto same_account = plan_reconcile(Resource::agents, local, {survivor}, {"acc1", true, SyncScope::full});
  EXPECT_EQ(evaluate_guard({same_account}).message,
            "The sync would remove 5 of 6 agents (83%). Confirm to apply.");
  auto switched = plan_reconcile(Resource::agents, local, {}, {"acc2", true, SyncScope::full});
  EXPECT_FALSE(evaluate_guard({switched}).blocked);
}

}  // namespace
}  // namespace tenantsync::core
