#include "sync/page_read_ahead.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "core/error_code.hpp"

namespace tenantsync::sync {
namespace {

// A page a listing read, or how it failed (queued behind its pages, so they are consumed first).
struct Entry {
  std::size_t listing = 0;
  upstream::CrmPage page;
  std::optional<Error> failure;
};

// What the threads share.
struct Handover {
  explicit Handover(std::size_t listings) : waiting(listings, 0) {}

  std::mutex mutex;
  std::condition_variable changed;
  std::deque<Entry> entries;
  std::vector<std::size_t> waiting;  ///< pages in the queue, per listing
  std::size_t listings_ended = 0;
  std::optional<Error> stopped;  ///< set when the listings must stop: the caller refused, threw, or saw a failure
};

}  // namespace

Status read_ahead(const CrmListing& listing, const upstream::CrmPageCallback& consume,
                  const PagePrepare& prepare) {
  return read_ahead_merged(
      {listing}, [&](std::size_t, upstream::CrmPage&& page) { return consume(std::move(page)); }, prepare);
}

Status read_ahead_merged(const std::vector<CrmListing>& listings, const MergedPageCallback& consume,
                         const PagePrepare& prepare) {
  Handover h(listings.size());
  std::vector<std::thread> readers;
  readers.reserve(listings.size());
  for (std::size_t index = 0; index < listings.size(); ++index) {
    readers.emplace_back([&h, &listing = listings[index], &prepare, index] {
      Status status;
      try {
        status = listing([&](upstream::CrmPage&& page) -> Status {
          if (prepare) prepare(page);  // outside the lock: it overlaps with the caller's work
          std::unique_lock lock(h.mutex);
          h.changed.wait(lock, [&] { return h.waiting[index] < kPagesAhead || h.stopped; });
          if (h.stopped) return *h.stopped;
          h.entries.push_back(Entry{index, std::move(page), std::nullopt});
          ++h.waiting[index];
          h.changed.notify_all();
          return {};
        });
      } catch (const std::exception& e) {
        status = make_error(core::ErrorCode::internal_error, std::string("the listing failed: ") + e.what());
      }
      std::lock_guard lock(h.mutex);
      if (!status.ok() && !h.stopped) h.entries.push_back(Entry{index, {}, status.error()});
      ++h.listings_ended;
      h.changed.notify_all();
    });
  }
  // Stops the readers at their next page and waits for them, however the caller leaves.
  const auto stop_readers = [&](std::optional<Error> why) {
    {
      std::lock_guard lock(h.mutex);
      if (why && !h.stopped) h.stopped = std::move(why);
      h.changed.notify_all();
    }
    for (std::thread& reader : readers) reader.join();
  };

  for (;;) {
    std::unique_lock lock(h.mutex);
    h.changed.wait(lock, [&] { return !h.entries.empty() || h.listings_ended == listings.size(); });
    if (h.entries.empty()) {
      lock.unlock();
      stop_readers(std::nullopt);  // all ended: only joins
      return {};
    }
    Entry entry = std::move(h.entries.front());
    h.entries.pop_front();
    if (!entry.failure) --h.waiting[entry.listing];
    h.changed.notify_all();
    lock.unlock();
    if (entry.failure) {
      stop_readers(*entry.failure);
      return *entry.failure;
    }
    Status consumed;
    try {
      consumed = consume(entry.listing, std::move(entry.page));
    } catch (...) {
      stop_readers(make_error(core::ErrorCode::internal_error, "the page's reader stopped"));
      throw;
    }
    if (!consumed.ok()) {
      stop_readers(consumed.error());
      return consumed;
    }
  }
}

}  // namespace tenantsync::sync
