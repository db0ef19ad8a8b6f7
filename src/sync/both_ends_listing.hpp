#pragma once
// A full read of a CRM's live contacts from both ends at once. The list API goes up by id from
// the start and, where the client can (HubSpot: search sorted by descending id, which has a rate
// budget of its own), a second reader comes down from the highest id: two budgets instead of one,
// so a first sync goes past the list API's own bound (HubSpot Professional: 190 calls of 100
// contacts per 10 s, 1,900 contacts/s; search adds almost 5 calls of 200 a second). Each reader is a
// listing of sync/page_read_ahead.hpp, a few pages ahead. They stop when they meet: once the list
// has read an id at or above the lowest id the top reader has read, every contact has been read by
// one of them. A contact both read where they overlap is handed over once.
//
// Nothing is lost whatever goes wrong:
// - the top reader only helps: when it fails (another app spent the search budget, a refusal),
//   it stops, with a warning in the log, and the list reads on up to where it got;
// - the meeting means something only while the list comes in ascending id order (HubSpot's list
//   pages by id): a page seen out of order turns the meeting off, the top reader stops, and the
//   list reads to the end (a list that left its order only past the meeting point could not be
//   caught: the order is the one thing this trusts);
// - contacts created while the sync runs may sit above where the top reader started, and search's
//   index lags a little behind the list, so one created just before may be missing from it; the
//   first sync's incremental cursor (sync/crm_sync.hpp), which starts 5 minutes before the sync
//   did, picks both up, as it does for the list alone.
// The position handed over with each page says where both readers stand, so a killed sync
// resumes both where they were.
#include <functional>
#include <string>

#include "core/result.hpp"
#include "sync/page_read_ahead.hpp"
#include "upstream/crm/crm_client.hpp"

namespace tenantsync::sync {

struct BothEndsPosition {
  std::string after;  ///< the list's cursor: where it goes on (empty: the start)
  /// The lowest id the top reader handed over: every live contact at or above it has been read
  /// (empty: nothing yet).
  std::string below;
};

/// A page to write, and the position to save with it.
using BothEndsPageCallback =
    std::function<Status(upstream::CrmPage&& page, const BothEndsPosition& position)>;

/// Reads every live contact from `from` on, from both ends when client.reads_from_the_top(), else
/// with the list alone, handing each page to `consume` on this thread (after `prepare`, when
/// given, on the reader's thread: read_ahead_merged). Returns the first failure of consume or of the list (the top
/// reader's are only logged).
Status read_from_both_ends(upstream::CrmClient& client, const BothEndsPosition& from,
                           const BothEndsPageCallback& consume, const PagePrepare& prepare = {});

}  // namespace tenantsync::sync
