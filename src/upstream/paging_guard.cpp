#include "upstream/paging_guard.hpp"

#include <fmt/format.h>

namespace tenantsync::upstream {

PagingGuard::PagingGuard(std::string listing) : listing_(std::move(listing)) {}

std::uint64_t PagingGuard::hash(std::string_view text) {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a 64
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

Error PagingGuard::loop(std::string_view why) const {
  return make_error(core::ErrorCode::upstream_paging_loop,
                    fmt::format("The {} listing was stopped: {}. The upstream's paging does not move on, "
                                "so the listing was not read completely. Try again later.",
                                listing_, why));
}

void PagingGuard::start(std::string_view position) {
  if (!position.empty()) positions_.insert(hash(position));
}

void PagingGuard::saw(std::string_view id) { ids_.insert(hash(id)); }

std::size_t PagingGuard::close_page() {
  const std::size_t brought = ids_.size() - ids_before_page_;
  ids_before_page_ = ids_.size();
  return brought;
}

Status PagingGuard::end_page(bool more, std::string_view next_cursor) {
  const std::size_t brought = close_page();
  if (!more) return {};  // done: a last page may repeat records harmlessly
  if (brought == 0) return loop("a page brought no record it had not sent before");
  if (!next_cursor.empty() && !positions_.insert(hash(next_cursor)).second)
    return loop("it sent a next-page cursor it had sent before");
  return {};
}

Result<PageVerdict> PagingGuard::end_numbered_page(bool more, std::optional<std::int64_t> page_number,
                                                   std::optional<std::int64_t> total) {
  const std::size_t before = ids_before_page_;
  const std::size_t brought = close_page();
  const bool same_number = page_number && last_page_number_ && *page_number == *last_page_number_;
  if (page_number) last_page_number_ = page_number;
  if (!more) return PageVerdict::take;  // the last page: it may repeat records harmlessly
  if (brought > 0 && !same_number) return PageVerdict::take;
  // The upstream's own count is the only word that what came before was the whole listing.
  if (total && *total >= 0 && static_cast<std::size_t>(*total) == before)
    return PageVerdict::complete_without_it;
  const std::string why = same_number ? fmt::format("it sent page number {} twice in a row", *page_number)
                                      : std::string("a page brought no record it had not sent before");
  const std::string counted =
      total ? fmt::format(" (it counts {} records, {} were read)", *total, before) : std::string();
  return loop(why + counted);
}

}  // namespace tenantsync::upstream
