#pragma once
// The whole upstream simulator behind one handler: routes /_sim/ control calls, applies
// injected faults to upstream calls, logs them, and dispatches to the simulated providers.
#include <array>
#include <optional>

#include "bolna_sim.hpp"
#include "core/clock.hpp"
#include "faults.hpp"
#include "http/message.hpp"
#include "hubspot_sim.hpp"
#include "nango_sim.hpp"
#include "salesforce_sim.hpp"
#include "simulated_upstream.hpp"

namespace tenantsync::sim {

class Simulator {
 public:
  explicit Simulator(const Clock& clock);

  /// Answers any request; safe to call from many threads.
  http::Response handle(const http::Request& request);
  /// Clears every provider's data, the faults, the request log and the quirks.
  void reset();

  BolnaSim& bolna() { return bolna_; }
  HubSpotSim& hubspot() { return hubspot_; }
  SalesforceSim& salesforce() { return salesforce_; }
  NangoSim& nango() { return nango_; }
  FaultSet& faults() { return faults_; }
  RequestLog& requests() { return requests_; }

 private:
  http::Response handle_control(const http::Request& request);
  http::Response dispatch_upstream(const http::Request& request);
  std::optional<int> page_of(const http::Request& request);

  const Clock& clock_;
  BolnaSim bolna_;
  HubSpotSim hubspot_;
  SalesforceSim salesforce_;
  NangoSim nango_;  ///< after the CRMs: it mints their tokens
  /// The four above, in the order a request is offered to them.
  std::array<SimulatedUpstream*, 4> upstreams_;
  FaultSet faults_;
  RequestLog requests_;
};

}  // namespace tenantsync::sim
