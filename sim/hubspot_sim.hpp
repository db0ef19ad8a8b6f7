#pragma once
// The simulated HubSpot CRM: portals reached by private-app tokens or OAuth access tokens
// (refreshed through /oauth/v1|v3/token, expiring), contacts (list with `after` cursors,
// search with filters, sorts and the 10,000-result cap), owners, and HubSpot's rate limits
// (X-HubSpot-RateLimit-* headers, 429 bodies). Control calls live under /_sim/hubspot/.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "http/message.hpp"
#include "id_gen.hpp"

namespace tenantsync::sim {

/// What POST /_sim/hubspot/portals/{id}/contacts/generate creates.
struct HubSpotGenerateSpec {
  int contacts = 0;
  int owners = 0;  ///< new owners; contacts are spread over all of the portal's owners
  int days = 30;   ///< createdate/lastmodifieddate spread over the last `days` days
  std::uint64_t seed = 1;
};

class HubSpotSim {
 public:
  explicit HubSpotSim(const Clock& clock);
  ~HubSpotSim();
  HubSpotSim(const HubSpotSim&) = delete;
  HubSpotSim& operator=(const HubSpotSim&) = delete;

  /// Answers a HubSpot API request, or nullopt when the path is not a HubSpot endpoint.
  std::optional<http::Response> handle_api(const http::Request& request);
  /// Answers /_sim/hubspot/...; `segments` are the path segments after "hubspot".
  http::Response handle_control(const http::Request& request, const std::vector<std::string>& segments);
  /// The 1-based page a paged request asks for (contacts, search, owners), for page-scoped faults.
  std::optional<int> page_of(const http::Request& request);

  void reset();
  /// Creates a portal from {portal_id?, tokens?, refresh_tokens?, limits...}; returns its summary.
  Result<nlohmann::json> create_portal(const nlohmann::json& spec);
  Result<nlohmann::json> generate(long long portal_id, const HubSpotGenerateSpec& spec);
  /// Mints an OAuth access token for the portal (Nango hands these out) living `ttl_s` (the
  /// portal's lifetime when unset); returns the token and its expiry (epoch ms).
  Result<std::pair<std::string, std::int64_t>> mint_access_token(long long portal_id,
                                                                 std::optional<int> ttl_s = std::nullopt);
  /// True when the token is a private-app token or an unexpired access token of some portal.
  bool access_token_valid(const std::string& token);

  struct Portal;

 private:
  http::Response token_grant(const http::Request& request, bool v3);
  http::Response list_contacts(Portal& portal, const http::Request& request);
  http::Response search_contacts(Portal& portal, const http::Request& request);
  http::Response list_owners(Portal& portal, const http::Request& request);
  http::Response control_portal(const http::Request& request, Portal& portal,
                                const std::vector<std::string>& rest);
  http::Response hubspot_error(int status, const std::string& category, const std::string& message);
  Result<nlohmann::json> create_portal_locked(const nlohmann::json& spec);
  Result<nlohmann::json> generate_locked(Portal& portal, const HubSpotGenerateSpec& spec);
  Result<nlohmann::json> add_contact(Portal& portal, const nlohmann::json& input);
  Status patch_contact(Portal& portal, long long id, const nlohmann::json& patch);
  Portal* find_portal(long long id);
  std::int64_t now_ms() const;

  const Clock& clock_;
  std::mutex mutex_;
  std::map<long long, std::unique_ptr<Portal>> portals_;
  std::unordered_map<std::string, long long> token_portal_;    ///< private-app and access tokens
  std::unordered_map<std::string, long long> refresh_portal_;  ///< refresh tokens
  IdGen ids_;
  long long next_portal_id_ = 40'000'001;
};

}  // namespace tenantsync::sim
