#include "upstream/paging_guard.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tenantsync::upstream {
namespace {

using std::nullopt;

Status page(PagingGuard& guard, const std::vector<std::string>& ids, bool more,
            const std::string& next = {}) {
  for (const auto& id : ids) guard.saw(id);
  return guard.end_page(more, next);
}

Result<PageVerdict> numbered(PagingGuard& guard, const std::vector<std::string>& ids, bool more,
                             std::optional<std::int64_t> number,
                             std::optional<std::int64_t> total = nullopt) {
  for (const auto& id : ids) guard.saw(id);
  return guard.end_numbered_page(more, number, total);
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

TEST(PagingGuard, TheFirstPageWithNothingNewStops) {
  PagingGuard guard("Bolna executions of agent a1");
  EXPECT_TRUE(page(guard, {"e1", "e2"}, true).ok());
  auto stopped = page(guard, {"e2", "e1"}, true);  // no second page in vain
  ASSERT_FALSE(stopped.ok());
  EXPECT_TRUE(stopped.error().is(core::ErrorCode::upstream_paging_loop));
  EXPECT_NE(stopped.error().message.find("no record it had not sent before"), std::string::npos);
}

TEST(PagingGuard, EmptyPagesThatPromiseMoreAreNoProgress) {
  PagingGuard guard("HubSpot owners");
  auto stopped = page(guard, {}, true, "a");
  ASSERT_FALSE(stopped.ok());
  EXPECT_TRUE(stopped.error().is(core::ErrorCode::upstream_paging_loop));
}

TEST(PagingGuard, NumberedPagesThatMoveOnAreTaken) {
  PagingGuard guard("Bolna executions of agent a1");
  for (int n = 1; n <= 3; ++n) {
    auto verdict = numbered(guard, {"e" + std::to_string(n)}, n < 3, n, 3);
    ASSERT_TRUE(verdict.ok()) << verdict.error().message;
    EXPECT_EQ(*verdict, PageVerdict::take);
  }
  PagingGuard unnumbered("x");  // no page numbers at all: new ids are progress
  EXPECT_TRUE(numbered(unnumbered, {"1"}, true, nullopt).ok());
  EXPECT_TRUE(numbered(unnumbered, {"2"}, true, nullopt).ok());
}

TEST(PagingGuard, TheSamePageNumberAgainIsNoProgressEvenWithNewIds) {
  PagingGuard guard("Bolna executions of agent a1");
  ASSERT_TRUE(numbered(guard, {"e1"}, true, 0).ok());
  auto stopped = numbered(guard, {"e2"}, true, 0);
  ASSERT_FALSE(stopped.ok());
  EXPECT_TRUE(stopped.error().is(core::ErrorCode::upstream_paging_loop));
  EXPECT_NE(stopped.error().message.find("page number 0 twice"), std::string::npos);
}

TEST(PagingGuard, OnlyTheUpstreamsOwnTotalMakesAStoppedListingComplete) {
  // Bolna's spec example: page_number 0, total 0, has_more true, the same record every time.
  PagingGuard spec("Bolna executions of agent a1");
  ASSERT_TRUE(numbered(spec, {"e1"}, true, 0, 0).ok());
  auto stopped = numbered(spec, {"e1"}, true, 0, 0);
  ASSERT_FALSE(stopped.ok());
  EXPECT_NE(stopped.error().message.find("it counts 0 records, 1 were read"), std::string::npos);

  // No total: no word that the listing was complete.
  PagingGuard silent("x");
  ASSERT_TRUE(numbered(silent, {"e1", "e2"}, true, 1).ok());
  EXPECT_FALSE(numbered(silent, {"e1", "e2"}, true, 2).ok());

  // A total that says the two records read were all: the repeated page is dropped, and done.
  PagingGuard counted("x");
  ASSERT_TRUE(numbered(counted, {"e1", "e2"}, true, 1, 2).ok());
  auto complete = numbered(counted, {"e1", "e2"}, true, 1, 2);
  ASSERT_TRUE(complete.ok()) << complete.error().message;
  EXPECT_EQ(*complete, PageVerdict::complete_without_it);

  // A total larger than what was read: records are missing, so the listing is not complete.
  PagingGuard short_of("x");
  ASSERT_TRUE(numbered(short_of, {"e1"}, true, 1, 5).ok());
  EXPECT_FALSE(numbered(short_of, {"e1"}, true, 2, 5).ok());
}

TEST(PagingGuard, ALastPageMayRepeat) {
  PagingGuard guard("x");
  ASSERT_TRUE(numbered(guard, {"e1"}, true, 1).ok());
  auto last = numbered(guard, {"e1"}, false, 1);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, PageVerdict::take);
}

}  // namespace
}  // namespace tenantsync::upstream
