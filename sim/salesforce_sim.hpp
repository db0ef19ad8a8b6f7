#pragma once
// The simulated Salesforce REST API: orgs reached by OAuth access tokens (refreshed through
// /services/oauth2/token, expiring), Leads and Contacts read with a SOQL subset through query /
// queryAll (batches, nextRecordsUrl cursors, soft deletes), userinfo, and the daily API limit
// (Sforce-Limit-Info, 403 REQUEST_LIMIT_EXCEEDED). Everything is served on the simulator's own
// base URL, which is the instance_url it hands out. Control calls live under /_sim/salesforce/.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "http/message.hpp"
#include "id_gen.hpp"

namespace tenantsync::sim {

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

class SalesforceSim {
 public:
  explicit SalesforceSim(const Clock& clock);
  ~SalesforceSim();
  SalesforceSim(const SalesforceSim&) = delete;
  SalesforceSim& operator=(const SalesforceSim&) = delete;

  /// Answers a Salesforce request (/services/..., /id/...), or nullopt for other paths.
  std::optional<http::Response> handle_api(const http::Request& request);
  /// Answers /_sim/salesforce/...; `segments` are the path segments after "salesforce".
  http::Response handle_control(const http::Request& request, const std::vector<std::string>& segments);
  /// The 1-based page of a query request (a nextRecordsUrl's offset / batch size + 1).
  std::optional<int> page_of(const http::Request& request);

  void reset();
  /// Creates an org from {org_id?, name?, refresh_tokens?, access_token_ttl_s?, api_limit?}.
  Result<nlohmann::json> create_org(const nlohmann::json& spec);
  Result<nlohmann::json> generate(const std::string& org_id, const SalesforceGenerateSpec& spec);
  /// Mints an access token for the org, living `ttl_s` (the org's lifetime when unset).
  Result<SalesforceToken> mint_access_token(const std::string& org_id,
                                            std::optional<int> ttl_s = std::nullopt);
  /// True when the access token is known and not expired.
  bool access_token_valid(const std::string& token);

  struct Org;

 private:
  struct Cursor;
  http::Response token_grant(const http::Request& request);
  http::Response run_query(Org& org, const http::Request& request, const std::string& version, bool all);
  http::Response next_batch(Org& org, const http::Request& request, const std::string& version,
                            const std::string& locator);
  http::Response page_response(Org& org, Cursor& cursor, long long offset, long long batch,
                               const std::string& version);
  http::Response control_org(const http::Request& request, Org& org, const std::vector<std::string>& rest);
  http::Response control_records(const http::Request& request, Org& org, bool leads,
                                 const std::vector<std::string>& rest);
  Result<nlohmann::json> create_org_locked(const nlohmann::json& spec);
  Result<nlohmann::json> generate_locked(Org& org, const SalesforceGenerateSpec& spec);
  Result<nlohmann::json> add_record(Org& org, bool lead, const nlohmann::json& input);
  Status patch_record(Org& org, bool lead, const std::string& id, const nlohmann::json& patch);
  SalesforceToken mint_locked(Org& org, int ttl_s);
  std::string new_id(Org& org, const char* prefix);
  Org* find_org(const std::string& id);
  std::int64_t now_ms() const;

  const Clock& clock_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Org>> orgs_;
  std::unordered_map<std::string, std::string> token_org_;    ///< access token → org id
  std::unordered_map<std::string, std::string> refresh_org_;  ///< refresh token → org id
  IdGen ids_;
  long long next_org_ = 1;
};

}  // namespace tenantsync::sim
