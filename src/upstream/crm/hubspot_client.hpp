#pragma once
// HubSpot CRM v3 as a CrmClient: list API for full reads, search API on lastmodifieddate for
// incremental reads (moving its lower bound forward before the 10,000-result cap).
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "upstream/crm/crm_client.hpp"
#include "upstream/http_client.hpp"

namespace tenantsync::upstream {

struct HubSpotOptions {
  std::string base_url = "https://api.hubapi.com";
  std::string access_token;
  std::chrono::milliseconds request_timeout{30'000};
  int list_page_size = 100;    ///< HubSpot's list maximum
  int search_page_size = 200;  ///< HubSpot's search maximum
  int search_cap = 10'000;     ///< results one search query can page through
};

/// The contact properties a lead is built from.
const std::vector<std::string>& hubspot_lead_properties();

class HubSpotClient final : public CrmClient {
 public:
  HubSpotClient(HttpClient& http, HubSpotOptions options);

  Result<CrmAccount> get_account() override;
  Status list_contacts(bool archived, const std::string& after, const CrmPageCallback& on_page) override;
  Status list_changed_contacts(std::int64_t modified_after_ms, const CrmPageCallback& on_page) override;
  Result<std::vector<CrmOwner>> list_owners() override;
  RateBudget rate_budget() const override;

 private:
  struct SearchPass;
  Result<std::string> call(const std::string& method, const std::string& path, const std::string& body = {});
  Status run_search_pass(SearchPass& pass, const CrmPageCallback& on_page);

  HttpClient& http_;
  HubSpotOptions options_;
  mutable std::mutex budget_mutex_;
  RateBudget budget_;
};

}  // namespace tenantsync::upstream
