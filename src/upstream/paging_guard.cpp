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
                    fmt::format("The {} listing was stopped: {}. The upstream's paging does not move on; "
                                "nothing read before was lost. Try again later.",
                                listing_, why));
}

void PagingGuard::start(std::string_view position) {
  if (!position.empty()) positions_.insert(hash(position));
}

void PagingGuard::saw(std::string_view id) {
  if (ids_.insert(hash(id)).second) page_brought_new_ = true;
}

Status PagingGuard::end_page(bool more, std::string_view next_cursor) {
  const bool progressed = page_brought_new_;
  page_brought_new_ = false;
  if (!more) return {};  // done: a last page may repeat records harmlessly
  pages_without_progress_ = progressed ? 0 : pages_without_progress_ + 1;
  if (pages_without_progress_ >= 2)
    return loop("two pages in a row brought no record it had not sent before");
  if (!next_cursor.empty() && !positions_.insert(hash(next_cursor)).second)
    return loop("it sent a next-page cursor it had sent before");
  return {};
}

}  // namespace tenantsync::upstream
