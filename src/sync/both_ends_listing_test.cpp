// A full read from both ends: every contact handed over once, wherever the readers meet, and
// nothing lost when the top reader fails or the list's order cannot be trusted.
#include "sync/both_ends_listing.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "core/error_code.hpp"

namespace tenantsync::sync {
namespace {

using namespace std::chrono_literals;
using upstream::CrmCheckpoint;
using upstream::CrmContact;
using upstream::CrmPage;

// A CRM of contacts 1..n: the list goes up `list_page` at a time (its cursor the next id), the
// top reader comes down `top_page` at a time. Either can be slowed, made to fail, or (the list)
// made to hand its pages out of order.
class TwoEndedCrm final : public upstream::CrmClient {
 public:
  explicit TwoEndedCrm(int contacts) {
    for (int id = 1; id <= contacts; ++id) ids_.push_back(id);
  }

  int list_page = 10;
  int top_page = 20;
  bool from_the_top = true;
  std::chrono::milliseconds list_delay{0};
  std::chrono::milliseconds top_delay{0};
  int top_fails_at_request = 0;  ///< 0: never
  bool list_out_of_order = false;  ///< hand the list's second page before its first
  std::atomic<int> list_requests{0};
  std::atomic<int> top_requests{0};

  Result<upstream::CrmAccount> get_account() override { return upstream::CrmAccount{"1", "UTC"}; }
  Result<std::vector<upstream::CrmOwner>> list_owners() override { return std::vector<upstream::CrmOwner>{}; }
  upstream::RateBudget rate_budget() const override { return {}; }
  Status list_changed_contacts(std::int64_t, const upstream::CrmPageCallback&) override { return {}; }
  bool reads_from_the_top() const override { return from_the_top; }

  Status list_contacts(bool archived, const std::string& after, const upstream::CrmPageCallback& on_page) override {
    if (archived) return {};
    std::vector<std::vector<int>> pages;
    auto it = std::lower_bound(ids_.begin(), ids_.end(), after.empty() ? 0 : std::stoi(after));
    while (it != ids_.end()) {
      const auto end = it + std::min<std::ptrdiff_t>(list_page, ids_.end() - it);
      pages.emplace_back(it, end);
      it = end;
    }
    if (list_out_of_order && pages.size() > 1) std::swap(pages[0], pages[1]);
    for (std::size_t i = 0; i < pages.size(); ++i) {
      ++list_requests;
      std::this_thread::sleep_for(list_delay);
      CrmPage page;
      for (int id : pages[i]) page.contacts.push_back(contact(id));
      page.checkpoint.after = i + 1 < pages.size() ? std::to_string(pages[i + 1].front()) : "";
      if (Status s = on_page(std::move(page)); !s.ok()) return s;
    }
    return {};
  }

  Status list_contacts_from_the_top(const std::string& below, const upstream::CrmPageCallback& on_page) override {
    int bound = below.empty() ? ids_.back() + 1 : std::stoi(below);
    for (;;) {
      std::this_thread::sleep_for(top_delay);
      if (++top_requests == top_fails_at_request)
        return make_error(core::ErrorCode::rate_limited, "search budget spent elsewhere");
      CrmPage page;
      auto it = std::lower_bound(ids_.begin(), ids_.end(), bound);
      while (it != ids_.begin() && static_cast<int>(page.contacts.size()) < top_page) page.contacts.push_back(contact(*--it));
      if (page.contacts.empty()) return {};
      bound = std::stoi(page.contacts.back().crm_id);
      page.checkpoint.after = std::to_string(bound);
      if (Status s = on_page(std::move(page)); !s.ok()) return s;
    }
  }

 private:
  static CrmContact contact(int id) {
    CrmContact c;
    c.crm_id = std::to_string(id);
    return c;
  }
  std::vector<int> ids_;
};

struct Handed {
  std::map<std::string, int> times;  // id → how often handed over
  std::vector<BothEndsPosition> positions;
  int pages = 0;

  BothEndsPageCallback callback() {
    return [this](CrmPage&& page, const BothEndsPosition& at) -> Status {
      ++pages;
      for (const CrmContact& c : page.contacts) ++times[c.crm_id];
      positions.push_back(at);
      return {};
    };
  }
  // Whether exactly ids from..to were handed over, each once.
  ::testing::AssertionResult each_once(int from, int to) const {
    for (int id = from; id <= to; ++id) {
      auto found = times.find(std::to_string(id));
      if (found == times.end()) return ::testing::AssertionFailure() << "contact " << id << " never handed over";
      if (found->second != 1)
        return ::testing::AssertionFailure() << "contact " << id << " handed over " << found->second << " times";
    }
    if (times.size() != static_cast<std::size_t>(to - from + 1))
      return ::testing::AssertionFailure() << times.size() << " contacts handed over, not " << (to - from + 1);
    return ::testing::AssertionSuccess();
  }
};

TEST(BothEnds, EveryContactIsHandedOverOnceAndTheReadersMeetInBetween) {
  for (int round = 0; round < 20; ++round) {
    TwoEndedCrm crm(1'000);
    crm.list_delay = 2ms;  // the list is the slower reader: the top one surely does its share
    Handed handed;
    Status s = read_from_both_ends(crm, {}, handed.callback());
    ASSERT_TRUE(s.ok()) << s.error().message;
    ASSERT_TRUE(handed.each_once(1, 1'000)) << "round " << round;
    EXPECT_GT(crm.list_requests, 0);
    EXPECT_GT(crm.top_requests, 0);
    // The list stopped where they met: it did not read all 100 of its pages.
    EXPECT_LT(crm.list_requests, 100);
  }
}

TEST(BothEnds, ThePositionSaysWhereEachReaderStands) {
  TwoEndedCrm crm(1'000);
  crm.list_delay = 1ms;
  Handed handed;
  ASSERT_TRUE(read_from_both_ends(crm, {}, handed.callback()).ok());
  std::string below;
  for (const BothEndsPosition& at : handed.positions) {
    // The top reader only goes down; the list's cursor is a contact id it has not read.
    if (!below.empty()) {
      EXPECT_FALSE(upstream::numeric_id_less(below, at.below));
    }
    below = at.below;
  }
  EXPECT_FALSE(handed.positions.back().below.empty());
}

// A killed sync resumes both readers: the list from its cursor, the top one below its bound.
TEST(BothEnds, AResumedReadGoesOnFromBothPositions) {
  TwoEndedCrm crm(1'000);
  Handed handed;
  ASSERT_TRUE(read_from_both_ends(crm, BothEndsPosition{"301", "801"}, handed.callback()).ok());
  EXPECT_TRUE(handed.each_once(301, 800));
}

TEST(BothEnds, ACrmThatCannotReadFromTheTopIsReadByTheListAlone) {
  TwoEndedCrm crm(1'000);
  crm.from_the_top = false;
  Handed handed;
  ASSERT_TRUE(read_from_both_ends(crm, {}, handed.callback()).ok());
  EXPECT_TRUE(handed.each_once(1, 1'000));
  EXPECT_EQ(crm.top_requests, 0);
  EXPECT_EQ(crm.list_requests, 100);
}

// Search's budget is shared with whatever else the account runs: when the top reader is refused,
// the list reads on to where it got.
TEST(BothEnds, WhenTheTopReaderFailsTheListReadsTheRest) {
  TwoEndedCrm crm(1'000);
  crm.list_delay = 1ms;
  crm.top_fails_at_request = 3;
  Handed handed;
  Status s = read_from_both_ends(crm, {}, handed.callback());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(handed.each_once(1, 1'000));
  EXPECT_EQ(crm.top_requests, 3);
}

// The meeting means something only while the list comes in id order: a list seen out of order
// (here its second page, long before the top reader gets near it) is read to the end.
TEST(BothEnds, AListOutOfOrderIsReadToTheEnd) {
  TwoEndedCrm crm(1'000);
  crm.list_out_of_order = true;
  crm.top_delay = 5ms;
  Handed handed;
  ASSERT_TRUE(read_from_both_ends(crm, {}, handed.callback()).ok());
  EXPECT_TRUE(handed.each_once(1, 1'000));
  EXPECT_EQ(crm.list_requests, 100);
}

TEST(BothEnds, APageTheCallerRefusesStopsBothReaders) {
  TwoEndedCrm crm(100'000);
  Handed handed;
  int pages = 0;
  Status s = read_from_both_ends(crm, {}, [&](CrmPage&&, const BothEndsPosition&) -> Status {
    if (++pages == 5) return make_error(core::ErrorCode::interrupted, "stopping");
    return {};
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, core::ErrorCode::interrupted);
  EXPECT_EQ(pages, 5);
  EXPECT_LT(crm.list_requests + crm.top_requests, 20);
}

}  // namespace
}  // namespace tenantsync::sync
