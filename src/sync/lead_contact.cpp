#include "sync/lead_contact.hpp"

#include "core/email.hpp"
#include "core/phone.hpp"

namespace tenantsync::sync {

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1));
}

core::PhoneResult normalized_phone(std::string_view phone, const std::string& region) {
  const std::string raw = trimmed(phone);
  if (raw.empty()) return {};
  return core::normalize_phone(raw, region);
}

void set_contact(store::Lead& lead, const ContactDetails& details, const std::string& region,
                 const core::PhoneResult* phone) {
  // Stored and shown lower-cased and trimmed, the form the matcher compares: a CRM that holds
  // "Ada@Example.COM" and a manual lead typed "ada@example.com" are the same person.
  lead.email_norm = core::normalize_email(details.email);
  lead.email = lead.email_norm;
  lead.phone_raw = trimmed(details.phone);
  const core::PhoneResult normalized = phone != nullptr ? *phone : normalized_phone(details.phone, region);
  lead.phone_e164 = normalized.e164;
  lead.phone_valid = normalized.valid;
  lead.phone_region = lead.phone_raw.empty() ? std::string() : region;
  lead.name = trimmed(details.name);
  if (lead.name.empty()) lead.name = !lead.email.empty() ? lead.email : lead.phone_raw;
}

}  // namespace tenantsync::sync
