#include "sync/page_read_ahead.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "core/error_code.hpp"

namespace tenantsync::sync {
namespace {

// Pages waiting for the caller besides the one the listing is reading: one is enough to keep
// the download going while the caller works, and bounds memory to a few pages.
constexpr std::size_t kPagesAhead = 1;

// What the two threads share.
struct Handover {
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<upstream::CrmPage> pages;
  bool listing_ended = false;
  Status listing_status;
  std::optional<Error> caller_stopped;  ///< set when the caller refused a page or threw
};

}  // namespace

Status read_ahead(const CrmListing& listing, const upstream::CrmPageCallback& consume) {
  Handover h;
  std::thread reader([&] {
    Status status;
    try {
      status = listing([&](upstream::CrmPage&& page) -> Status {
        std::unique_lock lock(h.mutex);
        h.changed.wait(lock, [&] { return h.pages.size() < kPagesAhead || h.caller_stopped; });
        if (h.caller_stopped) return *h.caller_stopped;
        h.pages.push_back(std::move(page));
        h.changed.notify_all();
        return {};
      });
    } catch (const std::exception& e) {
      status = make_error(core::ErrorCode::internal_error, std::string("the listing failed: ") + e.what());
    }
    std::lock_guard lock(h.mutex);
    h.listing_status = status;
    h.listing_ended = true;
    h.changed.notify_all();
  });
  // Stops the reader at its next page and waits for it, however the caller leaves.
  const auto stop_reader = [&](Error why) {
    {
      std::lock_guard lock(h.mutex);
      if (!h.caller_stopped) h.caller_stopped = std::move(why);
      h.changed.notify_all();
    }
    reader.join();
  };

  for (;;) {
    std::unique_lock lock(h.mutex);
    h.changed.wait(lock, [&] { return !h.pages.empty() || h.listing_ended; });
    if (h.pages.empty()) {
      lock.unlock();
      reader.join();
      return h.listing_status;
    }
    upstream::CrmPage page = std::move(h.pages.front());
    h.pages.pop_front();
    h.changed.notify_all();
    lock.unlock();
    Status consumed;
    try {
      consumed = consume(std::move(page));
    } catch (...) {
      stop_reader(make_error(core::ErrorCode::internal_error, "the page's reader stopped"));
      throw;
    }
    if (!consumed.ok()) {
      stop_reader(consumed.error());
      return consumed;
    }
  }
}

}  // namespace tenantsync::sync
