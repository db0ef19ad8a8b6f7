// Reading a CRM listing a few pages ahead: order, overlap, failures on either side.
#include "sync/page_read_ahead.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/error_code.hpp"

namespace tenantsync::sync {
namespace {

using namespace std::chrono_literals;

upstream::CrmPage page_named(const std::string& after) {
  upstream::CrmPage page;
  page.checkpoint.after = after;
  return page;
}

// A listing of `pages` pages named "1".."n" that fails after them with `error` (if any); it
// records the thread it ran on and how many pages it has handed over so far.
struct FakeListing {
  int pages = 3;
  std::optional<Error> error;
  std::atomic<int> handed{0};
  std::thread::id ran_on;
  Status last_answer;  ///< what the callback said to the last page handed over

  CrmListing listing() {
    return [this](const upstream::CrmPageCallback& on_page) -> Status {
      ran_on = std::this_thread::get_id();
      for (int i = 1; i <= pages; ++i) {
        ++handed;
        last_answer = on_page(page_named(std::to_string(i)));
        if (!last_answer.ok()) return last_answer;
      }
      if (error) return *error;
      return {};
    };
  }
};

TEST(ReadAhead, EachPageIsPreparedOnTheListingsThreadBeforeTheCallerSeesIt) {
  FakeListing listing;
  std::vector<std::thread::id> prepared_on;
  std::vector<std::string> seen;
  Status s = read_ahead(
      listing.listing(),
      [&](upstream::CrmPage&& page) -> Status {
        seen.push_back(page.checkpoint.after);
        return {};
      },
      [&](upstream::CrmPage& page) {
        prepared_on.push_back(std::this_thread::get_id());
        page.checkpoint.after += " prepared";
      });
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(seen, (std::vector<std::string>{"1 prepared", "2 prepared", "3 prepared"}));
  ASSERT_EQ(prepared_on.size(), 3u);
  for (auto id : prepared_on) EXPECT_EQ(id, listing.ran_on);
  EXPECT_NE(listing.ran_on, std::this_thread::get_id());
}

TEST(ReadAhead, HandsEveryPageInOrderToTheCallersThread) {
  FakeListing listing;
  std::vector<std::string> seen;
  std::vector<std::thread::id> threads;
  Status s = read_ahead(listing.listing(), [&](upstream::CrmPage&& page) -> Status {
    seen.push_back(page.checkpoint.after);
    threads.push_back(std::this_thread::get_id());
    return {};
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "2", "3"}));
  for (auto id : threads) EXPECT_EQ(id, std::this_thread::get_id());
  EXPECT_NE(listing.ran_on, std::this_thread::get_id());
}

TEST(ReadAhead, TheNextPageIsReadWhileTheCallerWorksOnThisOne) {
  FakeListing listing;
  std::vector<int> handed_while_working;
  Status s = read_ahead(listing.listing(), [&](upstream::CrmPage&& page) -> Status {
    if (page.checkpoint.after == "1") {
      // The listing goes on without waiting for this page to be done.
      const auto until = std::chrono::steady_clock::now() + 10s;
      while (listing.handed < 2 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(1ms);
    }
    handed_while_working.push_back(listing.handed);
    return {};
  });
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(handed_while_working.size(), 3u);
  EXPECT_GE(handed_while_working[0], 2);
}

TEST(ReadAhead, PagesBeforeAFailedPageAreAllHandedOverThenTheFailure) {
  FakeListing listing;
  listing.pages = 2;
  listing.error = make_error(core::ErrorCode::upstream_unreachable, "page 3 failed");
  std::vector<std::string> seen;
  Status s = read_ahead(listing.listing(), [&](upstream::CrmPage&& page) -> Status {
    std::this_thread::sleep_for(5ms);  // the listing fails before these are done
    seen.push_back(page.checkpoint.after);
    return {};
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::ErrorCode::upstream_unreachable);
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "2"}));
}

TEST(ReadAhead, APageTheCallerRefusesStopsTheListingAtItsNextPage) {
  FakeListing listing;
  listing.pages = 50;
  std::vector<std::string> seen;
  Status s = read_ahead(listing.listing(), [&](upstream::CrmPage&& page) -> Status {
    seen.push_back(page.checkpoint.after);
    if (page.checkpoint.after == "2") return make_error(core::ErrorCode::interrupted, "stopping");
    return {};
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::ErrorCode::interrupted);
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "2"}));
  // At most kPagesAhead pages were waiting and one more asked for; the listing heard the refusal.
  EXPECT_LE(listing.handed, static_cast<int>(2 + kPagesAhead + 1));
  ASSERT_FALSE(listing.last_answer.ok());
  EXPECT_EQ(listing.last_answer.error().code, core::ErrorCode::interrupted);
}

TEST(ReadAhead, ACallerThatThrowsStopsTheListingAndTheExceptionGoesOn) {
  FakeListing listing;
  listing.pages = 50;
  EXPECT_THROW((void)read_ahead(listing.listing(),
                                [&](upstream::CrmPage&&) -> Status { throw std::runtime_error("boom"); }),
               std::runtime_error);
  // The first page, the kPagesAhead waiting behind it, and the one being handed over.
  EXPECT_LE(listing.handed, static_cast<int>(1 + kPagesAhead + 1));
}

// Several listings at once: each one's pages in its order, all of them on the caller's thread.
TEST(ReadAheadMerged, EachListingsPagesComeInTheirOrderOnTheCallersThread) {
  FakeListing a, b;
  a.pages = 20;
  b.pages = 30;
  std::vector<std::string> from_a, from_b;
  const std::thread::id caller = std::this_thread::get_id();
  bool elsewhere = false;
  Status s = read_ahead_merged({a.listing(), b.listing()}, [&](std::size_t listing, upstream::CrmPage&& page) {
    (listing == 0 ? from_a : from_b).push_back(page.checkpoint.after);
    elsewhere = elsewhere || std::this_thread::get_id() != caller;
    return Status{};
  });
  ASSERT_TRUE(s.ok()) << s.error().message;
  std::vector<std::string> want_a, want_b;
  for (int i = 1; i <= 20; ++i) want_a.push_back(std::to_string(i));
  for (int i = 1; i <= 30; ++i) want_b.push_back(std::to_string(i));
  EXPECT_EQ(from_a, want_a);
  EXPECT_EQ(from_b, want_b);
  EXPECT_FALSE(elsewhere);
  EXPECT_NE(a.ran_on, b.ran_on);
  EXPECT_NE(a.ran_on, caller);
}

// A listing that fails stops the others; its own pages before the failure are all handed over.
TEST(ReadAheadMerged, AFailingListingStopsTheOthersAfterItsEarlierPages) {
  FakeListing failing, endless;
  failing.pages = 3;
  failing.error = make_error(core::ErrorCode::upstream_unreachable, "gone");
  endless.pages = 1'000'000;
  int from_failing = 0;
  Status s = read_ahead_merged({failing.listing(), endless.listing()}, [&](std::size_t listing, upstream::CrmPage&&) {
    if (listing == 0) ++from_failing;
    return Status{};
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::ErrorCode::upstream_unreachable);
  EXPECT_EQ(from_failing, 3);
  EXPECT_LT(endless.handed, 1'000'000);  // stopped, not read to the end
  ASSERT_FALSE(endless.last_answer.ok());
}

}  // namespace
}  // namespace tenantsync::sync
