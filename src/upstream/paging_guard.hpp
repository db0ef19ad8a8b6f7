#pragma once
// Stops a listing whose paging makes no progress: a hostile or broken upstream can answer
// "more follow" forever with the same cursor (or a cycle of cursors) or the same records. A
// cursor seen before in this listing stops it at once (the next page would repeat one read
// already); pages that bring no record id new to this listing stop it at the second in a row,
// so at most two pages are read in vain. The error is upstream_paging_loop.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>

#include "core/result.hpp"

namespace tenantsync::upstream {

class PagingGuard {
 public:
  /// `listing` names the listing in the error ("HubSpot contacts", "Bolna executions of agent a1").
  explicit PagingGuard(std::string listing);

  /// Before the first page: the position it is read at (may be empty: the start).
  void start(std::string_view position);
  /// Each record id a page brought (call for every record of the page, then end_page).
  void saw(std::string_view id);
  /// After the page: whether more pages follow, and the cursor the next one is read with (empty
  /// when the upstream pages by number). An error when the listing must stop.
  Status end_page(bool more, std::string_view next_cursor = {});

 private:
  static std::uint64_t hash(std::string_view text);
  Error loop(std::string_view why) const;

  std::string listing_;
  std::unordered_set<std::uint64_t> positions_;
  std::unordered_set<std::uint64_t> ids_;  ///< hashes: 8 bytes per record, bounded by the run's record bound
  bool page_brought_new_ = false;
  int pages_without_progress_ = 0;
};

}  // namespace tenantsync::upstream
