#pragma once
// What the CRM sync needs from a CRM (HubSpot now, Salesforce later): the account behind
// the credentials, contacts (all, archived, or changed since a checkpoint) and owners.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "upstream/errors.hpp"

namespace tenantsync::upstream {

struct CrmAccount {
  std::string id;  ///< HubSpot portalId
  std::string time_zone;
};

struct CrmContact {
  std::string crm_id;
  std::map<std::string, std::string> properties;  ///< null values left out
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;                 ///< lastmodifieddate / updatedAt
  bool archived = false;
  std::string raw_json;
};

struct CrmOwner {
  std::string id;  ///< the value contacts carry in hubspot_owner_id
  std::string email;
  std::string first_name;
  std::string last_name;
  bool archived = false;
};

/// Where a listing can resume: the list cursor (`after`) or, for changed-contact searches,
/// a lastmodifieddate (epoch ms) that every unread change is strictly after.
struct CrmCheckpoint {
  std::string after;
  std::int64_t modified_after_ms = 0;
};

struct CrmPage {
  std::vector<CrmContact> contacts;
  std::vector<std::string> warnings;
  CrmCheckpoint checkpoint;  ///< saving this with the page lets an interrupted sync resume
};

/// The provider's rate-limit headers as last seen; -1 where not sent.
struct RateBudget {
  std::int64_t max = -1;
  std::int64_t remaining = -1;
  std::int64_t interval_ms = -1;
  std::int64_t daily = -1;
  std::int64_t daily_remaining = -1;
};

using CrmPageCallback = std::function<Status(CrmPage&& page)>;

class CrmClient {
 public:
  virtual ~CrmClient() = default;
  /// The account behind the credentials.
  virtual Result<CrmAccount> get_account() = 0;
  /// Every contact (or every archived one), from `after` on (empty: from the start).
  virtual Status list_contacts(bool archived, const std::string& after, const CrmPageCallback& on_page) = 0;
  /// Contacts modified strictly after `modified_after_ms`, oldest change first.
  virtual Status list_changed_contacts(std::int64_t modified_after_ms, const CrmPageCallback& on_page) = 0;
  /// Every owner, active and archived.
  virtual Result<std::vector<CrmOwner>> list_owners() = 0;
  /// The rate-limit budget from the latest response.
  virtual RateBudget rate_budget() const = 0;
};

}  // namespace tenantsync::upstream
