#pragma once
// The simulated Nango credentials broker: GET /connections/{id} (and the deprecated
// /connection/{id}) behind the Nango secret key, answering OAuth2 credentials that the simulated
// HubSpot portal or Salesforce org really accepts (minted through their internals, refreshed
// here when close to expiry, as Nango does), 424 when a connection's refresh is exhausted.
// Control calls live under /_sim/nango/.
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "http/message.hpp"
#include "hubspot_sim.hpp"
#include "salesforce_sim.hpp"

namespace tenantsync::sim {

class NangoSim {
 public:
  /// The secret key accepted after construction and reset.
  static constexpr const char* kDefaultSecretKey = "nango-sim-secret";

  NangoSim(const Clock& clock, HubSpotSim& hubspot, SalesforceSim& salesforce);

  /// Answers a Nango request (/connections/..., /connection/...), or nullopt for other paths.
  std::optional<http::Response> handle_api(const http::Request& request);
  /// Answers /_sim/nango/...; `segments` are the path segments after "nango".
  http::Response handle_control(const http::Request& request, const std::vector<std::string>& segments);

  void reset();
  /// Accepts another secret key (Nango has one per environment).
  void add_secret_key(const std::string& key);
  /// Creates a connection from {connection_id, provider: "hubspot"|"salesforce", portal_id | org_id,
  /// provider_config_key?, token_ttl_s?}; returns its control view.
  Result<nlohmann::json> create_connection(const nlohmann::json& spec);

 private:
  struct Connection {
    std::string id;
    std::string provider_config_key;
    std::string provider;  ///< "hubspot" or "salesforce"
    long long portal_id = 0;
    std::string org_id;
    std::optional<int> token_ttl_s;  ///< unset: the portal's / org's own lifetime
    bool refresh_exhausted = false;
    std::string access_token;
    std::int64_t expires_at_ms = 0;
    std::int64_t created_ms = 0;
    std::int64_t updated_ms = 0;
    long long number = 0;
  };

  http::Response get_connection(const http::Request& request, const std::string& id);
  Status refresh(Connection& connection);
  nlohmann::json control_json(const Connection& connection) const;
  std::int64_t now_ms() const;

  const Clock& clock_;
  HubSpotSim& hubspot_;
  SalesforceSim& salesforce_;
  std::mutex mutex_;
  std::set<std::string> secret_keys_;
  std::map<std::string, Connection> connections_;
  long long next_number_ = 1;
};

}  // namespace tenantsync::sim
