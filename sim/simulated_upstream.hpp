#pragma once
// One simulated upstream (Bolna, HubSpot, Salesforce, Nango) as the Simulator sees it: its API,
// its part of the /_sim/ control API, the page of a paged request, and a reset; and the
// guarded state each keeps behind it.
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

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

/// An upstream whose data is one `State` (a Guarded<...>) that only the upstream's own source
/// files define: it owns that State and answers the SimulatedUpstream calls through the
/// functions `serve_api`, `serve_control` and `request_page`, which take a State& and the
/// request and are declared beside State (found by argument-dependent lookup). The upstream's
/// header declares `extern template class StatefulUpstream<its State>;` and its .cpp the explicit
/// instantiation, so that the definitions below are compiled only where State is complete.
template <class State>
class StatefulUpstream : public SimulatedUpstream {
 public:
  std::optional<http::Response> handle_api(const http::Request& request) override;
  std::optional<http::Response> handle_control(const http::Request& request) override;
  std::optional<int> page_of(const http::Request& request) override;
  /// Drops all data: the State as a new one holds it.
  void reset() override;

 protected:
  /// Builds the State from `args`; called only where State is complete.
  template <class... Args>
  explicit StatefulUpstream(std::in_place_t, Args&&... args)
      : state_(new State(std::forward<Args>(args)...), [](State* state) { delete state; }) {}

  // The deleter is chosen at construction, so the upstream's destructor, wherever it is
  // compiled, does not need State to be complete.
  std::unique_ptr<State, void (*)(State*)> state_;
};

template <class State>
std::optional<http::Response> StatefulUpstream<State>::handle_api(const http::Request& request) {
  return serve_api(*state_, request);
}

template <class State>
std::optional<http::Response> StatefulUpstream<State>::handle_control(const http::Request& request) {
  return serve_control(*state_, request);
}

template <class State>
std::optional<int> StatefulUpstream<State>::page_of(const http::Request& request) {
  return request_page(*state_, request);
}

template <class State>
void StatefulUpstream<State>::reset() {
  state_->reset();
}

}  // namespace tenantsync::sim
