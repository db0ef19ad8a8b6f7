#pragma once
// Reads a CRM listing a few pages ahead (kPagesAhead). The listing runs on a thread of its own and
// hands each page to the caller's thread through a short queue, so the next pages download (and
// wait out the rate limit) while the caller matches and writes: a page costs the longer of the
// two, not their sum. The caller sees the pages in order, on its own thread, as if it had
// called the listing itself: pages read before a failed page are all handed over first, and a
// page the caller refuses stops the listing at its next page (that page, already asked for, is
// dropped unwritten). Everything the listing's client does must be safe on another thread than
// the caller's while the listing runs (the clients are used by nothing else meanwhile; the rate
// waits they report go to a thread-safe ProgressReporter).
//
// Several listings can run at once (read_ahead_merged: a full read from both ends,
// sync/both_ends_listing.hpp), each on its own thread and each a few pages ahead; the caller gets
// every listing's pages in the order they arrived, each with the index of its listing.
#include <cstddef>
#include <functional>
#include <vector>

#include "core/result.hpp"
#include "upstream/crm/crm_client.hpp"

namespace tenantsync::sync {

/// Pages of each listing that may wait for the caller besides the one it is reading: more than a
/// write batch (sync/crm_sync.hpp writes 500 contacts at once, five list pages), so the download
/// goes on while the caller writes one, and memory stays bounded to a few pages a listing.
inline constexpr std::size_t kPagesAhead = 8;

/// A listing of the client: called once, with the callback each page goes to.
using CrmListing = std::function<Status(const upstream::CrmPageCallback& on_page)>;

/// Work on a page done on the listing's thread before the page queues for the caller's (e.g.
/// normalizing its phones): it overlaps with the caller's work on the page before.
using PagePrepare = std::function<void(upstream::CrmPage& page)>;

/// Runs `listing` on a thread of its own and `consume` on this one, page by page in order; each
/// page goes through `prepare` (when given) on the listing's thread before it queues.
/// Returns the first failure: consume's, else the listing's (after every page before it).
Status read_ahead(const CrmListing& listing, const upstream::CrmPageCallback& consume,
                  const PagePrepare& prepare = {});

/// A page and the index of the listing that read it.
using MergedPageCallback = std::function<Status(std::size_t listing, upstream::CrmPage&& page)>;

/// Runs each listing on a thread of its own and `consume` on this one, each listing's pages in
/// its order. A listing that ends (well or not) leaves the others running; the first failure
/// (consume's, else a listing's) stops every listing at its next page once the pages read before
/// it are consumed, and is returned. Each page goes through `prepare` (when given) on its
/// listing's thread before it queues.
Status read_ahead_merged(const std::vector<CrmListing>& listings, const MergedPageCallback& consume,
                         const PagePrepare& prepare = {});

}  // namespace tenantsync::sync
