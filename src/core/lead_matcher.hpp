#pragma once
// Matching CRM contacts to leads: a contact is the same lead whether it is found by CRM id, phone
// or e-mail, so a sync links and updates instead of duplicating.
//
// The sync looks up, in one batch per page, the tenant's leads that share a CRM id, an E.164
// phone or a normalized e-mail with the page's contacts, builds a LeadIndex from them and
// assigns each contact in page order. The index is per tenant: never mix tenants' leads.
//
// Rules:
//  - Order: CRM id (same provider), then E.164 phone, then e-mail.
//  - Phone beats e-mail when they point at different leads. This is a voice product: calls,
//    executions and the "Recent Threads" hang off the phone number, so the lead that owns the
//    number is the one whose history the contact belongs to. E-mails are also more often
//    shared (info@, a family inbox) than a normalized direct number. The losing lead is
//    reported (email_conflict) so the sync can warn about it.
//  - A lead already linked to a different CRM id of the same provider is never taken over by
//    phone or e-mail: two CRM records are two people (a shared switchboard number, a shared
//    inbox), and stealing the link would make the two contacts fight over one lead on every
//    run. Such a contact gets its own lead.
//  - A lead carries one CRM link. A contact matched to a lead of another provider updates it
//    but does not take its link (link_crm_id = false), for the same reason.
//  - Keys are matched only when present: contacts with an unparseable phone (empty E.164)
//    never match by phone, and leads without a phone or e-mail are never found by one.
//  - Within a page, planned creations and new links enter the index as they are made, so two
//    contacts with the same phone or e-mail create one lead, not two.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tenantsync::core {

enum class MatchReason { crm_id, phone, email, new_lead };

/// "crm_id", "phone", "email", "new" (stored in leads.match_reason).
std::string_view to_string(MatchReason reason);

/// A lead of the tenant as the batch lookup returns it.
struct ExistingLead {
  std::int64_t id = 0;
  std::string crm_provider;  ///< "hubspot" | "salesforce"; empty for manual leads
  std::string crm_id;
  std::string phone_e164;  ///< empty when the lead's number did not parse
  std::string email_norm;  ///< normalize_email(); empty when none
  bool manual = false;     ///< created by hand: may be linked and updated, never deleted
};

/// A contact's matching keys, already normalized (normalize_phone().e164, normalize_email()).
struct ContactKeys {
  std::string crm_provider;
  std::string crm_id;
  std::string phone_e164;
  std::string email_norm;
};

/// An existing lead (by id) or a lead this page plans to create (by its creation index).
struct LeadRef {
  bool planned = false;
  std::int64_t id = 0;  ///< lead id, or index into the page's planned creations
  bool operator==(const LeadRef&) const = default;
};

struct LeadMatch {
  bool create = false;  ///< a new lead; `lead` is then its planned creation index
  LeadRef lead;
  MatchReason reason = MatchReason::new_lead;
  bool lead_is_manual = false;
  bool link_crm_id = false;               ///< write the contact's provider + CRM id on the lead
  std::optional<LeadRef> email_conflict;  ///< the e-mail pointed at this other lead; the phone won
};

class LeadIndex {
 public:
  LeadIndex() = default;
  /// Indexes the batch lookup's leads; older leads (lower id) win ties.
  explicit LeadIndex(std::vector<ExistingLead> leads);

  /// Where `contact` would go, without changing the index.
  LeadMatch match(const ContactKeys& contact) const;
  /// match(), then records the outcome (a planned creation or a new link and keys) so later
  /// contacts of the page see it.
  LeadMatch assign(const ContactKeys& contact);
  /// How many creations assign() has planned; planned indexes run 0..planned_count()-1.
  std::size_t planned_count() const { return planned_count_; }

 private:
  struct Entry {
    LeadRef ref;
    bool manual = false;
    std::string crm_provider;
    std::string crm_id;
  };

  std::pair<LeadMatch, std::optional<std::size_t>> match_at(const ContactKeys& contact) const;
  void add_entry(Entry entry, const std::string& phone, const std::string& email);
  void add_key(std::unordered_map<std::string, std::vector<std::size_t>>& map, const std::string& key,
               std::size_t entry);
  std::optional<std::size_t> first_eligible(
      const std::unordered_map<std::string, std::vector<std::size_t>>& map, const std::string& key,
      const ContactKeys& contact) const;

  std::vector<Entry> entries_;
  std::unordered_map<std::string, std::size_t> by_crm_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_phone_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_email_;
  std::size_t planned_count_ = 0;
};

}  // namespace tenantsync::core
