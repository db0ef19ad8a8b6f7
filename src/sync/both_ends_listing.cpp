#include "sync/both_ends_listing.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>
#include <vector>

#include "core/error_code.hpp"
#include "sync/page_read_ahead.hpp"

namespace tenantsync::sync {
namespace {

using upstream::CrmContact;
using upstream::CrmPage;
using upstream::numeric_id_less;

constexpr std::size_t kList = 0;
constexpr std::size_t kTop = 1;

// Where the two readers have got to, as read (pages may still wait to be consumed); shared by
// their threads.
class Meeting {
 public:
  explicit Meeting(std::string below) : top_low_(std::move(below)) {}

  /// A list page was read: its ids must go on up from the previous page's.
  void list_read(const std::vector<CrmContact>& contacts) {
    std::lock_guard lock(mutex_);
    for (const CrmContact& contact : contacts) {
      if (!list_high_.empty() && !numeric_id_less(list_high_, contact.crm_id)) ordered_ = false;
      list_high_ = contact.crm_id;
    }
  }
  /// The list read its last page: whatever the top reader still has is read.
  void list_ended() {
    std::lock_guard lock(mutex_);
    list_ended_ = true;
  }
  /// A top page was read, down to `lowest`.
  void top_read(const std::string& lowest) {
    std::lock_guard lock(mutex_);
    if (!lowest.empty() && (top_low_.empty() || numeric_id_less(lowest, top_low_))) top_low_ = lowest;
  }
  /// Whether every contact has been read by one reader or the other.
  bool met() const {
    std::lock_guard lock(mutex_);
    if (list_ended_) return true;
    return ordered_ && !list_high_.empty() && !top_low_.empty() && !numeric_id_less(list_high_, top_low_);
  }
  bool ordered() const {
    std::lock_guard lock(mutex_);
    return ordered_;
  }

 private:
  mutable std::mutex mutex_;
  std::string list_high_;  // the highest id the list has read ("" before its first page)
  std::string top_low_;    // the lowest id the top reader has read ("" before anything)
  bool ordered_ = true;
  bool list_ended_ = false;
};

// Ends a listing from inside its page callback; never leaves this file.
Error met_here() { return make_error(core::ErrorCode::internal_error, "the readers met"); }

void drop_if(std::vector<CrmContact>& contacts, const std::function<bool(const std::string&)>& read_already) {
  contacts.erase(std::remove_if(contacts.begin(), contacts.end(),
                                [&](const CrmContact& c) { return read_already(c.crm_id); }),
                 contacts.end());
}

}  // namespace

Status read_from_both_ends(upstream::CrmClient& client, const BothEndsPosition& from,
                           const BothEndsPageCallback& consume, const PagePrepare& prepare) {
  Meeting meeting(from.below);
  std::vector<CrmListing> listings;
  listings.emplace_back([&](const upstream::CrmPageCallback& next) -> Status {
    bool ended_here = false;
    Status status = client.list_contacts(false, from.after, [&](CrmPage&& page) -> Status {
      meeting.list_read(page.contacts);
      if (Status handed = next(std::move(page)); !handed.ok()) return handed;
      if (!meeting.met()) return {};
      ended_here = true;
      return met_here();
    });
    if (status.ok()) meeting.list_ended();
    return ended_here ? Status{} : status;
  });
  if (client.reads_from_the_top()) {
    listings.emplace_back([&](const upstream::CrmPageCallback& next) -> Status {
      bool ended_here = false;
      bool refused = false;  // the caller stopped the listings: nothing of ours to report
      Status status = client.list_contacts_from_the_top(from.below, [&](CrmPage&& page) -> Status {
        if (meeting.met() || !meeting.ordered()) {
          ended_here = true;  // this page is not needed: the list has read it or reads to the end
          return met_here();
        }
        meeting.top_read(page.checkpoint.after);
        if (Status handed = next(std::move(page)); !handed.ok()) {
          refused = true;
          return handed;
        }
        return {};
      });
      if (!status.ok() && !ended_here && !refused)
        spdlog::warn("event=crm_top_reader_stopped code={} message=\"{}\" (the list API reads the rest)",
                     core::to_string(status.error().code), status.error().message);
      return refused ? status : Status{};
    });
  }

  // On this thread: what each reader has handed over so far, to drop what the other one has.
  BothEndsPosition position = from;
  std::string list_high;  // the highest id of the list's consumed pages
  return read_ahead_merged(listings, [&](std::size_t listing, CrmPage&& page) -> Status {
    if (listing == kList) {
      if (!position.below.empty())
        drop_if(page.contacts, [&](const std::string& id) { return !numeric_id_less(id, position.below); });
      for (const CrmContact& contact : page.contacts)
        if (list_high.empty() || numeric_id_less(list_high, contact.crm_id)) list_high = contact.crm_id;
      position.after = page.checkpoint.after;
    } else {
      if (meeting.ordered() && !list_high.empty())
        drop_if(page.contacts, [&](const std::string& id) { return !numeric_id_less(list_high, id); });
      position.below = page.checkpoint.after;
    }
    return consume(std::move(page), position);
  }, prepare);
}

}  // namespace tenantsync::sync
