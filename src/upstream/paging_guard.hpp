#pragma once
// Stops a listing as soon as its paging makes no progress: a hostile or broken upstream can answer
// "more follow" forever with the same cursor (or a cycle of cursors), the same page number, or
// the same records. A page that brings no record id new to this listing, a page that carries the
// page number of the page before it, or a next-page cursor seen before in this listing stops the
// listing at once (so at most one page is read in vain) with upstream_paging_loop. What was read
// before counts as the whole listing only when the upstream's own total says so (see
// end_numbered_page); otherwise the caller must treat the listing as not completely read.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "core/result.hpp"

namespace tenantsync::upstream {

/// What to do with a numbered page once the guard has seen it.
enum class PageVerdict {
  take,                 ///< the page moved the listing on: hand it on, and read the next if more follow
  complete_without_it,  ///< it repeats what was read, and the upstream's total says that was all: stop
};

class PagingGuard {
 public:
  /// `listing` names the listing in the error ("HubSpot contacts", "Bolna executions of agent a1").
  explicit PagingGuard(std::string listing);

  /// Before the first page: the position it is read at (may be empty: the start).
  void start(std::string_view position);
  /// Each record id a page brought (call for every record of the page, then end_page).
  void saw(std::string_view id);
  /// Cursor paging (HubSpot, Salesforce): after the page, whether more pages follow and the cursor
  /// the next one is read with. An error when the listing must stop; the page itself may be kept
  /// (it repeats records at worst).
  Status end_page(bool more, std::string_view next_cursor = {});
  /// Number paging (Bolna executions): after the page, whether more follow, the page number the
  /// upstream gave it and its total of the whole listing (each when it sent one). A page without
  /// progress ends the listing: complete_without_it when `total` equals the ids read before it,
  /// else upstream_paging_loop.
  Result<PageVerdict> end_numbered_page(bool more, std::optional<std::int64_t> page_number,
                                        std::optional<std::int64_t> total);

 private:
  static std::uint64_t hash(std::string_view text);
  Error loop(std::string_view why) const;
  /// Closes the page's id count: how many ids it brought that were new.
  std::size_t close_page();

  std::string listing_;
  std::unordered_set<std::uint64_t> positions_;
  std::unordered_set<std::uint64_t> ids_;  ///< hashes: 8 bytes per record, bounded by the run's record bound
  std::size_t ids_before_page_ = 0;
  std::optional<std::int64_t> last_page_number_;
};

}  // namespace tenantsync::upstream
