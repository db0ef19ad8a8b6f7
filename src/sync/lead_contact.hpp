#pragma once
// The one normalizer of a lead's contact details, shared by every way a lead comes in (the CRM
// sync and POST /api/leads), so the matcher compares like with like: text trimmed, the e-mail
// lower-cased for matching, the phone as E.164 in the tenant's region when it parses (kept raw
// and flagged otherwise), and a name falling back to the e-mail, then the phone.
#include <string>
#include <string_view>

#include "core/phone.hpp"
#include "store/sync_records.hpp"

namespace tenantsync::sync {

/// Contact details as a person or a CRM gave them.
struct ContactDetails {
  std::string name;
  std::string email;
  std::string phone;
};

/// Sets lead.name, email, email_norm, phone_raw, phone_e164, phone_valid and phone_region from
/// `details`.
/// `phone`, when given, is normalized_phone(details.phone, region), worked out ahead (e.g. on
/// another thread).
void set_contact(store::Lead& lead, const ContactDetails& details, const std::string& region,
                 const core::PhoneResult* phone = nullptr);

/// The phone set_contact stores for `phone` as given: trimmed, then E.164 in `region` when it
/// parses (an empty result for an empty phone).
core::PhoneResult normalized_phone(std::string_view phone, const std::string& region);

/// `text` without leading and trailing ASCII whitespace.
std::string trimmed(std::string_view text);

}  // namespace tenantsync::sync
