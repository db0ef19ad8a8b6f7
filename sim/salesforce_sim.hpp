#pragma once
// The simulated Salesforce REST API: orgs reached by OAuth access tokens (refreshed through
// /services/oauth2/token, expiring), Leads and Contacts read with a SOQL subset through query /
// queryAll (batches, nextRecordsUrl cursors, soft deletes), userinfo, and the daily API limit
// (Sforce-Limit-Info, 403 REQUEST_LIMIT_EXCEEDED). Everything is served on the simulator's own
// base URL, which is the instance_url it hands out. Control calls live under /_sim/salesforce/.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "sim_result.hpp"
#include "simulated_upstream.hpp"

namespace tenantsync::sim {

namespace salesforce {
struct State;
}
extern template class StatefulUpstream<salesforce::State>;

/// What POST /_sim/salesforce/orgs/{id}/generate creates.
struct SalesforceGenerateSpec {
  int leads = 0;
  int contacts = 0;
  int owners = 0;  ///< new users; records are spread over all of the org's users
  int days = 30;   ///< CreatedDate/SystemModstamp spread over the last `days` days
  std::uint64_t seed = 1;
};

/// An access token minted for another simulated service (Nango).
struct SalesforceToken {
  std::string access_token;
  std::int64_t expires_at_ms = 0;
  std::string org_id;
  std::string user_id;
};

/// The API is /services/... and /id/...; a query's page is a nextRecordsUrl's offset / batch
/// size + 1.
class SalesforceSim final : public StatefulUpstream<salesforce::State> {
 public:
  explicit SalesforceSim(const Clock& clock);

  /// Creates an org from {org_id?, name?, refresh_tokens?, access_token_ttl_s?, api_limit?}.
  Result<nlohmann::json> create_org(const nlohmann::json& spec);
  Result<nlohmann::json> generate(const std::string& org_id, const SalesforceGenerateSpec& spec);
  /// Mints an access token for the org, living `ttl_s` (the org's lifetime when unset).
  Result<SalesforceToken> mint_access_token(const std::string& org_id,
                                            std::optional<int> ttl_s = std::nullopt);
  /// True when the access token is known and not expired.
  bool access_token_valid(const std::string& token);
};

}  // namespace tenantsync::sim
