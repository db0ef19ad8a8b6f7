#pragma once
// HubSpot CRM v3 as a CrmClient: list API for full reads (and search by descending id beside it,
// from the top), search API on lastmodifieddate for incremental reads (moving its lower bound forward before the 10,000-result cap). It paces
// itself inside HubSpot's burst budget (upstream/rate_gate.hpp) and refreshes a refused access
// token once per request (upstream/crm/credential_cache.hpp). hubspot_json.hpp reads the answers.
#include <chrono>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "upstream/crm/credential_cache.hpp"
#include "upstream/crm/credentials.hpp"
#include "upstream/crm/crm_client.hpp"
#include "upstream/crm/rate_status.hpp"
#include "upstream/http_client.hpp"
#include "upstream/rate_gate.hpp"
#include "upstream/sleeper.hpp"

namespace tenantsync::upstream {

struct HubSpotOptions {
  std::string base_url = "https://api.hubapi.com";
  std::chrono::milliseconds request_timeout{30'000};
  int list_page_size = 100;    ///< HubSpot's list maximum
  int search_page_size = 200;  ///< HubSpot's search maximum
  int search_cap = 10'000;     ///< results one search query can page through
  /// A contact property read into fields.description (HubSpot has no standard one); empty: none.
  std::string notes_property;
  /// When X-HubSpot-RateLimit-Remaining falls to this, wait until the window has passed.
  int rate_reserve = 5;
  /// Search sends no rate headers; HubSpot allows 5 a second. Each search waits 1/5 s and the
  /// margin after the one before, so their arrivals stay inside the limit (4.76 a second).
  int search_per_second = 5;
  std::chrono::milliseconds search_margin{10};
  /// A full read also comes down from the highest id through search, beside the list API going
  /// up (reads_from_the_top): two budgets instead of one.
  bool search_from_the_top = true;
};

/// The contact properties a lead is built from.
const std::vector<std::string>& hubspot_lead_properties();

/// Contacts read by id (HubSpotClient::read_contacts).
struct ContactBatch {
  std::vector<CrmContact> found;
  std::vector<std::string> missing;
};

class HubSpotClient final : public CrmClient {
 public:
  /// `credentials` is asked before each listing and once more when HubSpot answers 401;
  /// `clock` and `sleeper` pace requests (tests pass fakes).
  HubSpotClient(HttpClient& http, CredentialSource& credentials, const Clock& clock, Sleeper& sleeper,
                HubSpotOptions options = {});

  Result<CrmAccount> get_account() override;
  Status list_contacts(bool archived, const std::string& after, const CrmPageCallback& on_page) override;
  Status list_changed_contacts(std::int64_t modified_after_ms, const CrmPageCallback& on_page) override;
  bool reads_from_the_top() const override { return options_.search_from_the_top; }
  Status list_contacts_from_the_top(const std::string& below, const CrmPageCallback& on_page) override;
  Result<std::vector<CrmOwner>> list_owners() override;
  RateBudget rate_budget() const override;
  RateLimitInfo last_rate_limit() const override;
  /// Contacts read by id: the ones found, and the ids HubSpot does not have (deleted, merged
  /// away). At most kMaxBatchRead ids: one POST /crm/v3/objects/contacts/batch/read
  /// (hubspot_batch_read.cpp), for webhook events.
  Result<ContactBatch> read_contacts(const std::vector<std::string>& ids);
  static constexpr std::size_t kMaxBatchRead = 100;

 private:
  struct SearchPass;
  Result<std::string> call(const std::string& method, const std::string& path, const std::string& body = {});
  Status run_search_pass(SearchPass& pass, const CrmPageCallback& on_page);
  void note_budget(const HttpResponse& response, bool search);
  Error rate_limited(const std::string& body);

  HttpClient& http_;
  const Clock& clock_;
  HubSpotOptions options_;
  std::vector<std::string> properties_;
  CredentialCache credentials_;  // for the current listing
  RateGate gate_;
  RateStatus rate_;
};

}  // namespace tenantsync::upstream
