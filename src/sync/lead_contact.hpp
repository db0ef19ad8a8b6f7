#pragma once
// The one normalizer of a lead's contact details, shared by every way a lead comes in (the CRM
// sync and POST /api/leads), so the matcher compares like with like: text trimmed, the e-mail
// lower-cased for matching, the phone as E.164 in the tenant's region when it parses (kept raw
// and flagged otherwise), and a name falling back to the e-mail, then the phone.
#include <string>
#include <string_view>

#include "store/sync_records.hpp"

namespace tenantsync::sync {

/// Contact details as a person or a CRM gave them.
struct ContactDetails {
  std::string name;
  std::string email;
  std::string phone;
};

/// Sets lead.name, email, email_norm, phone_raw, phone_e164 and phone_valid from `details`.
void set_contact(store::Lead& lead, const ContactDetails& details, const std::string& region);

/// `text` without leading and trailing ASCII whitespace.
std::string trimmed(std::string_view text);

}  // namespace tenantsync::sync
