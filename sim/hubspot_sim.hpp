#pragma once
// The simulated HubSpot CRM: portals reached by private-app tokens or OAuth access tokens
// (refreshed through /oauth/v1|v3/token, expiring), contacts (list with `after` cursors,
// search with filters, sorts and the 10,000-result cap), owners, and HubSpot's rate limits
// (X-HubSpot-RateLimit-* headers, 429 bodies). Control calls live under /_sim/hubspot/.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "core/clock.hpp"
#include "sim_result.hpp"
#include "simulated_upstream.hpp"

namespace tenantsync::sim {

/// What POST /_sim/hubspot/portals/{id}/contacts/generate creates.
struct HubSpotGenerateSpec {
  int contacts = 0;
  int owners = 0;  ///< new owners; contacts are spread over all of the portal's owners
  int days = 30;   ///< createdate/lastmodifieddate spread over the last `days` days
  std::uint64_t seed = 1;
};

namespace hubspot {
struct State;
}
extern template class StatefulUpstream<hubspot::State>;

/// Contacts lists, search and owners are paged.
class HubSpotSim final : public StatefulUpstream<hubspot::State> {
 public:
  explicit HubSpotSim(const Clock& clock);

  /// Creates a portal from {portal_id?, tokens?, refresh_tokens?, limits...}; returns its summary.
  Result<nlohmann::json> create_portal(const nlohmann::json& spec);
  Result<nlohmann::json> generate(long long portal_id, const HubSpotGenerateSpec& spec);
  /// Mints an OAuth access token for the portal (Nango hands these out) living `ttl_s` (the
  /// portal's lifetime when unset); returns the token and its expiry (epoch ms).
  Result<std::pair<std::string, std::int64_t>> mint_access_token(long long portal_id,
                                                                 std::optional<int> ttl_s = std::nullopt);
  /// True when the token is a private-app token or an unexpired access token of some portal.
  bool access_token_valid(const std::string& token);
};

}  // namespace tenantsync::sim
