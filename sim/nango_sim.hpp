#pragma once
// The simulated Nango credentials broker: GET /connections/{id} (and the deprecated
// /connection/{id}) behind the Nango secret key, answering OAuth2 credentials that the simulated
// HubSpot portal or Salesforce org really accepts (minted through their internals, refreshed
// here when close to expiry, as Nango does), 424 when a connection's refresh is exhausted; each
// connection carries the tags and end user of the connect session that created it. Connect
// sessions (POST /connect/sessions), their connect page (/connect-ui/) and the simulated consent
// behind it. Control calls live under /_sim/nango/.
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "http/message.hpp"
#include "hubspot_sim.hpp"
#include "salesforce_sim.hpp"
#include "sim_result.hpp"
#include "simulated_upstream.hpp"

namespace tenantsync::sim {

namespace nango {
struct State;
}

class NangoSim final : public SimulatedUpstream {
 public:
  /// The secret key accepted after construction and reset.
  static constexpr const char* kDefaultSecretKey = "nango-sim-secret";

  NangoSim(const Clock& clock, HubSpotSim& hubspot, SalesforceSim& salesforce);
  ~NangoSim() override;

  /// Serves /connections/..., /connection/..., /connect/... and /connect-ui/.
  std::optional<http::Response> handle_api(const http::Request& request) override;
  std::optional<http::Response> handle_control(const http::Request& request) override;
  void reset() override;

  /// Accepts another secret key (Nango has one per environment).
  void add_secret_key(const std::string& key);
  /// Creates a connection from {connection_id, provider: "hubspot"|"salesforce", portal_id | org_id,
  /// provider_config_key?, token_ttl_s?, tags?, end_user?}; returns its control view.
  Result<nlohmann::json> create_connection(const nlohmann::json& spec);

 private:
  std::unique_ptr<nango::State> state_;
};

}  // namespace tenantsync::sim
