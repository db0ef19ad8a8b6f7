#include "upstream/paging_guard.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tenantsync::upstream {
namespace {

Status page(PagingGuard& guard, const std::vector<std::string>& ids, bool more,
            const std::string& next = {}) {
  for (const auto& id : ids) guard.saw(id);
  return guard.end_page(more, next);
}

TEST(PagingGuard, ListingsThatMoveOnAreFine) {
  PagingGuard guard("HubSpot contacts");
  guard.start("");
  EXPECT_TRUE(page(guard, {"1", "2"}, true, "c2").ok());
  EXPECT_TRUE(page(guard, {"3", "4"}, true, "c4").ok());
  EXPECT_TRUE(page(guard, {"4", "5"}, true, "c5").ok());  // an overlap with new records is progress
  EXPECT_TRUE(page(guard, {"5"}, false).ok());            // a last page may repeat records
}

TEST(PagingGuard, ACursorSeenBeforeStopsAtOnce) {
  PagingGuard same("HubSpot contacts");
  same.start("c1");
  auto stopped = page(same, {"1", "2"}, true, "c1");
  ASSERT_FALSE(stopped.ok());
  EXPECT_TRUE(stopped.error().is(core::ErrorCode::upstream_paging_loop));
  EXPECT_NE(stopped.error().message.find("HubSpot contacts"), std::string::npos);

  PagingGuard cycle("Salesforce Lead");
  cycle.start("/a");
  EXPECT_TRUE(page(cycle, {"1"}, true, "/b").ok());
  EXPECT_TRUE(page(cycle, {"2"}, true, "/c").ok());
  EXPECT_FALSE(page(cycle, {"3"}, true, "/a").ok());  // A → B → C → A
}

TEST(PagingGuard, TwoPagesInARowWithNothingNewStop) {
  PagingGuard guard("Bolna executions of agent a1");
  EXPECT_TRUE(page(guard, {"e1", "e2"}, true).ok());
  EXPECT_TRUE(page(guard, {"e1", "e2"}, true).ok());  // one page in vain is tolerated
  auto stopped = page(guard, {"e2", "e1"}, true);
  ASSERT_FALSE(stopped.ok());
  EXPECT_TRUE(stopped.error().is(core::ErrorCode::upstream_paging_loop));
}

TEST(PagingGuard, EmptyPagesThatPromiseMoreAreNoProgress) {
  PagingGuard guard("HubSpot owners");
  EXPECT_TRUE(page(guard, {}, true, "a").ok());
  EXPECT_FALSE(page(guard, {}, true, "b").ok());
}

TEST(PagingGuard, ProgressResetsTheCount) {
  PagingGuard guard("x");
  EXPECT_TRUE(page(guard, {"1"}, true).ok());
  EXPECT_TRUE(page(guard, {"1"}, true).ok());
  EXPECT_TRUE(page(guard, {"2"}, true).ok());
  EXPECT_TRUE(page(guard, {"2"}, true).ok());
  EXPECT_FALSE(page(guard, {"1", "2"}, true).ok());
}

}  // namespace
}  // namespace tenantsync::upstream
