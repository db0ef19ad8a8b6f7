#pragma once
// Salesforce REST as a CrmClient: Leads and Contacts read with SOQL (following nextRecordsUrl),
// deletions and changes with queryAll on SystemModstamp. Owners come inline (Owner.Name,
// Owner.Email), so list_owners is empty.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "upstream/crm/credential_cache.hpp"
#include "upstream/crm/credentials.hpp"
#include "upstream/crm/crm_client.hpp"
#include "upstream/crm/rate_status.hpp"
#include "upstream/http_client.hpp"
#include "upstream/outbound_policy.hpp"

namespace tenantsync::upstream {

struct SalesforceOptions {
  std::string api_version = "v60.0";
  std::string instance_url;  ///< used when the credentials carry none
  std::chrono::milliseconds request_timeout{30'000};
  int batch_size = 2000;  ///< Sforce-Query-Options batchSize (200..2000)
  /// Changes are re-read this far before the checkpoint: a SystemModstamp can become visible
  /// after newer ones were read.
  std::chrono::milliseconds incremental_overlap{5 * 60'000};
  /// Which instance URLs may receive the access token (Salesforce's domains, or the operator's
  /// login host): checked before every call, wherever the URL came from (the connection, a
  /// token refresh, Nango).
  OutboundPolicy outbound{};
};

/// SOQL field lists per object ("Lead" has Status, "Contact" not).
std::string salesforce_contact_fields(const std::string& object);

/// "api-usage=used/limit" of a Sforce-Limit-Info header into daily / daily_remaining; false when absent.
bool parse_sforce_limit_info(const std::string& header, RateBudget& budget);

class SalesforceClient final : public CrmClient {
 public:
  /// `credentials` is asked before each listing (its instance_url wins over options.instance_url)
  /// and once more per request after a 401 INVALID_SESSION_ID.
  SalesforceClient(HttpClient& http, CredentialSource& credentials, const Clock& clock,
                   SalesforceOptions options = {});

  /// The organization (SELECT Id, TimeZoneSidKey FROM Organization).
  Result<CrmAccount> get_account() override;
  /// Leads, then Contacts; `after` is a checkpoint of an earlier page ("Object|nextRecordsUrl").
  Status list_contacts(bool archived, const std::string& after, const CrmPageCallback& on_page) override;
  /// Leads, then Contacts, changed after `modified_after_ms` minus the overlap; deleted ones archived.
  Status list_changed_contacts(std::int64_t modified_after_ms, const CrmPageCallback& on_page) override;
  /// Always empty: each contact carries its owner's name and e-mail.
  Result<std::vector<CrmOwner>> list_owners() override;
  RateBudget rate_budget() const override;
  RateLimitInfo last_rate_limit() const override;

 private:
  struct QueryPage;
  using QueryPageHandler = std::function<Status(QueryPage&& page)>;

  Result<std::string> call(const std::string& path, std::string* error_code = nullptr);
  Status run_query(const std::string& object, const std::string& first_path, const std::string& restart_path,
                   const QueryPageHandler& on_page);
  std::string query_path(bool all, const std::string& soql) const;

  HttpClient& http_;
  const Clock& clock_;
  SalesforceOptions options_;
  CredentialCache credentials_;  // for the current listing
  RateStatus rate_;              // the daily API budget from Sforce-Limit-Info; no pacing
};

}  // namespace tenantsync::upstream
