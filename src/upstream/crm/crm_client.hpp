#pragma once
// What the CRM sync needs from a CRM (HubSpot, Salesforce): the account behind the
// credentials, contacts (all, archived, or changed since a checkpoint) and owners.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error_code.hpp"
#include "core/phone.hpp"
#include "core/result.hpp"

namespace tenantsync::upstream {

struct CrmAccount {
  std::string id;  ///< HubSpot portalId; Salesforce organization Id
  std::string time_zone;
};

/// A contact in a lead's words, whatever the provider (filled by each client).
struct ContactFields {
  std::string first_name, last_name, email, phone, mobile_phone;
  std::string owner_id;     ///< HubSpot hubspot_owner_id (resolve with list_owners); Salesforce OwnerId
  std::string owner_name;   ///< set when the provider sends it (Salesforce Owner.Name)
  std::string owner_email;  ///< Salesforce Owner.Email
  std::string status;       ///< HubSpot hs_lead_status; Salesforce Lead.Status
  std::string
      stage;  ///< HubSpot lifecyclestage; Salesforce: "lead" for Lead rows, "contact" for Contact rows
  std::string description;  ///< Salesforce Description; HubSpot: empty unless a notes property is sent
  std::int64_t last_activity_at_ms =
      0;  ///< HubSpot notes_last_updated; Salesforce LastActivityDate (a date, midnight UTC)
};

struct CrmContact {
  std::string crm_id;  ///< HubSpot contact id; Salesforce record Id (Lead and Contact ids never collide)
  /// Bytes of the property names and values read (null values left out): the run's byte budget.
  std::int64_t property_bytes = 0;
  ContactFields fields;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;  ///< lastmodifieddate / updatedAt
  bool archived = false;
  /// The contact's phone normalized, when the sync did it on the thread that read the page
  /// (sync/crm_sync.cpp): the costliest step of a contact, so the thread that writes pages does
  /// not wait for it. Unset as a client hands the contact over.
  std::optional<core::PhoneResult> normalized_phone;
};

struct CrmOwner {
  std::string id;  ///< the value contacts carry in hubspot_owner_id
  std::string email;
  std::string first_name;
  std::string last_name;
  bool archived = false;
};

/// Where a listing can resume: the list cursor (`after`) or, for changed-contact reads,
/// a modification time (epoch ms) that every unread change is strictly after.
struct CrmCheckpoint {
  std::string after;  ///< HubSpot paging cursor; Salesforce "Object|nextRecordsUrl"; "" when done
  std::int64_t modified_after_ms = 0;  ///< HubSpot lastmodifieddate; Salesforce SystemModstamp
};

struct CrmPage {
  std::vector<CrmContact> contacts;
  std::vector<std::string> warnings;
  CrmCheckpoint checkpoint;  ///< saving this with the page lets an interrupted sync resume
  /// How many contacts the listing's query matches, when the CRM says (HubSpot's search does);
  /// a sync of changes decides on its first page whether reading everything is faster.
  std::optional<std::int64_t> total;
};

/// The provider's rate-limit headers as last seen; -1 where not sent.
struct RateBudget {
  std::int64_t max = -1;
  std::int64_t remaining = -1;
  std::int64_t interval_ms = -1;
  std::int64_t daily = -1;
  std::int64_t daily_remaining = -1;
};

/// The latest rate-limit refusal, so the engine can show "rate-limited until T".
struct RateLimitInfo {
  bool limited = false;          ///< the latest response was a rate-limit refusal
  std::string policy;            ///< HubSpot policyName (DAILY, TEN_SECONDLY_ROLLING); Salesforce errorCode
  std::int64_t retry_at_ms = 0;  ///< epoch ms when requests are expected to pass again
};

using CrmPageCallback = std::function<Status(CrmPage&& page)>;

/// Orders numeric CRM ids (HubSpot's) by value: a longer digit string is the larger number.
inline bool numeric_id_less(const std::string& a, const std::string& b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

class CrmClient {
 public:
  virtual ~CrmClient() = default;
  /// The account behind the credentials.
  virtual Result<CrmAccount> get_account() = 0;
  /// Every contact (or every archived one), from `after` on (empty: from the start).
  virtual Status list_contacts(bool archived, const std::string& after, const CrmPageCallback& on_page) = 0;
  /// Whether list_contacts_from_the_top() can run beside list_contacts() (HubSpot: through
  /// search, which has a rate budget of its own), so a full read comes from both ends at once.
  virtual bool reads_from_the_top() const { return false; }
  /// Every live contact with an id below `below` (numeric_id_less; empty: from the highest id),
  /// highest id first; each page's checkpoint.after is the lowest id read so far. Safe to call
  /// on another thread while list_contacts() runs (sync/both_ends_listing.hpp).
  virtual Status list_contacts_from_the_top(const std::string& below, const CrmPageCallback& on_page) {
    (void)below;
    (void)on_page;
    return make_error(core::ErrorCode::internal_error, "this CRM cannot list contacts from the top");
  }
  /// Contacts modified strictly after `modified_after_ms`, oldest change first.
  virtual Status list_changed_contacts(std::int64_t modified_after_ms, const CrmPageCallback& on_page) = 0;
  /// Every owner, active and archived.
  virtual Result<std::vector<CrmOwner>> list_owners() = 0;
  /// The rate-limit budget from the latest response.
  virtual RateBudget rate_budget() const = 0;
  /// Whether and until when the latest request was refused for rate (core::ErrorCode::rate_limited).
  virtual RateLimitInfo last_rate_limit() const { return {}; }
};

}  // namespace tenantsync::upstream
