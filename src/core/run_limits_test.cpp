#include "core/run_limits.hpp"

#include <gtest/gtest.h>

namespace tenantsync::core {
namespace {

RunLimits small() {
  return RunLimits{.records_per_resource = 100,
                   .records_per_run = 150,
                   .bytes_per_resource = 1000,
                   .bytes_per_run = 1500,
                   .pages_per_resource = 5,
                   .pages_per_run = 8};
}

void expect_exceeded(const Status& status, const char* setting) {
  ASSERT_FALSE(status.ok());
  EXPECT_TRUE(status.error().is(ErrorCode::limit_exceeded));
  EXPECT_NE(status.error().message.find(setting), std::string::npos) << status.error().message;
}

TEST(RunLimits, PagesWithinTheBoundsAreCounted) {
  RunBudget budget(small());
  EXPECT_TRUE(budget.take_page("agents", 50, 100).ok());
  EXPECT_TRUE(budget.take_page("agents", 50, 100).ok());  // exactly at the bound is still fine
  expect_exceeded(budget.take_page("agents", 1, 1), "TENANTSYNC_MAX_RECORDS_PER_RESOURCE");
}

TEST(RunLimits, RecordsPerRunAddUpOverResources) {
  RunBudget budget(small());
  EXPECT_TRUE(budget.take_page("agents", 100, 10).ok());
  EXPECT_TRUE(budget.take_page("executions", 50, 10).ok());
  expect_exceeded(budget.take_page("campaigns", 1, 1), "TENANTSYNC_MAX_RECORDS_PER_RUN");
}

TEST(RunLimits, BytesPerResourceAndPerRun) {
  RunBudget budget(small());
  expect_exceeded(budget.take_page("executions", 1, 1001), "TENANTSYNC_MAX_BYTES_PER_RESOURCE");
  EXPECT_TRUE(budget.take_page("executions", 1, 1000).ok());  // the refused page was not counted
  EXPECT_TRUE(budget.take_page("agents", 1, 500).ok());
  expect_exceeded(budget.take_page("campaigns", 1, 1), "TENANTSYNC_MAX_BYTES_PER_RUN");
}

TEST(RunLimits, PagesPerResourceAndPerRun) {
  RunBudget budget(small());
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(budget.take_page("contacts", 0, 0).ok());
  expect_exceeded(budget.take_page("contacts", 0, 0), "TENANTSYNC_MAX_PAGES_PER_RESOURCE");
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(budget.take_page("owners", 0, 0).ok());
  expect_exceeded(budget.take_page("owners", 0, 0), "TENANTSYNC_MAX_PAGES_PER_RUN");
}

TEST(RunLimits, TheMessageNamesTheListing) {
  RunBudget budget(small());
  auto refused = budget.take_page("executions", 101, 0);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("executions listing"), std::string::npos);
  EXPECT_NE(refused.error().message.find("100"), std::string::npos);
}

}  // namespace
}  // namespace tenantsync::core
