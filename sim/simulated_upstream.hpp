#pragma once
// One simulated upstream (Bolna, HubSpot, Salesforce, Nango) as the Simulator sees it: its API,
// its part of the /_sim/ control API, the page of a paged request, and a reset; and the
// guarded state each keeps behind it.
#include <mutex>
#include <optional>

#include "http/message.hpp"

namespace tenantsync::sim {

class SimulatedUpstream {
 public:
  SimulatedUpstream() = default;
  SimulatedUpstream(const SimulatedUpstream&) = delete;
  SimulatedUpstream& operator=(const SimulatedUpstream&) = delete;
  virtual ~SimulatedUpstream() = default;

  /// Answers a request to this upstream's API, or nullopt when the path is none of its endpoints.
  /// Safe to call from many threads, as are the others.
  virtual std::optional<http::Response> handle_api(const http::Request& request) = 0;
  /// Answers a /_sim/<upstream>/ control request, or nullopt when the path is none of them.
  virtual std::optional<http::Response> handle_control(const http::Request& request) = 0;
  /// The 1-based page a paged API request asks for, for page-scoped faults; nullopt when the
  /// request is not paged.
  virtual std::optional<int> page_of(const http::Request&) { return std::nullopt; }
  /// Drops all data and restores the defaults.
  virtual void reset() = 0;
};

/// An upstream's contents behind one mutex, and a reset to what a new simulator holds.
template <class Contents>
struct Guarded : Contents {
  std::mutex mutex;

  /// Takes the lock.
  void reset() {
    std::lock_guard lock(mutex);
    static_cast<Contents&>(*this) = Contents();
  }
};

}  // namespace tenantsync::sim
